// libFuzzer target: feed::html_to_text and feed::plain_text with varying caps.
#include <cstddef>
#include <cstdint>

#include "properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    signalmon::fuzz::enforce(signalmon::fuzz::check_html_text(signalmon::fuzz::as_text({data, size})));
    return 0;
}
