// Benchmark, issue 16 item 6: a watchlist of 350,000 phrases (35,000 with --quick) in rule files,
// loaded and compiled as the daemon starts (load_rules_dir + compile_cached), each start a fresh
// process measured by the kernel: the first start compiles and writes the database cache, the
// second finds it. CPU seconds (user + system) and peak RSS of each process.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <string>
#include <string_view>

#include "rules/cache.hpp"
#include "rules/rule_set.hpp"
#include "support/figures.hpp"
#include "support/processes.hpp"
#include "support/workload.hpp"

using namespace signalmon;

namespace {

// The child: what the daemon does with its rules at start.
int start_like_the_daemon(const std::filesystem::path& rules_dir, const std::filesystem::path& cache_dir) {
    spdlog::set_level(spdlog::level::warn);
    const rules::CachedRules cached = rules::compile_cached(rules::load_rules_dir(rules_dir), cache_dir);
    std::printf("%s: %zu literal patterns as %zu forms, databases %.1f MiB, %.2f s compiling or loading\n",
                std::string(rules::cache_outcome_name(cached.outcome)).c_str(), cached.compiled->literal_count(),
                cached.compiled->literals().size(), static_cast<double>(cached.compiled->database_bytes()) / (1 << 20),
                cached.seconds);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 4 && std::string_view(argv[1]) == "--start") return start_like_the_daemon(argv[2], argv[3]);
    const bool quick = argc > 1 && std::string_view(argv[1]) == "--quick";
    const std::size_t count = quick ? 35'000 : 350'000;
    const bench::ScratchDir dir;
    const bench::Stopwatch generating;
    bench::write_rules(bench::make_patterns(count, false), dir.path() / "rules");
    std::printf("bench_rules%s: %zu phrases in %zu rule files (generated in %.1f s)\n", quick ? " --quick" : "", count,
                (count + 99) / 100, generating.wall());
    const std::vector<std::string> start = {"/proc/self/exe", "--start", (dir.path() / "rules").string(),
                                            (dir.path() / "cache").string()};
    const auto log = dir.path() / "starts.log";
    const bench::ProcessRun first = bench::run_process(start, log);
    const bench::ProcessRun second = bench::run_process(start, log);
    std::printf("%s", bench::read_file(log).c_str());
    if (first.exit_status != 0 || second.exit_status != 0) {
        std::printf("a start failed (exit %d, %d): see the lines above\n", first.exit_status, second.exit_status);
        return 1;
    }
    const double first_mib = static_cast<double>(first.peak_rss_kib) / 1024;
    std::printf(
        "  first start (load + compile + write cache): %.1f s CPU, %.1f s wall, peak %.0f MiB "
        "(targets at 350k: <= 10 s, <= 512 MiB)\n",
        first.cpu_seconds, first.wall_seconds, first_mib);
    std::printf("  cached start (load + read cache): %.2f s CPU, %.2f s wall, peak %.0f MiB (target at 350k: <= 1 s)\n",
                second.cpu_seconds, second.wall_seconds, static_cast<double>(second.peak_rss_kib) / 1024);
    if (!quick) {
        bench::record_figure("phrases_350k_load_compile_s", first.cpu_seconds);
        bench::record_figure("phrases_350k_peak_mib", first_mib);
        bench::record_figure("phrases_350k_cached_start_s", second.cpu_seconds);
    }
    return 0;
}
