// One poll cycle: fetch the due feeds, then for each answer parse → dedupe → match → score → store.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>

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
};

class PollCycle {
public:
    PollCycle(const config::Config& config, std::shared_ptr<const rules::CompiledRules> rules, store::Store& store);

    // Polls the given feeds; a failing feed is recorded and never stops the others.
    CycleStats run(std::span<const config::FeedSpec* const> feeds);

private:
    // Everything after the fetch, for one feed. Returns the record to store and fills stats.
    void ingest(const config::FeedSpec& feed, const fetch::FetchRequest& request, fetch::FetchOutcome outcome,
                CycleStats& stats);

    // Hits of (brief, signal) today, stored or found earlier in this cycle, for max_per_day.
    std::int64_t& hits_today(std::string_view brief, std::string_view signal);

    const config::Config& m_config;
    std::shared_ptr<const rules::CompiledRules> m_rules;
    match::Matcher m_matcher;
    store::Store& m_store;
    feed::UnixTime m_day_start = 0;
    std::map<std::string, std::int64_t, std::less<>> m_hits_today;  // "brief\nsignal" → count
};

fetch::FetchOptions fetch_options(const config::Config& config);

}  // namespace signalmon::app
