// The work of one feed's poll as pure functions: from the fetch outcome, the feed's state before
// the poll, the rules and today's hit counts to what the store must record. No network, store or
// clock here: the poll cycle (app/poll_cycle.hpp) gathers the inputs and applies the result.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "fetch/fetcher.hpp"
#include "match/matcher.hpp"
#include "rules/compile.hpp"
#include "store/store.hpp"

namespace signalmon::app {

// A short, bounded label for why a poll failed ("http_4xx", "timeout", "parse", ...), for metrics.
std::string failure_reason(std::string_view fetch_error_message);

// A fetch outcome read: the record of the poll (status, validators, title, redirect, next poll)
// and, for a full answer that parsed, the feed.
struct Answer {
    store::PollRecord record;
    std::optional<feed::Feed> parsed;
    std::string failure_reason;  // failure_reason() of a failed fetch, "parse" of a parse failure; else empty
};

// requested_url is the URL fetched (the stored redirect, if any); previous the feed's state before
// this poll; random01 uniform in [0, 1), for the schedule's jitter.
Answer read_answer(const config::Config& config, const config::FeedSpec& feed, std::string_view requested_url,
                   const fetch::FetchOutcome& outcome, const std::optional<store::FeedState>& previous,
                   feed::UnixTime now, double random01);

// What a poll leaves to store: the feed's next state, the new items with their verdicts and
// alert requests, and a health alert when this poll starts an episode. Written in one transaction.
struct PollResult {
    store::FeedState state;
    std::vector<store::NewItem> new_items;
    std::optional<store::HealthAlertRequest> health_alert;
    std::optional<std::string> health_problem;  // why the feed needs a human, when it newly does
    bool health_recovered = false;              // an alerted episode ended with this poll
};

// Matches and scores the fresh items (those of answer.parsed the store has not seen) and works out
// the feed's state and health after the poll. hits_today holds today's hits by (brief, signal) for
// max_per_day; the hits found here are added to it.
PollResult judge_poll(const config::Config& config, const config::FeedSpec& feed, match::Matcher& matcher,
                      const Answer& answer, std::span<const feed::Item* const> fresh,
                      const std::optional<store::FeedState>& previous, store::HitCounts& hits_today);

}  // namespace signalmon::app
