// The long-running daemon: the scheduler loop, reloads, control requests, service notifications,
// metrics and retention around the poll cycle.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "alert/dispatcher.hpp"
#include "app/control_socket.hpp"
#include "app/leases.hpp"
#include "app/metrics.hpp"
#include "app/poll_cycle.hpp"
#include "app/service_notify.hpp"
#include "app/state_lock.hpp"
#include "config/config.hpp"
#include "rules/compile.hpp"
#include "rules/watcher.hpp"
#include "store/store.hpp"
#include "web/view.hpp"

namespace signalmon::app {

// The loaded configuration and the rules compiled from it: replaced together on reload.
struct Setup {
    config::Config config;
    std::shared_ptr<const rules::CompiledRules> rules;
    std::string rules_hash;  // RuleSet::content_hash: of the rule files and the lexicon, to tell which rules run
};

// Throws ConfigError / RuleError (FILE:LINE:COL: message).
Setup load_setup(const std::string& config_path);

class Daemon {
public:
    // signal_fd delivers SIGTERM, SIGINT and SIGHUP (signalfd). Locks the state directory and opens
    // the store: throws on failure, naming the other process if one already works the directory.
    Daemon(Setup setup, int signal_fd);

    // Both throw std::runtime_error if the database file is deleted or replaced under the daemon.
    void run_once();
    // Runs until SIGTERM/SIGINT; starts the control socket and, if configured, the metrics server
    // and the web view (one HTTP server when they share an address).
    void run_forever();

private:
    using Clock = std::chrono::system_clock;

    // The configured feeds whose lanes this daemon holds (all of them unless the store is shared).
    std::vector<const config::FeedSpec*> all_feeds() const;
    std::vector<const config::FeedSpec*> due_feeds(Clock::time_point now) const;
    bool polls(const config::FeedSpec& feed) const;
    void schedule_from_store();
    Clock::time_point stored_next_poll(const config::FeedSpec& feed) const;
    void map_lanes();
    std::vector<std::string> configured_lanes() const;
    void rebalance_lanes();
    void renew_lanes();
    void leave_shared_store();
    void require_same_store_file() const;
    void deliver_alerts();
    void enter_store_fault(const std::string& error);
    bool store_writable(Clock::time_point now);
    Clock::time_point next_alert_wake();
    Clock::time_point next_due() const;
    CycleStats poll(const std::vector<const config::FeedSpec*>& feeds);
    void wait_until(Clock::time_point deadline);
    void drain_signals();
    void watch_rules();
    nlohmann::json reload();
    void handle_control_requests();
    nlohmann::json handle_control(const nlohmann::json& command);
    void publish_state();
    void start_http();
    void publish_briefs();  // the rules' briefs to the web view
    nlohmann::json status_snapshot() const;
    nlohmann::json instance_json();
    std::string status_line() const;

    Setup m_setup;
    int m_signal_fd;
    StateDirLock m_state_lock;  // taken before the store is opened, so a second process changes nothing
    std::unique_ptr<store::Store> m_store;
    FeedStates m_feed_states;  // read once at startup, then kept by the poll cycles
    fetch::CurlFetcher m_fetcher;
    SystemClock m_clock;
    std::unique_ptr<alert::Dispatcher> m_dispatcher;  // null when feeds.yaml configures no alerts
    std::map<std::string, Clock::time_point> m_next_poll;
    std::map<std::string, std::string> m_lane_of;  // feed id → politeness lane (fetch::lane_key)
    LaneLeases m_leases;
    bool m_stopping = false;

    // Set while polls cannot be recorded (disk full, I/O error, read-only store): nothing is polled
    // or delivered, since every answer would be fetched again and every alert sent again, until a
    // probe write succeeds.
    struct StoreFault {
        std::string error;
        Clock::time_point since;
        Clock::time_point next_probe;
    };
    std::optional<StoreFault> m_store_fault;

    ServiceNotifier m_notifier;
    Metrics m_metrics;
    std::unique_ptr<MetricsServer> m_metrics_server;
    std::unique_ptr<web::WebView> m_web;  // null without `web:`
    std::unique_ptr<HttpServer> m_web_server;
    std::unique_ptr<ControlServer> m_control;
    std::unique_ptr<rules::RulesWatcher> m_watcher;  // null under --once or when rules_dir cannot be watched
    Clock::time_point m_next_retention{};

    // What `signalctl status` shows, rebuilt by the loop and read by the control thread.
    const Clock::time_point m_started = Clock::now();
    std::uint64_t m_rules_generation = 1;
    nlohmann::json m_last_reload;
    mutable std::mutex m_status_mutex;
    nlohmann::json m_status;
};

}  // namespace signalmon::app
