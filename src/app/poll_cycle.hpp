// One poll cycle: fetch the due feeds, then for each answer parse → dedupe → match → score → store.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "fetch/fetcher.hpp"
#include "match/matcher.hpp"
#include "rules/compile.hpp"
#include "store/store.hpp"

namespace signalmon::app {

struct CycleStats {
    std::size_t feeds_polled = 0;
    std::size_t feeds_failed = 0;
    std::size_t feeds_not_modified = 0;
    std::size_t items_parsed = 0;
    std::size_t items_new = 0;
    std::size_t hits = 0;
    std::size_t feeds_moved = 0;    // answered with a permanent redirect
    std::size_t bytes_fetched = 0;  // response bodies, decoded
    std::size_t scan_bytes = 0;     // item text handed to the matcher
    double scan_seconds = 0;
    std::map<std::string, std::size_t> errors_by_reason;  // see failure_reason()
    std::map<std::pair<std::string, std::string>, std::size_t> hits_by_brief_kind;
    std::size_t store_failures = 0;  // polls whose result the store could not take (disk full, I/O error)
    std::string store_error;         // the last of them
    // When each polled feed is due again by the schedule policy, whether or not the store took the
    // poll: a feed whose result cannot be recorded keeps its interval or backoff.
    std::map<std::string, feed::UnixTime> next_poll_at;
};

// A short, bounded label for why a poll failed ("http_4xx", "timeout", "parse", ...), for metrics.
std::string failure_reason(std::string_view fetch_error_message);

class PollCycle {
public:
    PollCycle(const config::Config& config, std::shared_ptr<const rules::CompiledRules> rules, store::Store& store);

    // Polls the given feeds; a failing feed is recorded and never stops the others. on_feed_done
    // runs after each feed (the daemon keeps its watchdog fed through long cycles).
    CycleStats run(std::span<const config::FeedSpec* const> feeds, const std::function<void()>& on_feed_done = {});

private:
    // Everything after the fetch, for one feed. Returns the record to store and fills stats.
    // A feed whose new items wait for their linked pages (fetch_article, fetch_document).
    struct Waiting {
        const config::FeedSpec* feed;
        store::PollRecord record;
        feed::Feed parsed;
        std::vector<std::size_t> fresh;  // indices into parsed.items
    };

    void ingest(const config::FeedSpec& feed, const fetch::FetchRequest& request, fetch::FetchOutcome outcome,
                CycleStats& stats);
    // Fetches the pages the waiting feeds' new items link to, puts their text in content, then stores them.
    void enrich(CycleStats& stats);
    // Matches the new items, stores the poll, logs it, and checks the feed's health.
    // items is everything the feed listed (retention must know they are still listed).
    void store_poll(const config::FeedSpec& feed, const store::PollRecord& record, std::span<const feed::Item> items,
                    std::span<const feed::Item* const> fresh, CycleStats& stats);
    static void store_failed(const config::FeedSpec& feed, const std::string& error, CycleStats& stats);
    static void count_hits(const config::FeedSpec& feed, std::span<const store::NewItem> new_items, CycleStats& stats);
    // When to poll next after this outcome, by the schedule policy (fetch/schedule.hpp).
    feed::UnixTime next_poll(const config::FeedSpec& feed, const fetch::FetchOutcome& outcome,
                             const std::optional<feed::Feed>& parsed, feed::UnixTime now);
    // Raises a health alert through the alert channels once per episode when the feed has been
    // failing or silent for too long, and clears it when the feed recovers.
    void check_health(const config::FeedSpec& feed, feed::UnixTime now);

    // Hits of (brief, signal) today, stored or found earlier in this cycle, for max_per_day.
    std::int64_t& hits_today(std::string_view brief, std::string_view signal);

    const config::Config& m_config;
    std::shared_ptr<const rules::CompiledRules> m_rules;
    match::Matcher m_matcher;
    store::Store& m_store;
    feed::UnixTime m_day_start = 0;
    std::map<std::string, std::int64_t, std::less<>> m_hits_today;              // "brief\nsignal" → count
    std::unordered_map<std::string, std::optional<store::FeedState>> m_states;  // as of the cycle's start
    std::vector<Waiting> m_waiting;
    std::mt19937_64 m_random{std::random_device{}()};
};

fetch::FetchOptions fetch_options(const config::Config& config);

}  // namespace signalmon::app
