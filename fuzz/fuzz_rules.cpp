// libFuzzer target: one rule file through RuleSetBuilder::add_file, finish and rules::compile.
#include <cstddef>
#include <cstdint>

#include "properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    signalmon::fuzz::enforce(signalmon::fuzz::check_rules(signalmon::fuzz::as_text({data, size})));
    return 0;
}
