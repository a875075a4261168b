// When to poll a feed next: the pure policy (interval, jitter, freshness hints, backoff, Retry-After).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fetch/fetcher.hpp"

namespace signalmon::fetch {

using Seconds = std::chrono::seconds;

struct SchedulePolicy {
    Seconds interval{std::chrono::minutes(15)};  // the feed's own interval
    // Freshness hints may lengthen the interval but never beyond max_interval; nothing, hints
    // included, polls more often than min_interval.
    Seconds min_interval{std::chrono::minutes(1)};
    Seconds max_interval{std::chrono::hours(24)};
    double jitter =
        0.1;  // a delay d becomes a uniform pick in [d, d·(1+jitter)] (success) or [d·(1−jitter), d] (backoff)
    Seconds backoff_max{std::chrono::hours(6)};  // failures back off to this and keep polling there forever
};

// What the server and the document said about how often it changes. Each is a lower bound.
struct FreshnessHints {
    std::optional<Seconds> max_age;        // Cache-Control: max-age (s-maxage ignored: we are not a shared cache)
    std::optional<Seconds> expires;        // Expires minus the response's Date (or now)
    std::optional<Seconds> ttl;            // RSS <ttl> (minutes in the document)
    std::optional<Seconds> update_period;  // sy:updatePeriod / sy:updateFrequency
};

// Delay after a successful poll (200 or 304). random01 is uniform in [0, 1).
Seconds success_delay(const SchedulePolicy& policy, const FreshnessHints& hints, double random01);

// Delay after the n-th consecutive failure (n ≥ 1): interval·2^(n−1), capped at backoff_max,
// jittered downwards; never shorter than retry_after when the server sent one (itself capped at a day).
Seconds failure_delay(const SchedulePolicy& policy, std::int64_t consecutive_failures,
                      std::optional<Seconds> retry_after, double random01);

// Retry-After: delta-seconds or an HTTP-date (relative to now, Unix seconds). Absent when unreadable.
std::optional<Seconds> parse_retry_after(std::string_view value, std::int64_t now);

// max-age from a Cache-Control header; absent with no-cache/no-store or when not given.
std::optional<Seconds> parse_max_age(std::string_view cache_control);

// Expires relative to date (the response's Date header, else now). Absent when unreadable or past.
std::optional<Seconds> parse_expires(std::string_view expires, std::string_view date, std::int64_t now);

// How long a failed fetch asks us to stay away: its Retry-After (429, 503), else k_rate_limit_pause
// when the server signalled rate limiting without one (SEC's 403), else nothing.
inline constexpr Seconds k_rate_limit_pause{std::chrono::minutes(10)};
std::optional<Seconds> requested_pause(const FetchError& error, std::int64_t now);

// What the store knows about a feed's recent history, in Unix seconds.
struct HealthFacts {
    std::optional<std::int64_t> first_failure;  // start of the current run of failures
    std::optional<std::int64_t> last_new_item;
    std::optional<std::int64_t> tracked_since;  // first poll
    std::string last_error;
};

// Why the feed needs a human: failing for longer than after, or silent (no new item) for longer
// than after. Empty when healthy.
std::optional<std::string> health_problem(const HealthFacts& facts, std::int64_t now, Seconds after);

}  // namespace signalmon::fetch
