// Tests for src/alert/retry_policy.cpp: which failures retry, Retry-After, backoff with jitter.
#include <doctest/doctest.h>

#include "alert/retry_policy.hpp"

using namespace signalmon;
using Outcome = alert::AttemptResult::Outcome;
using std::chrono::seconds;

TEST_CASE("2xx is delivered; 408, 429 and 5xx retry; other 4xx are permanent") {
    CHECK(alert::classify_http(200, "", 0).outcome == Outcome::delivered);
    CHECK(alert::classify_http(204, "", 0).outcome == Outcome::delivered);
    for (long status : {408L, 429L, 500L, 502L, 503L})
        CHECK(alert::classify_http(status, "", 0).outcome == Outcome::retry);
    for (long status : {400L, 401L, 403L, 404L, 410L, 422L, 301L}) {
        CHECK(alert::classify_http(status, "", 0).outcome == Outcome::permanent);
    }
    CHECK(alert::classify_http(404, "", 0).error == "HTTP 404");
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date") {
    CHECK(alert::classify_http(429, " 120\r\n", 0).retry_after == seconds(120));
    const feed::UnixTime now = 1'445'412'480;  // Wed, 21 Oct 2015 07:28:00 GMT
    CHECK(alert::parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", now) == seconds(120));
    CHECK(alert::parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) == seconds(0));
    CHECK_FALSE(alert::parse_retry_after("soon", now).has_value());
    CHECK_FALSE(alert::classify_http(503, "", 0).retry_after.has_value());
}

TEST_CASE("SMTP 4xx replies are transient and 5xx permanent") {
    CHECK(alert::classify_smtp(451, "x").outcome == Outcome::retry);
    CHECK(alert::classify_smtp(0, "connection refused").outcome == Outcome::retry);
    const auto rejected = alert::classify_smtp(550, "Failed sending data");
    CHECK(rejected.outcome == Outcome::permanent);
    CHECK(rejected.error == "Failed sending data (SMTP 550)");
}

TEST_CASE("backoff doubles per attempt, is capped, and jitters within the upper half") {
    const seconds base(30);
    const seconds max(3600);
    CHECK(alert::backoff_delay(1, base, max, 0.0) == seconds(15));
    CHECK(alert::backoff_delay(1, base, max, 0.999999) == seconds(30));
    CHECK(alert::backoff_delay(3, base, max, 0.999999) == seconds(120));
    CHECK(alert::backoff_delay(3, base, max, 0.5) == seconds(90));
    CHECK(alert::backoff_delay(20, base, max, 0.999999) == max);
    CHECK(alert::backoff_delay(500, base, max, 0.0) == max / 2);
    CHECK(alert::backoff_delay(1, seconds(1), max, 0.0) == seconds(1));  // never zero
}
