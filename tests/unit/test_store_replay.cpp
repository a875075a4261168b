// Tests for the store's replay support: items with their text by window, hits per item, replayed
// hits marked and deduplicated, daily hit counts for max_per_day, and item text retention.
#include <doctest/doctest.h>

#include "store/sqlite_store.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace signalmon;
using signalmon::testing::TempDir;

namespace {

feed::Item replay_item(std::string key, std::string summary) {
    feed::Item item;
    item.key = std::move(key);
    item.title = "Title " + item.key;
    item.summary = std::move(summary);
    item.content = "content of " + item.key;
    return item;
}

score::SignalHit signal_hit(std::string signal) {
    return {.signal_id = std::move(signal), .kind = rules::Kind::watch, .weight = 1, .terms = {"t"}, .snippet = "s"};
}

// Stores items a (found at 1000, hit by brief b / signal old) and c (found at 5000, no hit).
void fill(store::Store& store) {
    feed::Item a = replay_item("a", "text a");
    a.fields = {{"form_type", "8-K"}, {"company", "Caf\xC3\xA9 \"Q\" Inc"}};
    const feed::Item c = replay_item("c", "text c");
    const store::PollRecord poll{.feed_id = "news", .url = "file:///n.xml", .polled_at = 1000};
    std::vector<store::NewItem> first{
        {&a,
         {score::Verdict{
             .brief_id = "b", .scores = {0, 1, 0}, .threshold = 1, .alerting = true, .hits = {signal_hit("old")}}}}};
    REQUIRE(store.record_poll(poll, first, 1000));
    std::vector<store::NewItem> second{{&c, {}}};
    REQUIRE(store.record_poll(poll, second, 5000));
}

}  // namespace

TEST_CASE("stored items and their hits are read back by window for replay") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    fill(store);
    const auto items = store.items_since(0);
    REQUIRE(items.size() == 2);
    CHECK(items[0].item.key == "a");
    CHECK(items[0].item.summary == "text a");
    CHECK(items[0].feed_id == "news");
    CHECK(items[0].first_seen == 1000);
    // The source adapter's fields come back as they went in: a replay filters on them like the poll.
    CHECK(items[0].item.fields ==
          decltype(items[0].item.fields){{"company", "Caf\xC3\xA9 \"Q\" Inc"}, {"form_type", "8-K"}});
    CHECK(items[1].item.fields.empty());
    CHECK(store.items_since(2000).size() == 1);
    const auto hits = store.hits_of_items_since(0);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].item_row == items[0].row_id);
    CHECK(hits[0].signal == "old");
    CHECK(store.hits_of_items_since(2000).empty());
    CHECK(store.item("news", "c")->item.content == "content of c");
    CHECK(!store.item("news", "zzz"));
}

TEST_CASE("replayed hits are stored once, marked, and count towards the day") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    fill(store);
    const auto items = store.items_since(0);
    const std::vector<store::ReplayHit> replayed{{items[1].row_id, "b", 2, true, signal_hit("new")},
                                                 {items[0].row_id, "b", 1, true, signal_hit("old")}};
    CHECK(*store.record_replayed(replayed, 9000, "rules-2") == 1);  // (a, b, old) is stored already
    CHECK(*store.record_replayed(replayed, 9100, "rules-2") == 0);
    CHECK(test_store.query_text("SELECT rules_hash FROM hits WHERE replayed = 1") == "rules-2");
    const auto rows = store.query_hits({.since = 0, .brief = "b", .kind = {}, .min_score = {}, .limit = 10});
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].signal == "new");
    CHECK(rows[0].replayed);
    CHECK(rows[0].found_at == 9000);
    CHECK(!rows[1].replayed);
    const store::HitCounts since_8000 = store.hit_counts_since(8000).value();
    CHECK(since_8000.at({"b", "new"}) == 1);
    CHECK_FALSE(since_8000.contains({"b", "old"}));
    CHECK(store.hit_counts_since(0)->at({"b", "old"}) == 1);
}

TEST_CASE("item text retention clears old items' text but keeps them as seen") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    fill(store);
    CHECK(*store.prune_item_text(2000) == 1);
    CHECK(*store.prune_item_text(2000) == 0);
    const auto a = store.item("news", "a");
    REQUIRE(a);
    CHECK(a->item.summary.empty());
    CHECK(a->item.content.empty());
    CHECK(a->item.title == "Title a");
    CHECK(store.item("news", "c")->item.summary == "text c");
    const feed::Item again = replay_item("a", "text a");
    CHECK(store.filter_new("news", std::span(&again, 1))->empty());
}

TEST_CASE("item text retention clears a bounded batch per call, oldest first, and resumes at its watermark") {
    TempDir dir;
    const auto path = dir.path() / "s.db";
    store::SqliteStore store(path, store::OpenMode::read_write);
    const store::PollRecord poll{.feed_id = "news", .url = "file:///n.xml", .polled_at = 100};
    const std::vector<std::pair<std::string, feed::UnixTime>> seen{
        {"a", 100}, {"b", 200}, {"c", 200}, {"d", 300}, {"e", 400}};
    for (const auto& [key, first_seen] : seen) {
        const feed::Item item = replay_item(key, "text " + key);
        std::vector<store::NewItem> batch{{&item, {}}};
        REQUIRE(store.record_poll(poll, batch, first_seen));
    }
    const auto has_text = [&](const std::string& key) { return !store.item("news", key)->item.summary.empty(); };
    CHECK(*store.prune_item_text(350, 2) == 2);
    CHECK_FALSE(has_text("a"));
    CHECK(has_text("d"));
    CHECK(*store.prune_item_text(350, 2) == 2);  // the item left at 200 by the full batch, then 300
    CHECK_FALSE(has_text("b"));
    CHECK_FALSE(has_text("c"));
    CHECK_FALSE(has_text("d"));
    CHECK(*store.prune_item_text(350, 2) == 0);
    CHECK(has_text("e"));
    CHECK(*store.prune_item_text(1000, 2) == 1);
    CHECK_FALSE(has_text("e"));

    // Below the watermark nothing is read again: text put back under an old item stays until the
    // next start, whose first call walks every old item once.
    store::Database(path, store::Database::Mode::read_write).execute("UPDATE items SET summary = 'x' WHERE key = 'a'");
    CHECK(*store.prune_item_text(1000, 2) == 0);
    store::SqliteStore reopened(path, store::OpenMode::read_write);
    CHECK(*reopened.prune_item_text(1000, 2) == 1);
}
