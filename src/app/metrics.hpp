// The daemon's counters in Prometheus text format, and the HTTP endpoint that serves them.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/http_server.hpp"
#include "app/poll_cycle.hpp"

namespace signalmon::app {

// Written by the scheduler loop, read by the HTTP thread; every member is guarded by one mutex.
class Metrics {
public:
    Metrics();

    void record_cycle(const CycleStats& stats);
    void record_reload(bool ok, std::uint64_t rules_generation);
    void record_pruned(std::string_view table, std::size_t rows);
    void set_feeds(std::size_t ok, std::size_t failing);
    // Whether polls cannot be recorded right now (the daemon pauses polling until they can).
    void set_store_fault(bool at_fault);
    // Alert deliveries by state, as the store reports them; none if the store has no outbox.
    void set_alerts(std::vector<std::pair<std::string, std::int64_t>> by_state);
    // Who this daemon is among those sharing the store: its id, its rules, how many politeness
    // lanes it holds, how many instances are alive and whether it leads (retention, digests).
    void set_instance(std::string id, std::string rules_hash, std::size_t lanes, std::size_t instances, bool leader);
    // The scheduler loop is alive; /healthz fails once this is older than the stall limit.
    void heartbeat();

    std::string render() const;
    bool healthy(std::chrono::seconds stall_limit) const;

private:
    mutable std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_heartbeat;
    double m_start_time = 0;
    std::uint64_t m_polls = 0;
    std::uint64_t m_not_modified = 0;
    std::uint64_t m_bytes = 0;
    std::uint64_t m_items_parsed = 0;
    std::uint64_t m_items_new = 0;
    std::uint64_t m_scan_bytes = 0;
    double m_scan_seconds = 0;
    std::uint64_t m_rules_generation = 0;
    std::uint64_t m_reloads = 0;
    std::uint64_t m_reload_failures = 0;
    std::size_t m_feeds_ok = 0;
    std::size_t m_feeds_failing = 0;
    bool m_store_fault = false;
    std::uint64_t m_store_failures = 0;
    std::map<std::string, std::uint64_t> m_errors_by_reason;
    std::map<std::pair<std::string, std::string>, std::uint64_t> m_hits_by_brief_kind;
    std::map<std::string, std::uint64_t> m_pruned_by_table;
    std::vector<std::pair<std::string, std::int64_t>> m_alerts_by_state;
    std::string m_instance_id;
    std::string m_rules_hash;
    std::size_t m_lanes = 0;
    std::size_t m_instances = 0;
    bool m_leader = false;
};

// GET /metrics and GET /healthz, for an HttpServer that may serve other paths too.
HttpServer::Handler metrics_handler(const Metrics& metrics, std::chrono::seconds stall_limit);

// Serves metrics_handler alone on HOST:PORT until destroyed.
class MetricsServer {
public:
    // Throws std::runtime_error if HOST:PORT cannot be bound (a startup error).
    MetricsServer(const std::string& listen, const Metrics& metrics, std::chrono::seconds stall_limit);
    ~MetricsServer();
    MetricsServer(const MetricsServer&) = delete;
    MetricsServer& operator=(const MetricsServer&) = delete;

private:
    std::unique_ptr<HttpServer> m_server;
};

}  // namespace signalmon::app
