// Tests for the polite-fetching state in src/store/store.cpp (migration 2): next poll, moved URLs,
// bytes saved by 304s, and the facts feed health is judged on.
#include <doctest/doctest.h>

#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace signalmon;
using signalmon::testing::TempDir;

namespace {

store::PollRecord poll(feed::UnixTime at, store::PollRecord::Status status, std::string url = "https://a.org/feed") {
    return store::PollRecord{.feed_id = "news",
                             .url = std::move(url),
                             .polled_at = at,
                             .status = status,
                             .error = status == store::PollRecord::Status::failed ? "fetch: HTTP 503" : "",
                             .next_poll = at + 900};
}

}  // namespace

TEST_CASE("next poll, 304 savings, new-item time and the failure run are kept per feed") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    feed::Item item;
    item.key = "k1";
    const std::vector<store::NewItem> new_items{{&item, {}}};

    auto first = poll(100, store::PollRecord::Status::ok);
    first.body_bytes = 5000;
    REQUIRE(store.record_poll(first, new_items, 100));
    auto state = store.feed_state("news").value().value();
    CHECK(state.next_poll == 1000);
    CHECK(state.tracked_since == 100);
    CHECK(state.last_new_item == 100);
    CHECK(state.last_body_bytes == 5000);
    CHECK(state.bytes_saved == 0);

    REQUIRE(store.record_poll(poll(200, store::PollRecord::Status::not_modified), {}, 200));
    REQUIRE(store.record_poll(poll(300, store::PollRecord::Status::not_modified), {}, 300));
    state = store.feed_state("news").value().value();
    CHECK(state.bytes_saved == 10000);
    CHECK(state.last_body_bytes == 5000);
    CHECK(state.last_new_item == 100);
    CHECK(state.next_poll == 1200);

    REQUIRE(store.record_poll(poll(400, store::PollRecord::Status::failed), {}, 400));
    REQUIRE(store.record_poll(poll(500, store::PollRecord::Status::failed), {}, 500));
    state = store.feed_state("news").value().value();
    CHECK(state.first_failure == 400);
    CHECK(state.consecutive_failures == 2);
    CHECK(state.tracked_since == 100);

    state.health_alerted = true;
    REQUIRE(store.write_poll({.state = state,
                              .new_items = {},
                              .listed = {},
                              .found_at = 500,
                              .clustering = {},
                              .health_alert = std::nullopt}));
    CHECK(store.feed_state("news")->value().health_alerted);
    REQUIRE(store.record_poll(poll(600, store::PollRecord::Status::ok), {}, 600));
    state = store.feed_state("news").value().value();
    CHECK_FALSE(state.first_failure.has_value());
    CHECK(state.health_alerted);  // cleared by the poll step's health check (app/poll_step.cpp), not by the store
}

TEST_CASE("a permanent redirect is remembered until the configured URL changes") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    auto moved = poll(100, store::PollRecord::Status::ok);
    moved.redirect_url = "https://b.org/feed";
    REQUIRE(store.record_poll(moved, {}, 100));
    CHECK(store.feed_state("news")->value().redirect_url == "https://b.org/feed");

    REQUIRE(store.record_poll(poll(200, store::PollRecord::Status::not_modified), {}, 200));
    CHECK(store.feed_state("news")->value().redirect_url == "https://b.org/feed");

    REQUIRE(store.record_poll(poll(300, store::PollRecord::Status::ok, "https://c.org/feed"), {}, 300));
    const auto state = store.feed_state("news").value().value();
    CHECK(state.url == "https://c.org/feed");
    CHECK(state.redirect_url.empty());
}
