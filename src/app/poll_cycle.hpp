// One poll cycle: fetch the due feeds, then for each answer parse → dedupe → match → score → store.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <span>

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
    // Everything after the fetch, for one feed, on an ingest worker with its own Matcher: parsing,
    // matching and scoring run on every core; store calls and stats take m_store_mutex.
    void ingest(const config::FeedSpec& feed, const fetch::FetchRequest& request, fetch::FetchOutcome outcome,
                match::Matcher& matcher, CycleStats& stats);

    const config::Config& m_config;
    std::shared_ptr<const rules::CompiledRules> m_rules;
    store::Store& m_store;
    std::mutex m_store_mutex;  // the store's connection and the cycle's stats, one worker at a time
};

fetch::FetchOptions fetch_options(const config::Config& config);

}  // namespace signalmon::app
