// Tests for src/fetch/schedule.cpp: intervals, freshness hints, backoff values, Retry-After, health.
#include <doctest/doctest.h>

#include "fetch/schedule.hpp"

using namespace signalmon::fetch;
using namespace std::chrono_literals;

namespace {

// 2015-10-21T07:28:00Z, the Last-Modified of the fixture server's feed.
constexpr std::int64_t k_now = 1445412480;

SchedulePolicy policy_15m() {
    return SchedulePolicy{
        .interval = 15min, .min_interval = 1min, .max_interval = 24h, .jitter = 0.1, .backoff_max = 6h};
}

}  // namespace

TEST_CASE("success: the interval, lengthened by jitter only") {
    const SchedulePolicy policy = policy_15m();
    CHECK(success_delay(policy, {}, 0.0) == 900s);
    CHECK(success_delay(policy, {}, 0.5) == 945s);
    CHECK(success_delay(policy, {}, 0.999999) == 990s);
    CHECK(success_delay({.interval = 15min, .min_interval = 1min, .max_interval = 24h, .jitter = 0, .backoff_max = 6h},
                        {}, 0.7) == 900s);
}

TEST_CASE("success: freshness hints are lower bounds within the floor and ceiling") {
    SchedulePolicy policy = policy_15m();
    policy.jitter = 0;
    CHECK(success_delay(policy, {.max_age = 3600s}, 0) == 3600s);
    CHECK(success_delay(policy, {.max_age = 60s}, 0) == 900s);  // a shorter hint never speeds us up
    CHECK(success_delay(policy, {.expires = 7200s, .ttl = 3h}, 0) == 3h);
    CHECK(success_delay(policy, {.update_period = 7 * 24h}, 0) == 24h);  // the ceiling
    policy.interval = 10s;
    CHECK(success_delay(policy, {}, 0) == 60s);  // the floor
}

TEST_CASE("failure: exponential backoff from the interval to a 6 h ceiling, forever") {
    SchedulePolicy policy = policy_15m();
    policy.jitter = 0;
    CHECK(failure_delay(policy, 1, std::nullopt, 0) == 15min);
    CHECK(failure_delay(policy, 2, std::nullopt, 0) == 30min);
    CHECK(failure_delay(policy, 3, std::nullopt, 0) == 1h);
    CHECK(failure_delay(policy, 4, std::nullopt, 0) == 2h);
    CHECK(failure_delay(policy, 5, std::nullopt, 0) == 4h);
    CHECK(failure_delay(policy, 6, std::nullopt, 0) == 6h);
    CHECK(failure_delay(policy, 1000, std::nullopt, 0) == 6h);
    CHECK(failure_delay(policy, std::int64_t{1} << 62, std::nullopt, 0) == 6h);
}

TEST_CASE("failure: jitter shortens, so the ceiling holds") {
    const SchedulePolicy policy = policy_15m();
    CHECK(failure_delay(policy, 9, std::nullopt, 0.0) == 6h);
    CHECK(failure_delay(policy, 9, std::nullopt, 1.0) == 6h - 36min);
    CHECK(failure_delay(policy, 2, std::nullopt, 0.5) == 1710s);  // 30 min less 5 %
}

TEST_CASE("failure: Retry-After is obeyed, up to a day") {
    SchedulePolicy policy = policy_15m();
    policy.jitter = 0;
    CHECK(failure_delay(policy, 1, 2h, 0) == 2h);
    CHECK(failure_delay(policy, 6, 2h, 0) == 6h);  // backoff already longer
    CHECK(failure_delay(policy, 1, 30s, 0) == 15min);
    CHECK(failure_delay(policy, 1, 1000h, 0) == 24h);
}

TEST_CASE("Retry-After: seconds or HTTP-date") {
    CHECK(parse_retry_after("120", k_now) == 120s);
    CHECK(parse_retry_after(" 0 ", k_now) == 0s);
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", k_now) == 120s);
    CHECK(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", k_now) == 0s);
    CHECK_FALSE(parse_retry_after("soon", k_now).has_value());
    CHECK_FALSE(parse_retry_after("-5", k_now).has_value());
}

TEST_CASE("rate limiting asks for a pause: Retry-After, else ten minutes") {
    FetchError too_many{"HTTP 429 Too Many Requests", 429, "30"};
    too_many.rate_limited = true;
    CHECK(requested_pause(too_many, k_now) == 30s);
    FetchError forbidden{"HTTP 403 Forbidden", 403};
    forbidden.rate_limited = true;
    CHECK(requested_pause(forbidden, k_now) == k_rate_limit_pause);
    CHECK_FALSE(requested_pause(FetchError{"HTTP 404 Not Found", 404}, k_now).has_value());
    CHECK_FALSE(requested_pause(FetchError{"HTTP 403 Forbidden", 403}, k_now).has_value());
}

TEST_CASE("Cache-Control max-age and Expires") {
    CHECK(parse_max_age("public, max-age=3600") == 3600s);
    CHECK(parse_max_age("Max-Age=\"60\"") == 60s);
    CHECK_FALSE(parse_max_age("max-age=3600, no-cache").has_value());
    CHECK_FALSE(parse_max_age("no-store").has_value());
    CHECK_FALSE(parse_max_age("s-maxage=100").has_value());
    CHECK_FALSE(parse_max_age("max-age=abc").has_value());
    CHECK(parse_expires("Wed, 21 Oct 2015 08:28:00 GMT", "Wed, 21 Oct 2015 07:28:00 GMT", 0) == 3600s);
    CHECK(parse_expires("Wed, 21 Oct 2015 08:28:00 GMT", "", k_now) == 3600s);
    CHECK_FALSE(parse_expires("0", "", k_now).has_value());
    CHECK_FALSE(parse_expires("Wed, 21 Oct 2015 06:00:00 GMT", "", k_now).has_value());
}

TEST_CASE("health: failing or silent for longer than the limit") {
    CHECK_FALSE(health_problem({.first_failure = k_now - 3600,
                                .last_new_item = k_now - 7200,
                                .tracked_since = k_now - 9000,
                                .last_error = "fetch: HTTP 500"},
                               k_now, 24h)
                    .has_value());
    CHECK(health_problem({.first_failure = k_now - 25 * 3600,
                          .last_new_item = {},
                          .tracked_since = k_now - 90000,
                          .last_error = "fetch: HTTP 500 Internal Server Error"},
                         k_now, 24h) == "failing for 25 h: fetch: HTTP 500 Internal Server Error");
    CHECK(health_problem({.first_failure = {},
                          .last_new_item = k_now - 48 * 3600,
                          .tracked_since = k_now - 90 * 3600,
                          .last_error = {}},
                         k_now, 24h) == "silent for 48 h: no new items");
    CHECK(
        health_problem({.first_failure = {}, .last_new_item = {}, .tracked_since = k_now - 30 * 3600, .last_error = {}},
                       k_now, 24h) == "silent for 30 h: no new items");
}
