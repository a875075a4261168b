// Tests for src/app/poll_cycle.cpp with a fake fetcher and clock over a SQLite store in a temp
// directory: requests carry the validators kept in memory, each poll is written with its hits and
// alerts, and the in-memory feed states stay what the store holds.
#include <doctest/doctest.h>

#include <deque>

#include "alert/alert.hpp"
#include "app/poll_cycle.hpp"
#include "poll_fixture.hpp"
#include "store/sqlite_store.hpp"
#include "test_store.hpp"

using namespace signalmon;
using signalmon::testing::PollFixture;

namespace {

// Answers each request with the next scripted outcome, and remembers what was asked.
class FakeFetcher final : public fetch::Fetcher {
public:
    std::deque<fetch::FetchOutcome> answers;
    std::vector<fetch::FetchRequest> requests;

    void fetch(const std::vector<fetch::FetchRequest>& batch, const fetch::FetchOptions& /*options*/,
               const fetch::OnFetched& on_done) override {
        for (const fetch::FetchRequest& request : batch) {
            requests.push_back(request);
            REQUIRE_FALSE(answers.empty());
            const fetch::FetchOutcome outcome = std::move(answers.front());
            answers.pop_front();
            on_done(request, outcome);
        }
    }
};

class FixedClock final : public app::Clock {
public:
    feed::UnixTime time = 1'790'000'000;
    feed::UnixTime now() const override { return time; }
};

fetch::FetchOutcome cycle_answer(const std::vector<std::string>& keys, std::string etag) {
    fetch::FetchResult result;
    result.status = 200;
    result.body = PollFixture::rss(keys);
    result.etag = std::move(etag);
    return result;
}

// The daemon's in-memory state must be what a restart would read back.
void check_states_match_store(const app::FeedStates& states, store::Store& store) {
    const auto stored = store.feed_states().value();
    REQUIRE(stored.size() == states.size());
    for (const store::FeedState& row : stored) {
        const store::FeedState& kept = states.at(row.id);
        CHECK(kept.etag == row.etag);
        CHECK(kept.last_poll == row.last_poll);
        CHECK(kept.next_poll == row.next_poll);
        CHECK(kept.consecutive_failures == row.consecutive_failures);
        CHECK(kept.first_failure == row.first_failure);
        CHECK(kept.item_count == row.item_count);
        CHECK(kept.not_modified_count == row.not_modified_count);
        CHECK(kept.last_new_item == row.last_new_item);
        CHECK(kept.health_alerted == row.health_alerted);
    }
}

}  // namespace

TEST_CASE("a poll cycle stores new items once, sends the validators it kept, and backs off on failure") {
    PollFixture fixture;
    const testing::TestStore test_store(fixture.dir);
    store::Store& store = *test_store;
    app::FeedStates states = app::load_feed_states(store).value();
    FakeFetcher fetcher;
    FixedClock clock;
    const std::vector<const config::FeedSpec*> feeds{&fixture.feed()};

    fetcher.answers.push_back(cycle_answer({"a", "b"}, "\"v1\""));
    auto stats = app::PollCycle(fixture.config, fixture.rules, store, states, fetcher, clock).run(feeds);
    CHECK(stats.feeds_polled == 1);
    CHECK(stats.items_new == 2);
    CHECK(stats.hits == 2);
    CHECK(fetcher.requests.back().etag.empty());
    CHECK(store.totals()->items == 2);
    const auto alerts = store.due_outbox(clock.time, 10);
    REQUIRE_FALSE(alerts.empty());  // b may join a's story cluster
    CHECK(alerts[0].idempotency_key == alert::idempotency_key("hook", "wire", "a", "tenders"));
    CHECK(states.at("wire").etag == "\"v1\"");
    CHECK(stats.next_poll_at.at("wire") == states.at("wire").next_poll);
    check_states_match_store(states, store);

    // The next cycle asks conditionally with what the last one kept; one item is new.
    clock.time += 700;
    fetcher.answers.push_back(cycle_answer({"a", "b", "c"}, "\"v2\""));
    stats = app::PollCycle(fixture.config, fixture.rules, store, states, fetcher, clock).run(feeds);
    CHECK(fetcher.requests.back().etag == "\"v1\"");
    CHECK(stats.items_new == 1);
    CHECK(stats.hits == 1);  // c: the brief's third tender today, within max_per_day
    CHECK(store.totals()->items == 3);

    clock.time += 700;
    fetcher.answers.push_back(cycle_answer({"a", "b", "c", "d"}, "\"v3\""));
    stats = app::PollCycle(fixture.config, fixture.rules, store, states, fetcher, clock).run(feeds);
    CHECK(stats.items_new == 1);
    CHECK(stats.hits == 0);  // d: max_per_day (3) reached with the hits stored earlier today
    check_states_match_store(states, store);

    clock.time += 700;
    fetcher.answers.push_back(std::unexpected(fetch::FetchError("HTTP 500 Internal Server Error", 500)));
    stats = app::PollCycle(fixture.config, fixture.rules, store, states, fetcher, clock).run(feeds);
    CHECK(stats.feeds_failed == 1);
    CHECK(stats.errors_by_reason.at("http_5xx") == 1);
    CHECK(states.at("wire").consecutive_failures == 1);
    CHECK(states.at("wire").first_failure == clock.time);
    CHECK(states.at("wire").etag == "\"v3\"");
    CHECK(stats.next_poll_at.at("wire") <= clock.time + 600);  // backoff jitter only shortens
    check_states_match_store(states, store);
    // A restart reads the same states back in one query.
    CHECK(app::load_feed_states(store)->at("wire").consecutive_failures == 1);
}

TEST_CASE("a poll the store cannot take is counted as a store failure and leaves the kept state alone") {
    PollFixture fixture;
    const testing::TestStore test_store(fixture.dir);
    store::Store& store = *test_store;
    app::FeedStates states;
    FakeFetcher fetcher;
    FixedClock clock;
    const std::vector<const config::FeedSpec*> feeds{&fixture.feed()};
    // Another process breaks the schema under the store, as a damaged file would fail writes.
    test_store.query_text("ALTER TABLE items RENAME TO items_elsewhere");
    fetcher.answers.push_back(cycle_answer({"a"}, "\"v1\""));
    const auto stats = app::PollCycle(fixture.config, fixture.rules, store, states, fetcher, clock).run(feeds);
    CHECK(stats.store_failures == 1);
    CHECK(stats.feeds_failed == 1);
    CHECK(stats.store_error.find("items") != std::string::npos);
    CHECK(states.empty());
    CHECK(stats.next_poll_at.contains("wire"));  // scheduled by its policy all the same
}
