// Benchmark, issue 7 scenario 4: resident memory of a running signalmond after its first cycle
// over 1,000 feeds (nginx on 127.0.0.1) with 1,000 patterns, against the same daemon with 1 feed
// and 10 patterns measured in the same run.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "support/processes.hpp"
#include "support/workload.hpp"

using namespace signalmon;

namespace {

struct Resident {
    std::size_t rss_kib = 0;
    std::size_t peak_kib = 0;
    bool finished = false;
};

bool cycle_logged(const std::filesystem::path& log) {
    return bench::read_file(log).find("cycle: ") != std::string::npos;
}

// Runs the daemon until its first cycle is logged, reads its memory, then stops it with SIGTERM.
Resident measure(const bench::Nginx& nginx, const std::filesystem::path& dir, std::size_t feeds, std::size_t patterns) {
    std::filesystem::create_directories(dir);
    bench::write_rules(bench::make_patterns(patterns, false), dir / "rules");
    std::vector<std::string> urls;
    for (std::size_t f = 0; f < feeds; ++f) {
        urls.push_back(nginx.url("f" + std::to_string(f) + ".xml"));
    }
    bench::write_config(dir / "feeds.yaml", urls, 16);
    const auto log = dir / "daemon.log";
    const pid_t pid = bench::start_process({bench::signalmond_path(), "--config", (dir / "feeds.yaml").string()}, log);
    Resident resident;
    for (int waited = 0; waited < 1200 && !resident.finished; ++waited) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        resident.finished = cycle_logged(log);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let the cycle's buffers go
    resident.rss_kib = bench::process_status_kib(pid, "VmRSS:");
    resident.peak_kib = bench::process_status_kib(pid, "VmHWM:");
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
    return resident;
}

}  // namespace

int main() {
    constexpr std::size_t k_feeds = 1000;
    const bench::ScratchDir dir;
    const auto root = dir.path() / "www";
    std::filesystem::create_directories(root);
    const auto documents = bench::rss_documents(bench::news_items(k_feeds * 10 * 720, 600), 10);
    for (std::size_t f = 0; f < documents.size() && f < k_feeds; ++f) {
        std::ofstream(root / ("f" + std::to_string(f) + ".xml"), std::ios::binary) << documents[f];
    }
    auto nginx = bench::Nginx::start(root, dir.path() / "nginx");
    if (!nginx) {
        std::printf("bench_resident: nginx is not installed or did not start (apt-get install nginx-light): skipped\n");
        return 0;
    }
    const Resident small = measure(*nginx, dir.path() / "small", 1, 10);
    const Resident large = measure(*nginx, dir.path() / "large", k_feeds, 1000);
    std::printf("bench_resident: baseline 1 feed, 10 patterns: RSS %.1f MiB (peak %.1f)%s\n",
                static_cast<double>(small.rss_kib) / 1024, static_cast<double>(small.peak_kib) / 1024,
                small.finished ? "" : " [no cycle logged]");
    std::printf(
        "bench_resident: %zu feeds, 1,000 patterns, after the first cycle: RSS %.1f MiB (peak %.1f; target <= 50), "
        "%.2fx the baseline%s\n",
        k_feeds, static_cast<double>(large.rss_kib) / 1024, static_cast<double>(large.peak_kib) / 1024,
        static_cast<double>(large.rss_kib) / static_cast<double>(std::max<std::size_t>(small.rss_kib, 1)),
        large.finished ? "" : " [no cycle logged]");
    return 0;
}
