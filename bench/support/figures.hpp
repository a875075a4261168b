// The figures issue 16 asks bench/run.sh --json for: each program records the ones it measures,
// run.sh gathers them into one JSON object per run.
#pragma once

#include <string_view>

namespace signalmon::bench {

// Appends "key value" to the file named by $SIGNALMON_BENCH_FIGURES (run.sh sets it); does
// nothing when it is unset, so the programs still run alone.
void record_figure(std::string_view key, double value);

}  // namespace signalmon::bench
