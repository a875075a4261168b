#include "support/figures.hpp"

#include <cstdlib>
#include <fstream>
#include <string>

namespace signalmon::bench {

void record_figure(std::string_view key, double value) {
    const char* file = std::getenv("SIGNALMON_BENCH_FIGURES");
    if (file == nullptr || *file == '\0') return;
    std::ofstream(file, std::ios::app) << key << ' ' << std::to_string(value) << '\n';
}

}  // namespace signalmon::bench
