// Benchmark, issue 15: 10,000 feeds on nginx over ten loopback hosts (ten politeness lanes), 1,000
// patterns: one signalmond on SQLite against one and two on PostgreSQL sharing the store. Each run
// is a first cycle (every feed new): wall time from start until every feed has been polled once,
// and CPU time per feed of the daemons and of the PostgreSQL server. `--quick`: 2,000 feeds.
// Needs nginx and PostgreSQL's initdb (Debian's postgresql); skipped without them.
#include <malloc.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres.hpp"
#include "store/store.hpp"
#include "support/figures.hpp"
#include "support/processes.hpp"
#include "support/workload.hpp"

using namespace signalmon;

namespace {

constexpr int k_hosts = 10;
constexpr int k_max_parallel = 32;

// CPU seconds (user + system) a process has used so far; 0 once it is gone.
double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    const auto after_name = stat.rfind(')');
    if (after_name == std::string::npos) return 0;
    std::istringstream fields(stat.substr(after_name + 2));
    std::string field;
    unsigned long long user = 0;
    unsigned long long system = 0;
    for (int index = 3; fields >> field; ++index) {  // field 3 is the state; 14 and 15 utime, stime
        if (index == 14) user = std::stoull(field);
        if (index == 15) {
            system = std::stoull(field);
            break;
        }
    }
    return static_cast<double>(user + system) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// CPU seconds used so far by the PostgreSQL server: the postmaster and every process it started.
double server_cpu_seconds(const std::filesystem::path& cluster) {
    std::ifstream pid_file(cluster / "data" / "postmaster.pid");
    pid_t postmaster = 0;
    if (!(pid_file >> postmaster)) return 0;
    double total = cpu_seconds(postmaster);
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream in(entry.path() / "stat");
        std::string stat;
        std::getline(in, stat);
        const auto after_name = stat.rfind(')');
        if (after_name == std::string::npos) continue;
        std::istringstream fields(stat.substr(after_name + 2));
        std::string state;
        pid_t parent = 0;
        fields >> state >> parent;
        if (parent == postmaster) total += cpu_seconds(std::stoi(name));
    }
    return total;
}

// How many feeds of the store have been polled; 0 while it cannot be opened yet.
std::size_t polled_feeds(const std::string& location) {
    try {
        const auto store = store::open_store(location, store::OpenMode::read_only);
        const auto states = store->feed_states();
        if (!states) return 0;
        return static_cast<std::size_t>(
            std::ranges::count_if(*states, [](const store::FeedState& state) { return state.last_poll.has_value(); }));
    } catch (const store::StoreError&) {
        return 0;
    }
}

void write_instance(const std::filesystem::path& folder, const std::filesystem::path& rules,
                    const std::vector<std::string>& urls, const std::string& store_url) {
    std::filesystem::create_directories(folder);
    std::ofstream out(folder / "feeds.yaml");
    // Pacing off, as in bench_poll: the lanes are loopback addresses, the point is the store.
    out << "state_dir: state\nrules_dir: " << rules.string() << "\nuser_agent: signalmon-bench\ninterval: 1h\n"
        << "max_parallel: " << k_max_parallel << "\nper_host_connections: " << k_max_parallel
        << "\nper_host_rate: 0\nlease: 3s\n";
    if (!store_url.empty()) out << "store: \"" << store_url << "\"\n";
    out << "feeds:\n";
    for (std::size_t i = 0; i < urls.size(); ++i) out << "  - {id: f" << i << ", url: \"" << urls[i] << "\"}\n";
}

struct RunFigures {
    double wall_seconds = 0;
    double daemon_cpu_seconds = 0;
    double server_cpu_seconds = 0;
};

// Starts instances daemons on one store, waits until every feed is polled, stops them.
RunFigures run(const std::filesystem::path& dir, const std::string& name, int instances,
               const std::filesystem::path& rules, const std::vector<std::string>& urls, const std::string& store_url,
               const std::filesystem::path& cluster) {
    std::vector<std::filesystem::path> configs;
    for (int n = 0; n < instances; ++n) {
        const auto folder = dir / (name + "-" + std::to_string(n));
        write_instance(folder, rules, urls, store_url);
        configs.push_back(folder / "feeds.yaml");
    }
    const std::string location =
        store_url.empty() ? (dir / (name + "-0") / "state" / "signalmon.db").string() : store_url;
    const double server_before = cluster.empty() ? 0 : server_cpu_seconds(cluster);
    const auto start = bench::Clock::now();
    std::vector<pid_t> daemons;
    for (const auto& config : configs) {
        daemons.push_back(bench::start_process({bench::signalmond_path(), "--config", config.string()},
                                               config.parent_path() / "daemon.log"));
    }
    RunFigures figures;
    while (polled_feeds(location) < urls.size() && bench::seconds_since(start) < 900) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    figures.wall_seconds = bench::seconds_since(start);
    for (const pid_t pid : daemons) figures.daemon_cpu_seconds += cpu_seconds(pid);
    if (!cluster.empty()) figures.server_cpu_seconds = server_cpu_seconds(cluster) - server_before;
    for (const pid_t pid : daemons) {
        ::kill(pid, SIGTERM);
        ::waitpid(pid, nullptr, 0);
    }
    const double feeds = static_cast<double>(urls.size());
    std::printf(
        "%-28s wall %6.2f s to poll every feed; CPU per feed: daemons %.3f ms, PostgreSQL server %.3f ms, "
        "total %.3f ms\n",
        name.c_str(), figures.wall_seconds, 1000 * figures.daemon_cpu_seconds / feeds,
        1000 * figures.server_cpu_seconds / feeds,
        1000 * (figures.daemon_cpu_seconds + figures.server_cpu_seconds) / feeds);
    return figures;
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "--quick";
    const std::size_t feeds = quick ? 2'000 : 10'000;
    constexpr std::size_t k_items_per_feed = 10;
    const bench::ScratchDir dir;
    // The cluster runs as user postgres when this runs as root: it must reach its folder.
    std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec | std::filesystem::perms::group_exec,
                                 std::filesystem::perm_options::add);
    const auto root = dir.path() / "www";
    bench::write_feed_files(root, feeds, k_items_per_feed);
    ::malloc_trim(0);
    const auto rules = dir.path() / "rules";
    bench::write_rules(bench::make_patterns(1000, false), rules);
    auto nginx = bench::Nginx::start(root, dir.path() / "nginx", k_hosts);
    if (!nginx) {
        std::printf(
            "bench_instances: nginx is not installed or did not start (apt-get install nginx-light): skipped\n");
        return 0;
    }
    const auto cluster = dir.path() / "pg";
    const std::string start_cluster =
        std::string(SIGNALMON_BENCH_PG_CLUSTER) + " start " + cluster.string() + " >/dev/null 2>&1";
    if (std::system(start_cluster.c_str()) != 0) {
        std::printf("bench_instances: no PostgreSQL cluster could be started (apt-get install postgresql): skipped\n");
        return 0;
    }
    std::vector<std::string> urls;
    for (std::size_t f = 0; f < feeds; ++f) {
        urls.push_back(nginx->url("f" + std::to_string(f) + ".xml", 1 + static_cast<int>(f % k_hosts)));
    }
    std::printf(
        "bench_instances%s: %zu feeds of %zu items on nginx over %d loopback hosts, 1,000 patterns, "
        "max_parallel %d, first cycle (every feed new)\n",
        quick ? " --quick" : "", feeds, k_items_per_feed, k_hosts, k_max_parallel);

    const auto database = [&](const std::string& name) {
        store::PgConnection("postgresql:///postgres?host=" + cluster.string() + "&user=signalmon", {})
            .run("CREATE DATABASE " + name);
        return "postgresql:///" + name + "?host=" + cluster.string() + "&user=signalmon";
    };
    const RunFigures sqlite = run(dir.path(), "SQLite, 1 instance", 1, rules, urls, {}, {});
    const RunFigures postgres_one = run(dir.path(), "PostgreSQL, 1 instance", 1, rules, urls, database("one"), cluster);
    const RunFigures postgres_two =
        run(dir.path(), "PostgreSQL, 2 instances", 2, rules, urls, database("two"), cluster);
    std::system((std::string(SIGNALMON_BENCH_PG_CLUSTER) + " stop " + cluster.string()).c_str());

    const double per_feed = 1000 / static_cast<double>(feeds);
    const auto total_cpu = [&](const RunFigures& figures) {
        return (figures.daemon_cpu_seconds + figures.server_cpu_seconds) * per_feed;
    };
    bench::record_figure("instances_sqlite_1_cycle_s", sqlite.wall_seconds);
    bench::record_figure("instances_pg_1_cycle_s", postgres_one.wall_seconds);
    bench::record_figure("instances_pg_2_cycle_s", postgres_two.wall_seconds);
    bench::record_figure("instances_sqlite_1_cpu_ms_per_feed", total_cpu(sqlite));
    bench::record_figure("instances_pg_1_cpu_ms_per_feed", total_cpu(postgres_one));
    bench::record_figure("instances_pg_2_cpu_ms_per_feed", total_cpu(postgres_two));
    bench::record_figure("instances_pg_1_vs_sqlite_cycle", postgres_one.wall_seconds / sqlite.wall_seconds);
    bench::record_figure("instances_pg_2_vs_pg_1_cycle", postgres_two.wall_seconds / postgres_one.wall_seconds);
    std::printf("PostgreSQL 1 instance / SQLite: %.2fx the cycle time; 2 instances / 1: %.2fx\n",
                postgres_one.wall_seconds / sqlite.wall_seconds, postgres_two.wall_seconds / postgres_one.wall_seconds);
    return 0;
}
