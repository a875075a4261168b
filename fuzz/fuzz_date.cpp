// libFuzzer target: feed::parse_date and its round trip through format_rfc3339.
#include <cstddef>
#include <cstdint>

#include "properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    signalmon::fuzz::enforce(signalmon::fuzz::check_date(signalmon::fuzz::as_text({data, size})));
    return 0;
}
