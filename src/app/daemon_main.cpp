// signalmond: options, startup validation, the scheduler loop, and signal handling (signalfd, so
// signals are plain events in the loop rather than code running at arbitrary points).
#include "app/daemon_main.hpp"

#include <poll.h>
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>
#include <string_view>

#include "alert/dispatcher.hpp"
#include "app/poll_cycle.hpp"
#include "app/reload_status.hpp"
#include "config/config.hpp"
#include "rules/compile.hpp"
#include "rules/watcher.hpp"
#include "store/store.hpp"

namespace signalmon::app {
namespace {

constexpr int k_exit_ok = 0;
constexpr int k_exit_failure = 1;
constexpr int k_exit_usage = 2;

constexpr std::string_view k_usage = R"(usage: signalmond [--config FILE] [--once] [--verbose]

Polls the feeds in FILE (default ./feeds.yaml), matches new items against rules_dir/*.yaml and
stores hits in state_dir/signalmon.db.

  --config FILE  the feeds.yaml to run
  --once         poll every feed once, then exit (0 on success; 1 if the config or rules are bad)
  --verbose      log debug detail
  --version      print the version
  --help         print this help

Signals: SIGTERM/SIGINT finish the cycle in flight and exit; SIGHUP reloads feeds.yaml and rules,
keeping the running ones if the new ones are bad.
)";

struct Options {
    std::string config_path = "feeds.yaml";
    bool once = false;
    bool verbose = false;
};

using Clock = std::chrono::system_clock;

// The loaded configuration and the rules compiled from it: replaced together on reload.
struct Setup {
    config::Config config;
    std::shared_ptr<const rules::CompiledRules> rules;
};

Setup load_setup(const std::string& config_path) {
    Setup setup{config::load_config(config_path), nullptr};
    setup.rules = rules::compile(rules::load_rules_dir(setup.config.rules_dir));
    return setup;
}

std::size_t count_signals(const rules::RuleSet& rule_set) {
    std::size_t count = 0;
    for (const auto& brief : rule_set.briefs) count += brief.signals.size();
    return count;
}

void log_setup(const Setup& setup) {
    spdlog::info("loaded {} feeds from {}; {} briefs with {} signals from {} (rules {})", setup.config.feeds.size(),
                 setup.config.path.string(), setup.rules->rules().briefs.size(), count_signals(setup.rules->rules()),
                 setup.config.rules_dir.string(), setup.rules->rules().content_hash);
    if (const std::size_t drafts = setup.rules->rules().draft_signal_count(); drafts > 0) {
        spdlog::warn("{} signals are marked draft: true (drafted, not reviewed): review them and remove the key", drafts);
    }
}

class Daemon {
public:
    Daemon(Setup setup, int signal_fd)
        : m_setup(std::move(setup)), m_signal_fd(signal_fd), m_store(open_store(m_setup.config)),
          m_dispatcher(make_dispatcher(m_setup.config, m_store)) {
        m_reload_status.rules_hash = m_setup.rules->rules().content_hash;
        m_reload_status.draft_signals = m_setup.rules->rules().draft_signal_count();
        schedule_from_store();
    }

    const ReloadStatus& reload_status() const { return m_reload_status; }

    void run_once() { poll(all_feeds()); }  // poll() delivers due alerts before returning

    void run_forever() {
        watch_rules();
        while (!m_stopping) {
            std::vector<const config::FeedSpec*> due;
            const auto now = Clock::now();
            for (const auto& feed : m_setup.config.feeds) {
                if (m_next_poll[feed.id] <= now) due.push_back(&feed);
            }
            if (!due.empty()) {
                poll(due);
                continue;
            }
            deliver_alerts();
            wait_for_signal_until(std::min(next_due(), next_alert_wake()));
        }
        spdlog::info("stopped");
    }

private:
    static store::Store open_store(const config::Config& config) {
        std::filesystem::create_directories(config.state_dir);
        return store::Store(config.database_path(), store::Database::Mode::read_write);
    }

    // Null when feeds.yaml configures no alerts. Throws if a channel's secret cannot be read.
    static std::unique_ptr<alert::Dispatcher> make_dispatcher(const config::Config& config, store::Store& store) {
        if (!config.alerts.enabled()) return nullptr;
        return std::make_unique<alert::Dispatcher>(config.alerts, config.user_agent, store);
    }

    void deliver_alerts() {
        if (!m_dispatcher) return;
        const auto stats = m_dispatcher->deliver_due(Clock::to_time_t(Clock::now()));
        if (stats.sent + stats.retrying + stats.failed + stats.held + stats.digests > 0) {
            spdlog::info("alerts: {} sent, {} to retry, {} failed, {} held for a digest, {} digests built", stats.sent,
                         stats.retrying, stats.failed, stats.held, stats.digests);
        }
    }

    // At least a second ahead, so an outbox that cannot be read never turns the loop into a spin.
    Clock::time_point next_alert_wake() {
        if (!m_dispatcher) return Clock::time_point::max();
        const auto wake = m_dispatcher->next_wake();
        if (!wake) return Clock::time_point::max();
        return std::max(Clock::from_time_t(*wake), Clock::now() + std::chrono::seconds(1));
    }

    std::vector<const config::FeedSpec*> all_feeds() const {
        std::vector<const config::FeedSpec*> feeds;
        for (const auto& feed : m_setup.config.feeds) feeds.push_back(&feed);
        return feeds;
    }

    // A restart resumes each feed's schedule from its last poll instead of polling all at once.
    void schedule_from_store() {
        std::map<std::string, Clock::time_point> next;
        for (const auto& feed : m_setup.config.feeds) {
            const auto state = m_store.feed_state(feed.id);
            auto due = Clock::now();
            if (state && state->last_poll && state->url == feed.url) {
                // The stored next poll already carries backoff, Retry-After and freshness hints.
                due = state->next_poll ? Clock::time_point(std::chrono::seconds(*state->next_poll))
                                       : Clock::time_point(std::chrono::seconds(*state->last_poll)) + feed.interval;
            }
            next[feed.id] = due;
        }
        m_next_poll = std::move(next);
    }

    Clock::time_point next_due() const {
        auto earliest = Clock::time_point::max();
        for (const auto& [id, due] : m_next_poll) earliest = std::min(earliest, due);
        return earliest;
    }

    void poll(const std::vector<const config::FeedSpec*>& feeds) {
        PollCycle cycle(m_setup.config, m_setup.rules, m_store);
        const CycleStats stats = cycle.run(feeds);
        const auto now = Clock::now();
        for (const auto* feed : feeds) {
            // PollCycle stored each feed's next poll by the schedule policy (fetch/schedule.hpp).
            const auto state = m_store.feed_state(feed->id);
            m_next_poll[feed->id] = state && state->next_poll ? Clock::time_point(std::chrono::seconds(*state->next_poll))
                                                              : now + feed->interval;
        }
        spdlog::info("cycle: {} feeds polled ({} not modified, {} failed), {} items, {} new, {} hits",
                     stats.feeds_polled, stats.feeds_not_modified, stats.feeds_failed, stats.items_parsed,
                     stats.items_new, stats.hits);
        deliver_alerts();
        drain_signals();
    }

    void wait_for_signal_until(Clock::time_point deadline) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        const int timeout_ms = static_cast<int>(std::clamp<std::int64_t>(wait.count(), 0, 60'000));
        std::array<pollfd, 2> descriptors{pollfd{.fd = m_signal_fd, .events = POLLIN, .revents = 0},
                                          pollfd{.fd = m_watcher ? m_watcher->fd() : -1, .events = POLLIN, .revents = 0}};
        if (::poll(descriptors.data(), descriptors.size(), timeout_ms) > 0) drain_signals();
    }

    // Hot reload: an edit in rules_dir takes the SIGHUP path once the edits have settled.
    void watch_rules() {
        if (m_watcher && m_watcher->dir() == m_setup.config.rules_dir) return;
        m_watcher.reset();
        try {
            m_watcher.emplace(m_setup.config.rules_dir);
        } catch (const std::system_error& error) {
            spdlog::warn("rule files are not watched for changes (reload with SIGHUP): {}", error.what());
        }
    }

    void drain_signals() {
        signalfd_siginfo info{};
        pollfd descriptor{.fd = m_signal_fd, .events = POLLIN, .revents = 0};
        while (::poll(&descriptor, 1, 0) > 0 && ::read(m_signal_fd, &info, sizeof info) == sizeof info) {
            if (info.ssi_signo == SIGHUP) {
                reload("SIGHUP");
            } else {
                spdlog::info("received signal {}, stopping", info.ssi_signo);
                m_stopping = true;
            }
        }
        if (m_watcher && m_watcher->changed()) reload("rules_dir change");
    }

    void reload(std::string_view trigger) {
        spdlog::info("reloading {} ({})", m_setup.config.path.string(), trigger);
        m_reload_status.last_reload = Clock::now();
        m_reload_status.last_trigger = std::string(trigger);
        try {
            Setup fresh = load_setup(m_setup.config.path.string());
            if (fresh.config.state_dir != m_setup.config.state_dir) {
                spdlog::warn("state_dir changed; it takes effect on restart");
                fresh.config.state_dir = m_setup.config.state_dir;
            }
            auto dispatcher = make_dispatcher(fresh.config, m_store);
            m_setup = std::move(fresh);
            m_dispatcher = std::move(dispatcher);
            log_setup(m_setup);
            m_reload_status.last_ok = true;
            m_reload_status.rules_hash = m_setup.rules->rules().content_hash;
            m_reload_status.draft_signals = m_setup.rules->rules().draft_signal_count();
            m_reload_status.last_message = "loaded " + std::to_string(m_setup.rules->rules().briefs.size()) + " briefs, " +
                                           std::to_string(count_signals(m_setup.rules->rules())) + " signals";
            if (m_watcher) watch_rules();
            const auto previous = std::move(m_next_poll);
            schedule_from_store();
            for (auto& [id, due] : m_next_poll) {
                if (const auto kept = previous.find(id); kept != previous.end()) due = kept->second;
            }
        } catch (const std::exception& error) {
            spdlog::error("reload failed, keeping the running config and rules: {}", error.what());
            m_reload_status.last_ok = false;
            m_reload_status.last_message = error.what();
        }
    }

    Setup m_setup;
    int m_signal_fd;
    store::Store m_store;
    std::unique_ptr<alert::Dispatcher> m_dispatcher;
    std::map<std::string, Clock::time_point> m_next_poll;
    bool m_stopping = false;
    std::optional<rules::RulesWatcher> m_watcher;
    ReloadStatus m_reload_status;
};

int parse_options(int argc, char** argv, Options& options) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help") {
            std::fputs(k_usage.data(), stdout);
            return k_exit_ok;
        }
        if (arg == "--version") {
            std::puts("signalmond " SIGNALMON_VERSION);
            return k_exit_ok;
        }
        if (arg == "--once") {
            options.once = true;
        } else if (arg == "--verbose") {
            options.verbose = true;
        } else if (arg == "--config" && i + 1 < argc) {
            options.config_path = argv[++i];
        } else {
            std::fprintf(stderr, "signalmond: unknown option '%s'\n%s", argv[i], k_usage.data());
            return k_exit_usage;
        }
    }
    return -1;
}

}  // namespace

int run_signalmond(int argc, char** argv) {
    Options options;
    if (const int exit_code = parse_options(argc, argv, options); exit_code >= 0) return exit_code;

    spdlog::set_default_logger(spdlog::stderr_logger_mt("signalmond"));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S%z %l %v");
    spdlog::set_level(options.verbose ? spdlog::level::debug : spdlog::level::info);

    sigset_t handled;
    sigemptyset(&handled);
    for (int signal_number : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&handled, signal_number);
    pthread_sigmask(SIG_BLOCK, &handled, nullptr);
    const int signal_fd = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);

    try {
        Setup setup = load_setup(options.config_path);
        log_setup(setup);
        Daemon daemon(std::move(setup), signal_fd);
        if (options.once) {
            daemon.run_once();
        } else {
            daemon.run_forever();
        }
    } catch (const std::exception& error) {
        // Config and rule errors already read "FILE:LINE:COL: message"; print them as they are.
        std::fprintf(stderr, "signalmond: %s\n", error.what());
        return k_exit_failure;
    }
    return k_exit_ok;
}

}  // namespace signalmon::app
