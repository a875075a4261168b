// libFuzzer target: feed::resolve_url on a base and a reference split at the first newline.
#include <cstddef>
#include <cstdint>

#include "properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    signalmon::fuzz::enforce(signalmon::fuzz::check_url(signalmon::fuzz::as_text({data, size})));
    return 0;
}
