// Prometheus exposition (text format 0.0.4) of the daemon's counters, and the small HTTP/1.1
// handler that serves them on an app::HttpServer.
#include "app/metrics.hpp"

#include <spdlog/spdlog.h>

namespace signalmon::app {
namespace {

std::string escape_label(std::string_view value) {
    std::string escaped;
    for (char c : value) {
        if (c == '\\' || c == '"') escaped += '\\';
        escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
    }
    return escaped;
}

class Exposition {
public:
    void family(std::string_view name, std::string_view type, std::string_view help) {
        m_text += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
    }

    template <typename Value>
    void sample(std::string_view name, Value value, std::string_view labels = {}) {
        if (labels.empty()) {
            m_text += fmt::format("{} {}\n", name, value);
        } else {
            m_text += fmt::format("{}{{{}}} {}\n", name, labels, value);
        }
    }

    template <typename Value>
    void single(std::string_view name, std::string_view type, std::string_view help, Value value) {
        family(name, type, help);
        sample(name, value);
    }

    std::string take() { return std::move(m_text); }

private:
    std::string m_text;
};

}  // namespace

Metrics::Metrics()
    : m_heartbeat(std::chrono::steady_clock::now()),
      m_start_time(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()) {}

void Metrics::record_cycle(const CycleStats& stats) {
    const std::lock_guard lock(m_mutex);
    m_polls += stats.feeds_polled;
    m_not_modified += stats.feeds_not_modified;
    m_bytes += stats.bytes_fetched;
    m_items_parsed += stats.items_parsed;
    m_items_new += stats.items_new;
    m_scan_bytes += stats.scan_bytes;
    m_scan_seconds += stats.scan_seconds;
    m_store_failures += stats.store_failures;
    for (const auto& [reason, count] : stats.errors_by_reason) m_errors_by_reason[reason] += count;
    for (const auto& [key, count] : stats.hits_by_brief_kind) m_hits_by_brief_kind[key] += count;
}

void Metrics::record_reload(bool ok, std::uint64_t rules_generation) {
    const std::lock_guard lock(m_mutex);
    ++m_reloads;
    if (!ok) ++m_reload_failures;
    m_rules_generation = rules_generation;
}

void Metrics::record_pruned(std::string_view table, std::size_t rows) {
    const std::lock_guard lock(m_mutex);
    m_pruned_by_table[std::string(table)] += rows;
}

void Metrics::set_feeds(std::size_t ok, std::size_t failing) {
    const std::lock_guard lock(m_mutex);
    m_feeds_ok = ok;
    m_feeds_failing = failing;
}

void Metrics::set_store_fault(bool at_fault) {
    const std::lock_guard lock(m_mutex);
    m_store_fault = at_fault;
}

void Metrics::set_alerts(std::vector<std::pair<std::string, std::int64_t>> by_state) {
    const std::lock_guard lock(m_mutex);
    m_alerts_by_state = std::move(by_state);
}

void Metrics::heartbeat() {
    const std::lock_guard lock(m_mutex);
    m_heartbeat = std::chrono::steady_clock::now();
}

void Metrics::set_instance(std::string id, std::string rules_hash, std::size_t lanes, std::size_t instances,
                           bool leader) {
    const std::lock_guard lock(m_mutex);
    m_instance_id = std::move(id);
    m_rules_hash = std::move(rules_hash);
    m_lanes = lanes;
    m_instances = instances;
    m_leader = leader;
}

bool Metrics::healthy(std::chrono::seconds stall_limit) const {
    const std::lock_guard lock(m_mutex);
    return std::chrono::steady_clock::now() - m_heartbeat < stall_limit;
}

std::string Metrics::render() const {
    const std::lock_guard lock(m_mutex);
    Exposition out;
    out.single("signalmon_start_time_seconds", "gauge", "When the daemon started, in seconds since the epoch.",
               fmt::format("{:.3f}", m_start_time));
    out.single("signalmon_polls_total", "counter", "Feed polls attempted.", m_polls);
    out.single("signalmon_polls_not_modified_total", "counter", "Polls answered 304 Not Modified.", m_not_modified);
    out.family("signalmon_fetch_errors_total", "counter", "Failed polls by reason.");
    for (const auto& [reason, count] : m_errors_by_reason) {
        out.sample("signalmon_fetch_errors_total", count, fmt::format("reason=\"{}\"", escape_label(reason)));
    }
    out.single("signalmon_fetched_bytes_total", "counter", "Response body bytes fetched (decoded).", m_bytes);
    out.single("signalmon_items_parsed_total", "counter", "Items parsed from fetched feeds.", m_items_parsed);
    out.single("signalmon_items_new_total", "counter", "Items seen for the first time.", m_items_new);
    out.single("signalmon_scan_bytes_total", "counter", "Item text bytes scanned by the matcher.", m_scan_bytes);
    out.single("signalmon_scan_seconds_total", "counter", "Time spent matching and scoring new items.",
               fmt::format("{:.6f}", m_scan_seconds));
    out.family("signalmon_hits_total", "counter", "Signal hits found, by brief and kind.");
    for (const auto& [key, count] : m_hits_by_brief_kind) {
        out.sample("signalmon_hits_total", count,
                   fmt::format("brief=\"{}\",kind=\"{}\"", escape_label(key.first), escape_label(key.second)));
    }
    out.single("signalmon_rules_generation", "gauge", "Rule sets loaded so far (1 at start, +1 per good reload).",
               m_rules_generation);
    out.single("signalmon_reloads_total", "counter", "Reloads requested (SIGHUP or signalctl reload).", m_reloads);
    out.single("signalmon_reload_failures_total", "counter", "Reloads refused because of bad config or rules.",
               m_reload_failures);
    out.family("signalmon_feeds", "gauge", "Configured feeds by state after their last poll.");
    out.sample("signalmon_feeds", m_feeds_ok, "state=\"ok\"");
    out.sample("signalmon_feeds", m_feeds_failing, "state=\"failing\"");
    out.single("signalmon_store_fault", "gauge",
               "1 while polls cannot be recorded (disk full, I/O error): polling and delivery are paused.",
               int{m_store_fault});
    out.single("signalmon_store_failures_total", "counter", "Polls whose result the store could not take.",
               m_store_failures);
    out.family("signalmon_pruned_rows_total", "counter", "Rows removed by retention, by table.");
    for (const auto& [table, count] : m_pruned_by_table) {
        out.sample("signalmon_pruned_rows_total", count, fmt::format("table=\"{}\"", escape_label(table)));
    }
    if (!m_instance_id.empty()) {
        out.family("signalmon_instance_info", "gauge", "This daemon's instance id and the hash of its rules.");
        out.sample(
            "signalmon_instance_info", 1,
            fmt::format("instance=\"{}\",rules_hash=\"{}\"", escape_label(m_instance_id), escape_label(m_rules_hash)));
        out.single("signalmon_lanes_leased", "gauge", "Politeness lanes (source profiles or hosts) this daemon polls.",
                   m_lanes);
        out.single("signalmon_instances_alive", "gauge", "Daemons sharing the store seen within a lease.", m_instances);
        out.single("signalmon_leader", "gauge", "1 on the one daemon that runs retention and digests.", int{m_leader});
    }
    if (!m_alerts_by_state.empty()) {
        out.family("signalmon_alerts", "gauge", "Alert deliveries in the outbox, by state.");
        for (const auto& [state, count] : m_alerts_by_state) {
            out.sample("signalmon_alerts", count, fmt::format("state=\"{}\"", escape_label(state)));
        }
    }
    return out.take();
}

HttpServer::Handler metrics_handler(const Metrics& metrics, std::chrono::seconds stall_limit) {
    return [&metrics, stall_limit](const web::HttpRequest& request) -> std::optional<web::HttpResponse> {
        if (request.path == "/metrics") {
            return web::HttpResponse{
                .status = 200, .content_type = "text/plain; version=0.0.4; charset=utf-8", .body = metrics.render()};
        }
        if (request.path == "/healthz") {
            return metrics.healthy(stall_limit) ? web::plain_response(200, "ok\n")
                                                : web::plain_response(503, "scheduler loop stalled\n");
        }
        return std::nullopt;
    };
}

MetricsServer::MetricsServer(const std::string& listen, const Metrics& metrics, std::chrono::seconds stall_limit)
    : m_server(
          std::make_unique<HttpServer>(listen, std::vector{metrics_handler(metrics, stall_limit)}, "metrics_listen")) {
    spdlog::info("metrics on http://{}/metrics", listen);
}

MetricsServer::~MetricsServer() = default;

}  // namespace signalmon::app
