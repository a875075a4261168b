// Tests for src/app/poll_step.cpp: a feed's poll as a function of the fetch outcome, the state
// before it, the rules and today's counts. No network, store or clock.
#include <doctest/doctest.h>

#include "alert/alert.hpp"
#include "app/poll_step.hpp"
#include "poll_fixture.hpp"

using namespace signalmon;
using signalmon::testing::PollFixture;

namespace {

constexpr feed::UnixTime k_step_now = 1'790'000'000;
constexpr std::int64_t k_step_interval = 600;

fetch::FetchOutcome full_answer(std::string body, std::string etag = "\"v1\"") {
    fetch::FetchResult result;
    result.status = 200;
    result.body = std::move(body);
    result.content_type = "application/rss+xml";
    result.etag = std::move(etag);
    result.last_modified = "Mon, 01 Jan 2026 00:00:00 GMT";
    return result;
}

fetch::FetchOutcome answer_304() {
    fetch::FetchResult result;
    result.status = 304;
    return result;
}

std::vector<const feed::Item*> fresh_of(const app::Answer& answer) {
    std::vector<const feed::Item*> items;
    for (const feed::Item& item : answer.parsed->items) items.push_back(&item);
    return items;
}

}  // namespace

TEST_CASE("a full answer is read into an ok record with its validators, title and a jittered next poll") {
    PollFixture fixture;
    const auto answer = app::read_answer(fixture.config, fixture.feed(), fixture.feed().url,
                                         full_answer(PollFixture::rss({"a", "b"})), std::nullopt, k_step_now, 0.5);
    CHECK(answer.record.status == store::PollRecord::Status::ok);
    CHECK(answer.record.feed_id == "wire");
    CHECK(answer.record.polled_at == k_step_now);
    CHECK(answer.record.etag == "\"v1\"");
    CHECK(answer.record.feed_title == "Wire");
    CHECK(answer.record.body_bytes > 0);
    CHECK(answer.failure_reason.empty());
    REQUIRE(answer.parsed.has_value());
    CHECK(answer.parsed->items.size() == 2);
    // Success jitter only lengthens: [interval, interval · 1.1].
    REQUIRE(answer.record.next_poll.has_value());
    CHECK(*answer.record.next_poll > k_step_now + k_step_interval);
    CHECK(*answer.record.next_poll <= k_step_now + k_step_interval + k_step_interval / 10);
}

TEST_CASE("a failed fetch backs off from the failures before it, and a 304 keeps nothing to parse") {
    PollFixture fixture;
    store::FeedState failing{.id = "wire", .url = fixture.feed().url, .consecutive_failures = 2};
    const auto failed = app::read_answer(fixture.config, fixture.feed(), fixture.feed().url,
                                         std::unexpected(fetch::FetchError("HTTP 503 Service Unavailable", 503)),
                                         failing, k_step_now, 0.0);
    CHECK(failed.record.status == store::PollRecord::Status::failed);
    CHECK(failed.record.error == "fetch: HTTP 503 Service Unavailable");
    CHECK(failed.failure_reason == "http_5xx");
    CHECK(*failed.record.next_poll == k_step_now + 4 * k_step_interval);  // the third failure in a row: interval · 2²

    const auto unchanged =
        app::read_answer(fixture.config, fixture.feed(), fixture.feed().url, answer_304(), failing, k_step_now, 0.0);
    CHECK(unchanged.record.status == store::PollRecord::Status::not_modified);
    CHECK_FALSE(unchanged.parsed.has_value());
    CHECK(*unchanged.record.next_poll == k_step_now + k_step_interval);
}

TEST_CASE("an unreadable body is a failed poll for parse, and a permanent redirect is recorded") {
    PollFixture fixture;
    const auto broken = app::read_answer(fixture.config, fixture.feed(), fixture.feed().url,
                                         full_answer("this is not a feed"), std::nullopt, k_step_now, 0.0);
    CHECK(broken.record.status == store::PollRecord::Status::failed);
    CHECK(broken.failure_reason == "parse");
    CHECK(broken.record.error.starts_with("parse: "));

    auto moved = full_answer(PollFixture::rss({"a"}));
    moved->permanent_redirect_url = "https://moved.example.org/feed";
    const auto answer =
        app::read_answer(fixture.config, fixture.feed(), fixture.feed().url, moved, std::nullopt, k_step_now, 0.0);
    CHECK(answer.record.redirect_url == "https://moved.example.org/feed");
}

TEST_CASE("new items are matched and scored, get alert requests, advance the state and today's counts") {
    PollFixture fixture;
    const auto answer = app::read_answer(fixture.config, fixture.feed(), fixture.feed().url,
                                         full_answer(PollFixture::rss({"a", "b"})), std::nullopt, k_step_now, 0.0);
    store::HitCounts today;
    const auto fresh = fresh_of(answer);
    const auto result =
        app::judge_poll(fixture.config, fixture.feed(), fixture.matcher, answer, fresh, std::nullopt, today);
    REQUIRE(result.new_items.size() == 2);
    REQUIRE(result.new_items[0].verdicts.size() == 1);
    CHECK(result.new_items[0].verdicts[0].alerting);
    REQUIRE(result.new_items[0].alerts.size() == 1);
    CHECK(result.new_items[0].alerts[0].deliveries.at(0).idempotency_key ==
          alert::idempotency_key("hook", "wire", "a", "tenders"));
    CHECK((today == store::HitCounts{{{"tenders", "tender"}, 2}}));
    CHECK(result.state.item_count == 2);
    CHECK(result.state.last_new_item == k_step_now);
    CHECK(result.state.tracked_since == k_step_now);
    CHECK(result.state.etag == "\"v1\"");
    CHECK(result.state.next_poll == answer.record.next_poll);
    CHECK_FALSE(result.health_alert.has_value());
}

TEST_CASE("max_per_day counts the hits stored today: a signal at its cap no longer fires") {
    PollFixture fixture;
    const auto answer = app::read_answer(fixture.config, fixture.feed(), fixture.feed().url,
                                         full_answer(PollFixture::rss({"a"})), std::nullopt, k_step_now, 0.0);
    store::HitCounts today{{{"tenders", "tender"}, 3}};  // the rules allow 3 a day
    const auto fresh = fresh_of(answer);
    const auto result =
        app::judge_poll(fixture.config, fixture.feed(), fixture.matcher, answer, fresh, std::nullopt, today);
    REQUIRE(result.new_items.size() == 1);
    for (const auto& verdict : result.new_items[0].verdicts) CHECK(verdict.hits.empty());
    CHECK(result.new_items[0].alerts.empty());
    CHECK(today.at({"tenders", "tender"}) == 3);
}

TEST_CASE("a feed failing past health_alert_after raises one health alert per episode, cleared on recovery") {
    PollFixture fixture;
    const auto day = std::chrono::seconds(std::chrono::hours(24)).count();
    const store::FeedState failing{.id = "wire",
                                   .url = fixture.feed().url,
                                   .last_poll = k_step_now - 600,
                                   .last_error = "fetch: HTTP 500",
                                   .consecutive_failures = 30,
                                   .tracked_since = k_step_now - 10 * day,
                                   .last_new_item = k_step_now - 3 * day,
                                   .first_failure = k_step_now - 2 * day};
    store::HitCounts today;
    const auto failed = app::read_answer(fixture.config, fixture.feed(), fixture.feed().url,
                                         std::unexpected(fetch::FetchError("HTTP 500", 500)), failing, k_step_now, 0.0);
    auto result = app::judge_poll(fixture.config, fixture.feed(), fixture.matcher, failed, {}, failing, today);
    REQUIRE(result.health_alert.has_value());
    CHECK(result.health_alert->feed_id == "wire");
    CHECK(result.health_alert->deliveries.at(0).idempotency_key ==
          alert::health_key("hook", "wire", k_step_now - 2 * day));
    CHECK(result.state.health_alerted);
    CHECK(result.state.consecutive_failures == 31);
    CHECK(result.health_problem->starts_with("failing for 48 h"));

    // The next failure of the same episode raises nothing more.
    const store::FeedState alerted = result.state;
    result = app::judge_poll(fixture.config, fixture.feed(), fixture.matcher, failed, {}, alerted, today);
    CHECK_FALSE(result.health_alert.has_value());
    CHECK(result.state.health_alerted);

    // A success with a new item ends it.
    const auto back = app::read_answer(fixture.config, fixture.feed(), fixture.feed().url,
                                       full_answer(PollFixture::rss({"z"})), alerted, k_step_now, 0.0);
    result = app::judge_poll(fixture.config, fixture.feed(), fixture.matcher, back, fresh_of(back), alerted, today);
    CHECK(result.health_recovered);
    CHECK_FALSE(result.state.health_alerted);
    CHECK_FALSE(result.state.first_failure.has_value());
    CHECK(result.state.consecutive_failures == 0);
}

TEST_CASE("advance_state: a 304 counts the bytes saved; a changed URL drops the old redirect") {
    store::FeedState before{
        .id = "wire", .url = "https://a.org/feed", .etag = "\"e\"", .redirect_url = "https://b.org"};
    before.last_body_bytes = 700;
    const store::PollRecord unchanged{.feed_id = "wire",
                                      .url = "https://a.org/feed",
                                      .polled_at = 50,
                                      .status = store::PollRecord::Status::not_modified};
    const auto after = store::advance_state(before, unchanged, 0);
    CHECK(after.not_modified_count == 1);
    CHECK(after.bytes_saved == 700);
    CHECK(after.etag == "\"e\"");
    CHECK(after.redirect_url == "https://b.org");
    CHECK(after.last_success == 50);

    const store::PollRecord elsewhere{.feed_id = "wire", .url = "https://c.org/feed", .polled_at = 60};
    const auto moved = store::advance_state(after, elsewhere, 0);
    CHECK(moved.redirect_url.empty());
    CHECK(moved.url == "https://c.org/feed");
    CHECK(moved.etag.empty());
}
