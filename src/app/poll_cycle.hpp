// One poll cycle: fetch the due feeds, then for each answer parse → dedupe → match → score → store.
// The per-feed work is app/poll_step.hpp; this wires it to the fetcher, the store and the clock.
#pragma once

#include <cstddef>
#include <expected>
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

#include "app/clock.hpp"
#include "app/poll_step.hpp"
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

// Every feed's stored state by feed id: read in one query at startup, then kept up to date in
// memory by the cycles that write them.
using FeedStates = std::unordered_map<std::string, store::FeedState>;
std::expected<FeedStates, std::string> load_feed_states(store::Store& store);

class PollCycle {
public:
    // states are the daemon's; each poll the store takes updates its feed's entry.
    PollCycle(const config::Config& config, std::shared_ptr<const rules::CompiledRules> rules, store::Store& store,
              FeedStates& states, fetch::Fetcher& fetcher, const Clock& clock);

    // Polls the given feeds; a failing feed is recorded and never stops the others. on_feed_done
    // runs after each feed (the daemon keeps its watchdog fed through long cycles).
    CycleStats run(std::span<const config::FeedSpec* const> feeds, const std::function<void()>& on_feed_done = {});

private:
    // A feed whose new items wait for their linked pages (fetch_article, fetch_document).
    struct Waiting {
        const config::FeedSpec* feed;
        Answer answer;
        std::vector<std::size_t> fresh;  // indices into answer.parsed->items
    };

    void ingest(const config::FeedSpec& feed, const fetch::FetchRequest& request, const fetch::FetchOutcome& outcome,
                CycleStats& stats);
    // Fetches the pages the waiting feeds' new items link to, puts their text in content, then stores them.
    void enrich(CycleStats& stats);
    // Judges the new items (poll_step.hpp), writes the poll in one transaction and logs it.
    void store_poll(const config::FeedSpec& feed, const Answer& answer, std::span<const feed::Item* const> fresh,
                    CycleStats& stats);
    static void store_failed(const config::FeedSpec& feed, const std::string& error, CycleStats& stats);
    static void count_hits(const config::FeedSpec& feed, std::span<const store::NewItem> new_items, CycleStats& stats);
    std::optional<store::FeedState> previous_state(const std::string& feed_id) const;

    const config::Config& m_config;
    std::shared_ptr<const rules::CompiledRules> m_rules;
    match::Matcher m_matcher;
    store::Store& m_store;
    FeedStates& m_states;
    fetch::Fetcher& m_fetcher;
    const Clock& m_clock;
    store::HitCounts m_hits_today;  // for max_per_day: stored today when the cycle started, plus this cycle's
    std::vector<Waiting> m_waiting;
    std::mt19937_64 m_random{std::random_device{}()};
};

fetch::FetchOptions fetch_options(const config::Config& config);

}  // namespace signalmon::app
