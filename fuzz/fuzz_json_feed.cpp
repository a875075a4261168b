// libFuzzer target: the JSON Feed path of feed::parse.
#include <cstddef>
#include <cstdint>

#include "properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    signalmon::fuzz::enforce(signalmon::fuzz::check_json_feed(signalmon::fuzz::as_text({data, size})));
    return 0;
}
