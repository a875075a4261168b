// Benchmark, issue 7 scenario 3: signalmond --once over 10,000 feeds served by nginx on 127.0.0.1
// (1,000 patterns): the first cycle (every feed new) and the second (every feed answers 304), wall
// time, CPU time and peak RSS, against libcurl fetching the same URLs alone in the same run.
// `--quick`: 2,000 feeds.
#include <malloc.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "fetch/fetcher.hpp"
#include "support/figures.hpp"
#include "support/processes.hpp"
#include "support/workload.hpp"

using namespace signalmon;

namespace {

constexpr int k_max_parallel = 32;

// The daemon's own summary of its cycle: the last "cycle:" line of its log.
std::string last_cycle_line(const std::filesystem::path& log) {
    std::ifstream in(log);
    std::string line;
    std::string last;
    while (std::getline(in, line)) {
        if (const auto at = line.find("cycle: "); at != std::string::npos) {
            last = line.substr(at);
        }
    }
    return last;
}

// The floor: libcurl fetching every URL with the same parallelism, bodies discarded.
double fetch_alone(const std::vector<std::string>& urls) {
    std::vector<fetch::FetchRequest> requests;
    for (std::size_t i = 0; i < urls.size(); ++i) {
        requests.push_back({.feed_id = "f" + std::to_string(i), .url = urls[i], .etag = {}, .last_modified = {}});
    }
    fetch::FetchOptions options;
    options.max_parallel = k_max_parallel;
    std::size_t failed = 0;
    const auto start = bench::Clock::now();
    fetch::fetch_all(requests, options,
                     [&](const fetch::FetchRequest&, fetch::FetchOutcome outcome) { failed += outcome ? 0 : 1; });
    const double seconds = bench::seconds_since(start);
    if (failed > 0) {
        std::printf("  (fetch alone: %zu failures)\n", failed);
    }
    return seconds;
}

// Prints the cycle's figures and records its wall time over the bare fetch's as figure.
void report(const char* what, const char* figure, const bench::ProcessRun& run, double floor,
            const std::filesystem::path& log, double wall_target) {
    bench::record_figure(figure, run.wall_seconds / floor);
    std::printf(
        "%s: wall %.2f s (target <= %.0f s), CPU %.2f s, peak RSS %.1f MiB (target <= 150), exit %d; "
        "%.1fx the bare fetch\n  daemon: %s\n",
        what, run.wall_seconds, wall_target, run.cpu_seconds, static_cast<double>(run.peak_rss_kib) / 1024,
        run.exit_status, run.wall_seconds / floor, last_cycle_line(log).c_str());
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "--quick";
    const std::size_t feeds = quick ? 2'000 : 10'000;
    constexpr std::size_t k_items_per_feed = 10;
    const bench::ScratchDir dir;
    const auto root = dir.path() / "www";
    const std::size_t bytes = bench::write_feed_files(root, feeds, k_items_per_feed);
    // The kernel's peak RSS of a child includes what it was forked from: give the corpus back first.
    ::malloc_trim(0);
    bench::write_rules(bench::make_patterns(1000, false), dir.path() / "rules");
    auto nginx = bench::Nginx::start(root, dir.path() / "nginx");
    if (!nginx) {
        std::printf("bench_poll: nginx is not installed or did not start (apt-get install nginx-light): skipped\n");
        return 0;
    }
    std::vector<std::string> urls;
    for (std::size_t f = 0; f < feeds; ++f) {
        urls.push_back(nginx->url("f" + std::to_string(f) + ".xml"));
    }
    std::printf(
        "bench_poll%s: %zu feeds of %zu items (%.1f MB) on nginx at 127.0.0.1, 1,000 patterns, max_parallel %d\n",
        quick ? " --quick" : "", feeds, k_items_per_feed, static_cast<double>(bytes) / 1e6, k_max_parallel);
    const double floor = fetch_alone(urls);
    ::malloc_trim(0);
    std::printf("(this process is %.1f MiB resident when it starts the daemon: the floor under its peak RSS)\n",
                static_cast<double>(bench::rss_kib()) / 1024);
    std::printf("baseline libcurl fetch alone: %.2f s (%.0f feeds/s)\n", floor, static_cast<double>(feeds) / floor);

    const auto config = dir.path() / "feeds.yaml";
    bench::write_config(config, urls, k_max_parallel);
    const std::vector<std::string> command = {bench::signalmond_path(), "--config", config.string(), "--once"};
    const auto first_log = dir.path() / "first.log";
    report("first cycle (all new)", "poll_first_vs_bare_fetch", bench::run_process(command, first_log), floor,
           first_log, quick ? 12 : 60);
    const auto second_log = dir.path() / "second.log";
    report("second cycle (all 304)", "poll_304_vs_bare_fetch", bench::run_process(command, second_log), floor,
           second_log, quick ? 4 : 20);
    return 0;
}
