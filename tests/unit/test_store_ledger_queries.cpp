// The ledger's and the web view's store queries: one row per item, brief and kind with the item's
// alert cluster; full-text search over every stored item, hit or not, kept in step with retention.
// On both backends (a TestStore).
#include <doctest/doctest.h>

#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace signalmon;
using testing::TempDir;

namespace {

feed::Item fts_item(const std::string& key, const std::string& title, const std::string& summary) {
    feed::Item item;
    item.key = key;
    item.title = title;
    item.link = "https://example.org/" + key;
    item.summary = summary;
    return item;
}

score::Verdict confirm_and_watch() {
    const score::SignalHit confirm{
        .signal_id = "c", .kind = rules::Kind::confirm, .weight = 3, .terms = {"x"}, .snippet = "x"};
    const score::SignalHit confirm2{
        .signal_id = "c2", .kind = rules::Kind::confirm, .weight = 2, .terms = {"x"}, .snippet = "x"};
    const score::SignalHit watch{
        .signal_id = "w", .kind = rules::Kind::watch, .weight = 1, .terms = {"x"}, .snippet = "x"};
    return score::Verdict{
        .brief_id = "b", .scores = {1, 5, 0}, .threshold = 5, .alerting = true, .hits = {confirm, confirm2, watch}};
}

}  // namespace

TEST_CASE("ledger_hits: one row per item, brief and kind; evidence time never after first sight; cluster kept") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    feed::Item early = fts_item("early", "Nickel mine opens", "Output rises.");
    early.published = 1000;
    feed::Item future = fts_item("future", "Nickel price", "A clock error.");
    future.published = 999'999;
    const std::vector<store::NewItem> items{{&early, {confirm_and_watch()}, {}}, {&future, {confirm_and_watch()}, {}}};
    REQUIRE(store.record_poll({.feed_id = "f", .url = "u", .polled_at = 5000}, items, 5000));

    const auto rows = store.ledger_hits({});
    REQUIRE(rows.size() == 4);  // two kinds for each of two items
    CHECK(rows[0].item_key == "early");
    CHECK(rows[0].evidence_at == 1000);
    CHECK(rows[0].score == 5);
    CHECK_FALSE(rows[0].cluster.has_value());  // no alert was routed, so no cluster
    CHECK(rows[3].item_key == "future");
    CHECK(rows[3].evidence_at == 5000);  // first seen, not the published time from the future
    CHECK(store.ledger_hits({.since = 2000, .brief = ""}).size() == 2);
    CHECK(store.ledger_hits({.since = std::nullopt, .brief = "other"}).empty());
}

TEST_CASE("search_items finds hit and unhit items, quotes FTS syntax, and forgets text retention dropped") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const feed::Item hit = fts_item("hit", "Lithium deal signed", "The lithium offtake covers ten years.");
    const feed::Item plain = fts_item("plain", "Weather", "Rain over the lithium fields; \"NEAR\" AND OR.");
    const std::vector<store::NewItem> items{{&hit, {confirm_and_watch()}, {}}, {&plain, {}, {}}};
    REQUIRE(store.record_poll({.feed_id = "f", .url = "u", .polled_at = 100}, items, 100));

    auto found = store.search_items("lithium", 10);
    REQUIRE(found.size() == 2);
    const auto& with_hit = found[0].item_key == "hit" ? found[0] : found[1];
    CHECK(with_hit.briefs == std::vector<std::string>{"b"});
    const auto& without = found[0].item_key == "hit" ? found[1] : found[0];
    CHECK(without.briefs.empty());
    // SQLite's FTS5 marks the words found in its snippet; PostgreSQL's excerpt is the title.
    if (!test_store.on_postgres()) CHECK(without.excerpt.find("\x02lithium\x03") != std::string::npos);

    CHECK(store.search_items("lithium offtake", 10).size() == 1);  // every word is required
    CHECK(store.search_items("\"NEAR\" AND OR", 10).size() == 1);  // operators are words
    CHECK(store.search_items("col:umn \"", 10).empty());           // no syntax error either
    CHECK(store.search_items("   ", 10).empty());

    REQUIRE(store.prune_item_text(1000));  // retention drops summaries and content
    CHECK(store.search_items("offtake", 10).empty());
    CHECK(store.search_items("weather", 10).size() == 1);  // titles stay
}
