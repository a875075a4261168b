// One feed's poll, minus everything that talks to the world.
#include "app/poll_step.hpp"

#include <utility>

#include "alert/enqueue.hpp"
#include "feed/parse.hpp"
#include "fetch/schedule.hpp"
#include "score/evaluate.hpp"

namespace signalmon::app {
namespace {

bool contains(std::string_view text, std::string_view word) { return text.find(word) != std::string_view::npos; }

// When to poll next after this outcome, by the schedule policy (fetch/schedule.hpp).
feed::UnixTime next_poll(const config::Config& config, const config::FeedSpec& feed, const fetch::FetchOutcome& outcome,
                         const std::optional<feed::Feed>& parsed, const std::optional<store::FeedState>& previous,
                         feed::UnixTime now, double random01) {
    const fetch::SchedulePolicy policy{.interval = feed.interval,
                                       .min_interval = config.min_interval,
                                       .max_interval = config.max_interval,
                                       .jitter = config.jitter,
                                       .backoff_max = config.backoff_max};
    const bool failed = !outcome || (!outcome->not_modified() && !parsed);
    if (failed) {
        const std::int64_t failures = (previous ? previous->consecutive_failures : 0) + 1;
        const auto pause = outcome ? std::nullopt : fetch::requested_pause(outcome.error(), now);
        return now + fetch::failure_delay(policy, failures, pause, random01).count();
    }
    fetch::FreshnessHints hints{.max_age = fetch::parse_max_age(outcome->cache_control),
                                .expires = fetch::parse_expires(outcome->expires, outcome->date, now),
                                .ttl = std::nullopt,
                                .update_period = std::nullopt};
    if (parsed && parsed->ttl_seconds) hints.ttl = fetch::Seconds(*parsed->ttl_seconds);
    if (parsed && parsed->update_period_seconds) hints.update_period = fetch::Seconds(*parsed->update_period_seconds);
    return now + fetch::success_delay(policy, hints, random01).count();
}

}  // namespace

std::string failure_reason(std::string_view message) {
    if (message.starts_with("HTTP 4")) return "http_4xx";
    if (message.starts_with("HTTP 5")) return "http_5xx";
    if (message.starts_with("HTTP ")) return "http_other";
    if (contains(message, "timeout") || contains(message, "timed out")) return "timeout";
    if (contains(message, "larger than")) return "too_large";
    if (contains(message, "resolve")) return "dns";
    if (contains(message, "SSL") || contains(message, "TLS") || contains(message, "certificate")) return "tls";
    if (contains(message, "connect")) return "connect";
    return "other";
}

Answer read_answer(const config::Config& config, const config::FeedSpec& feed, std::string_view requested_url,
                   const fetch::FetchOutcome& outcome, const std::optional<store::FeedState>& previous,
                   feed::UnixTime now, double random01) {
    Answer answer{
        .record = {.feed_id = feed.id, .url = feed.url, .polled_at = now}, .parsed = {}, .failure_reason = {}};
    store::PollRecord& record = answer.record;
    if (!outcome) {
        record.status = store::PollRecord::Status::failed;
        record.error = "fetch: " + outcome.error().message;
        answer.failure_reason = failure_reason(outcome.error().message);
    } else if (outcome->not_modified()) {
        record.status = store::PollRecord::Status::not_modified;
    } else {
        record.etag = outcome->etag;
        record.last_modified = outcome->last_modified;
        record.body_bytes = static_cast<std::int64_t>(outcome->body.size());
        const std::string_view base_url = outcome->effective_url.empty() ? requested_url : outcome->effective_url;
        auto parsed =
            feed::parse(outcome->body, {.base_url = std::string(base_url), .content_type = outcome->content_type});
        if (parsed) {
            // A degraded read (entries after an XML error lost, a date zone guessed) is still a
            // successful poll: the feed stays healthy and its readable entries are matched.
            record.feed_title = parsed->title;
            answer.parsed = std::move(*parsed);
        } else {
            record.status = store::PollRecord::Status::failed;
            record.error = "parse: " + parsed.error().message;
            answer.failure_reason = "parse";
        }
    }
    if (outcome && !outcome->permanent_redirect_url.empty() && outcome->permanent_redirect_url != requested_url) {
        record.redirect_url = outcome->permanent_redirect_url;
    }
    record.next_poll = next_poll(config, feed, outcome, answer.parsed, previous, now, random01);
    return answer;
}

PollResult judge_poll(const config::Config& config, const config::FeedSpec& feed, match::Matcher& matcher,
                      const Answer& answer, std::span<const feed::Item* const> fresh,
                      const std::optional<store::FeedState>& previous, store::HitCounts& hits_today) {
    const store::PollRecord& record = answer.record;
    const rules::CompiledRules& rules = matcher.compiled();
    PollResult result;
    const score::ItemContext context{
        .feed_id = feed.id, .feed_tags = feed.tags, .hits_today = [&](std::string_view brief, std::string_view signal) {
            const auto found = hits_today.find({std::string(brief), std::string(signal)});
            return found == hits_today.end() ? std::int64_t{0} : found->second;
        }};
    for (const feed::Item* item : fresh) {
        auto verdicts = score::evaluate(rules, *item, matcher.scan(*item), context);
        for (const score::Verdict& verdict : verdicts) {
            for (const score::SignalHit& hit : verdict.hits) ++hits_today[{verdict.brief_id, hit.signal_id}];
        }
        auto alerts = alert::alert_requests(config.alerts, rules.rules(), feed.id, *item, verdicts, record.polled_at);
        result.new_items.push_back({item, std::move(verdicts), std::move(alerts)});
    }
    result.state = store::advance_state(previous, record, result.new_items.size());

    // A health alert once per episode of failing or silence; cleared when the feed recovers.
    const store::FeedState& state = result.state;
    auto problem = fetch::health_problem({.first_failure = state.first_failure,
                                          .last_new_item = state.last_new_item,
                                          .tracked_since = state.tracked_since,
                                          .last_error = state.last_error},
                                         record.polled_at, feed.health_alert_after);
    if (problem.has_value() == state.health_alerted) return result;
    if (problem) {
        result.health_alert = alert::health_request(config.alerts, state, *problem, record.polled_at);
        result.health_problem = std::move(problem);
        result.state.health_alerted = true;
    } else {
        result.health_recovered = true;
        result.state.health_alerted = false;
    }
    return result;
}

}  // namespace signalmon::app
