// The ledger's and the web view's store queries: one row per item, brief and kind with the item's
// alert cluster; full-text search over every stored item, hit or not, kept in step with retention.
// On both backends (a TestStore).
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "store/sqlite_store.hpp"
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
    if (!test_store.on_postgres()) {                       // PostgreSQL's GIN index is kept by the server, at once
        CHECK(store.search_items("lithium", 10).empty());  // a poll stores; the cycle's end indexes
        CHECK(store.index_for_search(1) == 1);             // a bounded batch, oldest first
        CHECK(store.index_for_search() == 1);
        CHECK(store.index_for_search() == 0);
    }

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

TEST_CASE("items changed or deleted before they were indexed leave the search index whole") {
    TempDir dir;
    const auto path = dir.path() / "s.db";
    store::SqliteStore store(path, store::OpenMode::read_write);
    const feed::Item first = fts_item("first", "Cobalt mine", "Cobalt output rises.");
    const feed::Item second = fts_item("second", "Cobalt tariff", "A cobalt duty is set.");
    const std::vector<store::NewItem> one{{&first, {}, {}}};
    const std::vector<store::NewItem> two{{&second, {}, {}}};
    REQUIRE(store.record_poll({.feed_id = "f", .url = "u", .polled_at = 100}, one, 100));
    REQUIRE(store.index_for_search() == 1);
    REQUIRE(store.record_poll({.feed_id = "f", .url = "u", .polled_at = 200}, two, 200));
    REQUIRE(store.prune_item_text(1000));        // clears both: one indexed, one not yet
    REQUIRE(store.prune_items(1000, 10) == 2u);  // and deletes both, unhit and unseen since
    CHECK(store.index_for_search() == 0);
    CHECK(store.search_items("cobalt", 10).empty());
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    char* error = nullptr;
    const int checked =
        sqlite3_exec(db, "INSERT INTO items_fts (items_fts) VALUES ('integrity-check')", nullptr, nullptr, &error);
    CHECK_MESSAGE(checked == SQLITE_OK, (error ? error : ""));
    sqlite3_free(error);
    sqlite3_close(db);
}
