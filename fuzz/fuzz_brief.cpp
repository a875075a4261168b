// libFuzzer target: a Daily Brief through the importer, and the drafted rule file through the loader.
#include <cstddef>
#include <cstdint>

#include "properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    signalmon::fuzz::enforce(signalmon::fuzz::check_brief(signalmon::fuzz::as_text({data, size})));
    return 0;
}
