// One poll cycle: fetch the due feeds, then for each answer parse → dedupe → match → score → store.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>

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
    std::size_t bytes_fetched = 0;  // response bodies, decoded
    std::size_t scan_bytes = 0;     // item text handed to the matcher
    double scan_seconds = 0;
    std::map<std::string, std::size_t> errors_by_reason;  // see failure_reason()
    std::map<std::pair<std::string, std::string>, std::size_t> hits_by_brief_kind;
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
    void ingest(const config::FeedSpec& feed, const fetch::FetchRequest& request, fetch::FetchOutcome outcome,
                CycleStats& stats);

    static void count_hits(const config::FeedSpec& feed, std::span<const store::NewItem> new_items, CycleStats& stats);

    const config::Config& m_config;
    std::shared_ptr<const rules::CompiledRules> m_rules;
    match::Matcher m_matcher;
    store::Store& m_store;
};

fetch::FetchOptions fetch_options(const config::Config& config);

}  // namespace signalmon::app
