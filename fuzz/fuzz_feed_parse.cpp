// libFuzzer target: feed::parse on raw bytes: every format, every charset, with a Content-Type hint.
#include <cstddef>
#include <cstdint>

#include "properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    signalmon::fuzz::enforce(signalmon::fuzz::check_feed(signalmon::fuzz::as_text({data, size})));
    return 0;
}
