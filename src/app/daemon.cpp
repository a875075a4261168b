// The scheduler loop: poll due feeds, otherwise do retention, otherwise sleep in poll() on the
// signalfd and the control socket's wake-up descriptor. Everything that changes daemon state runs
// on this one thread; the control and metrics threads only read published snapshots.
#include "app/daemon.hpp"

#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "app/retention.hpp"
#include "app/store_open.hpp"
#include "feed/date.hpp"
#include "rules/cache.hpp"
#include "rules/watcher.hpp"

namespace signalmon::app {
namespace {

using Clock = std::chrono::system_clock;

constexpr std::chrono::seconds k_longest_sleep{60};
constexpr std::chrono::hours k_retention_every{1};
// /healthz fails when the loop has not come round for this long (a cycle is bounded by timeouts).
constexpr std::chrono::seconds k_stall_limit{600};
// While the store cannot take writes it is probed this often, and polling resumes only with this
// much room on its filesystem (a poll of a large feed writes a few hundred KiB).
constexpr std::chrono::seconds k_store_probe_every{5};
constexpr std::uint64_t k_store_headroom_bytes = 1024 * 1024;

feed::UnixTime to_unix(Clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

std::size_t count_signals(const rules::RuleSet& rule_set) {
    std::size_t count = 0;
    for (const auto& brief : rule_set.briefs) count += brief.signals.size();
    return count;
}

void log_setup(const Setup& setup) {
    spdlog::info("loaded {} feeds from {}; {} briefs with {} signals from {} (rules {})", setup.config.feeds.size(),
                 setup.config.path.string(), setup.rules->rules().briefs.size(), count_signals(setup.rules->rules()),
                 setup.config.rules_dir.string(), setup.rules_hash);
    if (const std::size_t drafts = setup.rules->rules().draft_signal_count(); drafts > 0) {
        spdlog::warn("{} signals are marked draft: true (drafted, not reviewed): review them and remove the key",
                     drafts);
    }
}

store::Instance this_instance(const Setup& setup) {
    return {.id = setup.config.instance_id.empty() ? default_instance_id() : setup.config.instance_id,
            .rules_hash = setup.rules_hash,
            .started_at = to_unix(Clock::now()),
            .seen_at = 0};
}

// Null when feeds.yaml configures no alerts. Throws if a channel's secret cannot be read.
std::unique_ptr<alert::Dispatcher> make_dispatcher(const config::Config& config, store::Store& store) {
    if (!config.alerts.enabled()) return nullptr;
    return std::make_unique<alert::Dispatcher>(config.alerts, config.user_agent, store);
}

nlohmann::json cycle_json(const CycleStats& stats) {
    return {{"feeds_polled", stats.feeds_polled},
            {"feeds_failed", stats.feeds_failed},
            {"not_modified", stats.feeds_not_modified},
            {"items", stats.items_parsed},
            {"new_items", stats.items_new},
            {"hits", stats.hits}};
}

}  // namespace

Setup load_setup(const std::string& config_path) {
    Setup setup{config::load_config(config_path), nullptr, {}};
    setup.rules =
        rules::compile_cached(rules::load_rules_dir(setup.config.rules_dir), setup.config.state_dir / "cache").compiled;
    // The same hash `hits --explain`, `replay` and `rules check` name: one identity for the rules.
    setup.rules_hash = setup.rules->rules().content_hash;
    return setup;
}

Daemon::Daemon(Setup setup, int signal_fd)
    : m_setup(std::move(setup)),
      m_signal_fd(signal_fd),
      m_state_lock(m_setup.config.state_dir),
      m_store(open_configured_store(m_setup.config, store::OpenMode::read_write)),
      m_dispatcher(make_dispatcher(m_setup.config, *m_store)),
      m_leases(m_store->coordination(), this_instance(m_setup), m_setup.config.lease) {
    auto states = load_feed_states(*m_store);
    if (!states) throw std::runtime_error("store: " + states.error());
    m_feed_states = std::move(*states);
    log_setup(m_setup);
    if (store::Coordination* coordination = m_store->coordination()) {
        // Outbox rows are claimed for as long as lanes are leased: a dead instance's pass to the others.
        coordination->claim_outbox_as(m_leases.self().id, m_setup.config.lease.count());
        spdlog::info("instance {}: sharing the store, leases of {}s", m_leases.self().id, m_setup.config.lease.count());
    }
    map_lanes();
    schedule_from_store();
    // Announced now, lanes taken a renewal later: instances started together see each other first
    // and take a share each, rather than the first taking every lane for its whole first cycle.
    renew_lanes();
    m_metrics.record_reload(true, m_rules_generation);
}

void Daemon::run_once() {
    require_same_store_file();
    if (m_leases.shared()) rebalance_lanes();
    poll(all_feeds());  // poll() delivers due alerts before returning
    leave_shared_store();
}

void Daemon::run_forever() {
    m_control =
        std::make_unique<ControlServer>(control_socket_path(m_setup.config), [this] { return status_snapshot(); });
    start_http();
    watch_rules();
    publish_state();
    m_notifier.ready(status_line());
    while (!m_stopping) {
        m_notifier.watchdog();
        m_metrics.heartbeat();
        handle_control_requests();
        if (m_stopping) break;
        require_same_store_file();
        if (m_leases.shared() && m_leases.due(to_unix(Clock::now()))) rebalance_lanes();
        const auto now = Clock::now();
        if (!store_writable(now)) {
            wait_until(m_store_fault->next_probe);
            continue;
        }
        if (const auto due = due_feeds(now); !due.empty()) {
            poll(due);
            continue;
        }
        if (now >= m_next_retention && store::leads(*m_store)) {
            // One batch per turn, so signals, control requests and due feeds wait for one batch at most.
            if (prune_step(*m_store, m_setup.config, to_unix(now), m_metrics)) continue;
            m_next_retention = now + k_retention_every;
        }
        deliver_alerts();
        auto wake = std::min(next_due(), next_alert_wake());
        if (m_leases.shared()) wake = std::min(wake, Clock::from_time_t(m_leases.next_renewal()));
        wait_until(wake);
    }
    m_notifier.stopping();
    m_web_server.reset();
    m_metrics_server.reset();
    m_control.reset();
    leave_shared_store();
    spdlog::info("stopped");
}

void Daemon::start_http() {
    const config::Config& config = m_setup.config;
    const bool shared = config.web.enabled && config.web.listen == config.metrics_listen;
    if (!config.metrics_listen.empty() && !shared) {
        m_metrics_server = std::make_unique<MetricsServer>(config.metrics_listen, m_metrics, k_stall_limit);
    }
    if (!config.web.enabled) return;
    m_web = std::make_unique<web::WebView>(
        config.web, [config] { return open_configured_store(config, store::OpenMode::read_only); });
    publish_briefs();
    std::vector<HttpServer::Handler> handlers;
    if (shared) handlers.push_back(metrics_handler(m_metrics, k_stall_limit));
    handlers.emplace_back([view = m_web.get()](const web::HttpRequest& request) { return view->handle(request); });
    m_web_server = std::make_unique<HttpServer>(config.web.listen, std::move(handlers), "web: listen");
    spdlog::info("web view on http://{}{}/", config.web.listen, config.web.base_path);
}

void Daemon::publish_briefs() {
    if (!m_web) return;
    std::vector<web::BriefInfo> briefs;
    for (const rules::Brief& brief : m_setup.rules->rules().briefs) {
        web::BriefInfo info{.id = brief.id, .title = brief.title, .says = {}};
        for (const rules::Signal& signal : brief.signals) info.says[signal.id] = signal.says;
        briefs.push_back(std::move(info));
    }
    m_web->set_briefs(std::move(briefs));
}

bool Daemon::polls(const config::FeedSpec& feed) const { return m_leases.holds(m_lane_of.at(feed.id)); }

std::vector<const config::FeedSpec*> Daemon::all_feeds() const {
    std::vector<const config::FeedSpec*> feeds;
    feeds.reserve(m_setup.config.feeds.size());
    for (const auto& feed : m_setup.config.feeds) {
        if (polls(feed)) feeds.push_back(&feed);
    }
    return feeds;
}

std::vector<const config::FeedSpec*> Daemon::due_feeds(Clock::time_point now) const {
    std::vector<const config::FeedSpec*> due;
    for (const auto& feed : m_setup.config.feeds) {
        if (m_next_poll.at(feed.id) <= now && polls(feed)) due.push_back(&feed);
    }
    return due;
}

// A restart resumes each feed's schedule from its last poll instead of polling all at once.
void Daemon::schedule_from_store() {
    std::map<std::string, Clock::time_point> next;
    for (const auto& feed : m_setup.config.feeds) next[feed.id] = stored_next_poll(feed);
    m_next_poll = std::move(next);
}

Daemon::Clock::time_point Daemon::stored_next_poll(const config::FeedSpec& feed) const {
    const auto found = m_feed_states.find(feed.id);
    const store::FeedState* state = found == m_feed_states.end() ? nullptr : &found->second;
    if (!state || !state->last_poll || state->url != feed.url) return Clock::now();
    // The stored next poll already carries backoff, Retry-After and freshness hints.
    return state->next_poll ? Clock::time_point(std::chrono::seconds(*state->next_poll))
                            : Clock::time_point(std::chrono::seconds(*state->last_poll)) + feed.interval;
}

void Daemon::map_lanes() {
    const std::vector<fetch::HostBudget> budgets = fetch_options(m_setup.config).budgets;
    m_lane_of.clear();
    for (const auto& feed : m_setup.config.feeds) m_lane_of[feed.id] = fetch::lane_key(feed.url, budgets);
}

std::vector<std::string> Daemon::configured_lanes() const {
    std::vector<std::string> lanes;
    lanes.reserve(m_lane_of.size());
    for (const auto& [feed, lane] : m_lane_of) lanes.push_back(lane);
    std::ranges::sort(lanes);
    const auto [repeats_begin, repeats_end] = std::ranges::unique(lanes);
    lanes.erase(repeats_begin, repeats_end);
    return lanes;
}

// Takes a fair share of lanes; the feeds of lanes just taken were polled by another instance, so
// their states and schedules are read again from the store rather than trusted from memory.
void Daemon::rebalance_lanes() {
    const auto now = Clock::now();
    const auto taken = m_leases.rebalance(configured_lanes(), to_unix(now));
    if (!taken) {
        spdlog::error("leases: {} (retried in {}s)", taken.error(), m_leases.next_renewal() - to_unix(now));
        return;
    }
    if (!taken->empty()) {
        auto states = load_feed_states(*m_store);
        if (!states) {
            spdlog::error("leases: reading the feeds of the lanes taken: {}", states.error());
        } else {
            for (const auto& feed : m_setup.config.feeds) {
                if (!std::ranges::binary_search(*taken, m_lane_of.at(feed.id))) continue;
                if (const auto stored = states->find(feed.id); stored != states->end()) {
                    m_feed_states[feed.id] = stored->second;
                } else {
                    m_feed_states.erase(feed.id);
                }
                m_next_poll[feed.id] = stored_next_poll(feed);
            }
        }
    }
    publish_state();
}

// A clean stop hands lanes and alert claims to the other instances at once (a crash lets them expire).
void Daemon::leave_shared_store() {
    if (!m_leases.shared()) return;
    if (const auto left = m_leases.leave(); !left) {
        spdlog::warn("leases: leaving: {} (they expire in {}s)", left.error(), m_setup.config.lease.count());
    }
}

void Daemon::renew_lanes() {
    if (!m_leases.shared() || !m_leases.due(to_unix(Clock::now()))) return;
    if (const auto renewed = m_leases.renew(to_unix(Clock::now())); !renewed)
        spdlog::error("leases: renewing: {}", renewed.error());
}

// Checked at every turn of the loop: stopping loudly beats writing on into a file nobody can read.
void Daemon::require_same_store_file() const {
    if (const auto same = m_store->check_same_file(); !same) {
        throw std::runtime_error("store: " + same.error() +
                                 "; stopping (restore the file, or restart to use the one now there)");
    }
}

void Daemon::deliver_alerts() {
    // A delivery that cannot be recorded would be sent again: alerts wait for the store too.
    if (!m_dispatcher || m_store_fault) return;
    const auto stats = m_dispatcher->deliver_due(Clock::to_time_t(Clock::now()), store::leads(*m_store));
    if (stats.sent + stats.retrying + stats.failed + stats.held + stats.digests > 0) {
        spdlog::info("alerts: {} sent, {} to retry, {} failed, {} held for a digest, {} digests built", stats.sent,
                     stats.retrying, stats.failed, stats.held, stats.digests);
    }
}

void Daemon::enter_store_fault(const std::string& error) {
    const auto now = Clock::now();
    if (m_store_fault) {
        m_store_fault->error = error;
    } else {
        spdlog::error(
            "store: polls cannot be recorded ({}): polling and alert delivery pause until the store "
            "takes writes again (checked every {}s)",
            error, k_store_probe_every.count());
        m_store_fault = StoreFault{.error = error, .since = now, .next_probe = now};
    }
    m_store_fault->next_probe = now + k_store_probe_every;
    m_metrics.set_store_fault(true);
}

// True unless the store is at fault and its probe, when due, still fails.
bool Daemon::store_writable(Clock::time_point now) {
    if (!m_store_fault) return true;
    if (now < m_store_fault->next_probe) return false;
    if (const auto probe = m_store->probe_write(k_store_headroom_bytes); !probe) {
        spdlog::debug("store: still at fault: {}", probe.error());
        enter_store_fault(probe.error());
        publish_state();
        return false;
    }
    spdlog::info("store: takes writes again after {}s at fault; polling resumes",
                 std::chrono::duration_cast<std::chrono::seconds>(now - m_store_fault->since).count());
    m_store_fault.reset();
    m_metrics.set_store_fault(false);
    publish_state();
    return true;
}

// At least a second ahead, so an outbox that cannot be read never turns the loop into a spin.
Daemon::Clock::time_point Daemon::next_alert_wake() {
    if (!m_dispatcher) return Clock::time_point::max();
    const auto wake = m_dispatcher->next_wake();
    if (!wake) return Clock::time_point::max();
    return std::max(Clock::from_time_t(*wake), Clock::now() + std::chrono::seconds(1));
}

Daemon::Clock::time_point Daemon::next_due() const {
    auto earliest = Clock::time_point::max();
    for (const auto& [id, due] : m_next_poll) earliest = std::min(earliest, due);
    return earliest;
}

CycleStats Daemon::poll(const std::vector<const config::FeedSpec*>& feeds) {
    PollCycle cycle(m_setup.config, m_setup.rules, *m_store, m_feed_states, m_fetcher, m_clock);
    CycleStats stats = cycle.run(feeds, [this] {
        m_notifier.watchdog();
        m_metrics.heartbeat();
        renew_lanes();  // a long cycle keeps its lanes
    });
    const auto now = Clock::now();
    for (const auto* feed : feeds) {
        // By the schedule policy (fetch/schedule.hpp), also when the store could not record the poll.
        const auto planned = stats.next_poll_at.find(feed->id);
        m_next_poll[feed->id] =
            planned != stats.next_poll_at.end() ? Clock::from_time_t(planned->second) : now + feed->interval;
    }
    if (stats.store_failures > 0) enter_store_fault(stats.store_error);
    spdlog::info("cycle: {} feeds polled ({} not modified, {} failed), {} items, {} new, {} hits", stats.feeds_polled,
                 stats.feeds_not_modified, stats.feeds_failed, stats.items_parsed, stats.items_new, stats.hits);
    m_metrics.record_cycle(stats);
    deliver_alerts();
    publish_state();
    m_notifier.status(status_line());
    drain_signals();
    return stats;
}

void Daemon::wait_until(Clock::time_point deadline) {
    auto longest = std::chrono::duration_cast<std::chrono::milliseconds>(k_longest_sleep);
    if (const auto period = m_notifier.watchdog_period()) longest = std::min(longest, *period);
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    const int timeout_ms = static_cast<int>(std::clamp<std::int64_t>(wait.count(), 0, longest.count()));
    std::array<pollfd, 3> descriptors{
        pollfd{.fd = m_signal_fd, .events = POLLIN, .revents = 0},
        pollfd{.fd = m_control ? m_control->wake_fd() : -1, .events = POLLIN, .revents = 0},
        pollfd{.fd = m_watcher ? m_watcher->fd() : -1, .events = POLLIN, .revents = 0}};
    if (::poll(descriptors.data(), descriptors.size(), timeout_ms) <= 0) return;
    if (descriptors[0].revents != 0) drain_signals();
    // Hot reload: an edit in rules_dir takes the SIGHUP path once the edits have settled.
    if (descriptors[2].revents != 0 && m_watcher && m_watcher->changed()) {
        spdlog::info("rule files changed in {}", m_watcher->dir().string());
        reload();
    }
}

void Daemon::watch_rules() {
    if (m_watcher && m_watcher->dir() == m_setup.config.rules_dir) return;
    m_watcher.reset();
    try {
        m_watcher = std::make_unique<rules::RulesWatcher>(m_setup.config.rules_dir);
    } catch (const std::system_error& error) {
        spdlog::warn("rule files are not watched for changes (reload with SIGHUP): {}", error.what());
    }
}

void Daemon::drain_signals() {
    signalfd_siginfo info{};
    pollfd descriptor{.fd = m_signal_fd, .events = POLLIN, .revents = 0};
    while (::poll(&descriptor, 1, 0) > 0 && ::read(m_signal_fd, &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGHUP) {
            reload();
        } else {
            spdlog::info("received signal {}, stopping", info.ssi_signo);
            m_notifier.stopping();
            m_stopping = true;
        }
    }
}

nlohmann::json Daemon::reload() {
    spdlog::info("reloading {}", m_setup.config.path.string());
    m_notifier.reloading();
    nlohmann::json result;
    try {
        Setup fresh = load_setup(m_setup.config.path.string());
        for (const auto& [setting, changed] :
             {std::pair{"state_dir", fresh.config.state_dir != m_setup.config.state_dir},
              std::pair{"metrics_listen", fresh.config.metrics_listen != m_setup.config.metrics_listen},
              std::pair{"web", fresh.config.web.enabled != m_setup.config.web.enabled ||
                                   fresh.config.web.listen != m_setup.config.web.listen ||
                                   fresh.config.web.base_path != m_setup.config.web.base_path ||
                                   fresh.config.web.public_url != m_setup.config.web.public_url},
              std::pair{"control_socket", fresh.config.control_socket != m_setup.config.control_socket},
              std::pair{"instance_id", fresh.config.instance_id != m_setup.config.instance_id},
              std::pair{"lease", fresh.config.lease != m_setup.config.lease}}) {
            if (changed) spdlog::warn("{} changed; it takes effect on restart", setting);
        }
        fresh.config.state_dir = m_setup.config.state_dir;
        fresh.config.metrics_listen = m_setup.config.metrics_listen;
        fresh.config.web = m_setup.config.web;
        fresh.config.control_socket = m_setup.config.control_socket;
        fresh.config.instance_id = m_setup.config.instance_id;
        fresh.config.lease = m_setup.config.lease;
        auto dispatcher = make_dispatcher(fresh.config, *m_store);
        m_setup = std::move(fresh);
        m_dispatcher = std::move(dispatcher);
        ++m_rules_generation;
        publish_briefs();
        log_setup(m_setup);
        if (m_watcher) watch_rules();
        m_leases.set_rules_hash(m_setup.rules_hash);
        map_lanes();
        const auto previous = std::move(m_next_poll);
        schedule_from_store();
        for (auto& [id, due] : m_next_poll) {
            if (const auto kept = previous.find(id); kept != previous.end()) due = kept->second;
        }
        result = {{"ok", true},
                  {"feeds", m_setup.config.feeds.size()},
                  {"briefs", m_setup.rules->rules().briefs.size()},
                  {"rules_hash", m_setup.rules_hash},
                  {"rules_generation", m_rules_generation}};
    } catch (const std::exception& error) {
        spdlog::error("reload failed, keeping the running config and rules: {}", error.what());
        result = {{"ok", false}, {"error", error.what()}};
    }
    m_metrics.record_reload(result["ok"].get<bool>(), m_rules_generation);
    m_last_reload = result;
    m_last_reload["at"] = feed::format_rfc3339(to_unix(Clock::now()));
    publish_state();
    m_notifier.ready(status_line());
    return result;
}

void Daemon::handle_control_requests() {
    if (!m_control) return;
    for (const auto& request : m_control->take_requests()) {
        nlohmann::json reply;
        try {
            reply = handle_control(request->command);
        } catch (const std::exception& error) {
            reply = {{"ok", false}, {"error", error.what()}};
        }
        request->reply.set_value(std::move(reply));
    }
}

nlohmann::json Daemon::handle_control(const nlohmann::json& command) {
    const std::string name = command["command"].get<std::string>();
    if (name == "reload") return reload();
    if (name == "poll") {
        if (m_store_fault) return {{"ok", false}, {"error", "the store cannot take writes: " + m_store_fault->error}};
        std::vector<const config::FeedSpec*> feeds;
        if (command.contains("feed") && command["feed"].is_string()) {
            const std::string id = command["feed"].get<std::string>();
            const auto found = std::find_if(m_setup.config.feeds.begin(), m_setup.config.feeds.end(),
                                            [&id](const config::FeedSpec& feed) { return feed.id == id; });
            if (found == m_setup.config.feeds.end())
                return {{"ok", false}, {"error", "no feed '" + id + "' in the config"}};
            if (!polls(*found)) {
                return {{"ok", false},
                        {"error", "feed '" + id + "' is polled by another instance (its lane " + m_lane_of.at(id) +
                                      " is leased to it)"}};
            }
            feeds.push_back(&*found);
        } else {
            feeds = all_feeds();
        }
        spdlog::info("poll requested over the control socket ({} feeds)", feeds.size());
        nlohmann::json reply = cycle_json(poll(feeds));
        reply["ok"] = true;
        return reply;
    }
    return {{"ok", false}, {"error", "unknown command '" + name + "' (status, reload, poll)"}};
}

// Everything `signalctl status` and STATUS= show that only this thread may compute.
void Daemon::publish_state() {
    std::size_t ok = 0;
    std::size_t failing = 0;
    std::size_t never_polled = 0;
    for (const auto& feed : m_setup.config.feeds) {
        const auto state = m_feed_states.find(feed.id);
        if (state == m_feed_states.end() || !state->second.last_poll) {
            ++never_polled;
        } else if (state->second.consecutive_failures > 0) {
            ++failing;
        } else {
            ++ok;
        }
    }
    m_metrics.set_feeds(ok, failing);
    auto outbox = m_store->outbox_counts();
    const auto totals = m_store->totals();
    std::string read_error;  // the status shows what could be read; the log says what could not
    if (!outbox) read_error = outbox.error();
    if (!totals) read_error = totals.error();
    if (!read_error.empty()) spdlog::error("store: reading the daemon's status: {}", read_error);
    nlohmann::json status{
        {"ok", true},
        {"version", SIGNALMON_VERSION},
        {"pid", ::getpid()},
        {"started_at", feed::format_rfc3339(to_unix(m_started))},
        {"config", m_setup.config.path.string()},
        {"rules_hash", m_setup.rules_hash},
        {"rules_generation", m_rules_generation},
        {"briefs", m_setup.rules->rules().briefs.size()},
        {"feeds",
         {{"configured", m_setup.config.feeds.size()}, {"ok", ok}, {"failing", failing}, {"new", never_polled}}},
    };
    if (totals) status["hits"] = totals->hits;
    status["instance"] = instance_json();
    if (!m_last_reload.is_null()) status["last_reload"] = m_last_reload;
    if (m_store_fault) {
        status["store_fault"] = {{"error", m_store_fault->error},
                                 {"since", feed::format_rfc3339(to_unix(m_store_fault->since))}};
    }
    if (const auto next = next_due(); next != Clock::time_point::max()) {
        status["next_poll"] = feed::format_rfc3339(to_unix(next));
    }
    if (outbox && !outbox->empty()) {
        nlohmann::json by_state = nlohmann::json::object();
        for (const auto& [state, count] : *outbox) by_state[state] = count;
        status["outbox"] = by_state;
    }
    if (!m_setup.config.metrics_listen.empty())
        status["metrics"] = "http://" + m_setup.config.metrics_listen + "/metrics";
    if (m_setup.config.web.enabled)
        status["web"] = "http://" + m_setup.config.web.listen + m_setup.config.web.base_path + "/";
    if (outbox) m_metrics.set_alerts(std::move(*outbox));
    const std::lock_guard lock(m_status_mutex);
    m_status = std::move(status);
}

// Who this daemon is among those sharing the store, for status and metrics.
nlohmann::json Daemon::instance_json() {
    const bool leader = store::leads(*m_store);
    const store::Instance& self = m_leases.self();
    std::size_t lanes = 0;
    nlohmann::json instance{{"id", self.id}, {"rules_hash", m_setup.rules_hash}, {"leader", leader}};
    if (m_leases.shared()) {
        lanes = m_leases.held().size();
        instance["lanes"] = m_leases.held();
        instance["lease_seconds"] = m_setup.config.lease.count();
        nlohmann::json others = nlohmann::json::array();
        for (const store::Instance& other : m_leases.instances()) {
            others.push_back(
                {{"id", other.id}, {"rules_hash", other.rules_hash}, {"seen_at", feed::format_rfc3339(other.seen_at)}});
        }
        instance["instances"] = std::move(others);
    } else {
        lanes = configured_lanes().size();
        instance["lanes"] = "all (the only daemon of this store)";
    }
    m_metrics.set_instance(self.id, m_setup.rules_hash, lanes, m_leases.instances().size(), leader);
    return instance;
}

nlohmann::json Daemon::status_snapshot() const {
    const std::lock_guard lock(m_status_mutex);
    nlohmann::json status = m_status;
    status["uptime_seconds"] = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - m_started).count();
    return status;
}

std::string Daemon::status_line() const {
    const std::lock_guard lock(m_status_mutex);
    const auto& feeds = m_status["feeds"];
    return fmt::format("{} feeds ({} failing), {} hits, rules {}", feeds["configured"].get<std::size_t>(),
                       feeds["failing"].get<std::size_t>(), m_status.value("hits", std::int64_t{0}),
                       m_setup.rules_hash);
}

}  // namespace signalmon::app
