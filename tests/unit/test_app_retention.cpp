// Retention: batches of old hits and unseen items go, items still in their feed stay, and the
// store is in incremental auto-vacuum mode (new stores and converted old ones alike). Those on a
// TestStore run on both backends.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include "app/retention.hpp"
#include "store/sqlite_store.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace signalmon;
using testing::TempDir;

namespace {

feed::Item make_item(const std::string& key) {
    feed::Item item;
    item.key = key;
    item.title = "Title " + key;
    item.link = "https://example.org/" + key;
    item.summary = std::string(2000, 'x');  // enough bytes that deleting rows frees pages
    return item;
}

score::Verdict verdict_with_hit() {
    score::SignalHit hit{.signal_id = "s", .kind = rules::Kind::confirm, .weight = 5, .terms = {"t"}, .snippet = "t"};
    return score::Verdict{.brief_id = "b", .scores = {0, 5, 0}, .threshold = 5, .alerting = true, .hits = {hit}};
}

// Stores items under feed "f" at time `at`; the first `with_hits` of them get a hit.
void store_items(store::Store& store, const std::vector<feed::Item>& items, std::size_t with_hits, feed::UnixTime at) {
    std::vector<store::NewItem> new_items;
    for (std::size_t i = 0; i < items.size(); ++i) {
        new_items.push_back(
            {&items[i], i < with_hits ? std::vector{verdict_with_hit()} : std::vector<score::Verdict>{}});
    }
    const store::PollRecord poll{.feed_id = "f", .url = "file:///f.xml", .polled_at = at};
    REQUIRE(store.record_poll(poll, new_items, at));
}

std::int64_t pragma(store::Database& db, const std::string& name) {
    auto statement = db.prepare("PRAGMA " + name);
    statement.step();
    return statement.column_int(0);
}

config::Config retention_config(std::int64_t items_days, std::int64_t hits_days) {
    config::Config config;
    config.retain_items = std::chrono::days(items_days);
    config.retain_hits = std::chrono::days(hits_days);
    return config;
}

constexpr feed::UnixTime k_retention_day = 86400;

}  // namespace

TEST_CASE("retention prunes old hits, then unseen hit-free items, in batches, and frees pages") {
    TempDir dir;
    const auto path = dir.path() / "s.db";
    const feed::UnixTime now = 1000 * k_retention_day;
    {
        store::SqliteStore store(path, store::OpenMode::read_write);
        std::vector<feed::Item> old_items;
        for (int i = 0; i < 1200; ++i) old_items.push_back(make_item("old-" + std::to_string(i)));
        store_items(store, old_items, 700, now - 400 * k_retention_day);  // 700 hits older than 365 days
        const std::vector<feed::Item> recent{make_item("recent-1"), make_item("recent-2")};
        store_items(store, recent, 1, now - 1 * k_retention_day);
        // One old item is still in its feed today: it must survive.
        const std::vector<feed::Item> still_listed{old_items[1100]};
        REQUIRE(store.write_poll({.state = store.feed_state("f")->value(),
                                  .new_items = {},
                                  .listed = still_listed,
                                  .found_at = now,
                                  .clustering = {},
                                  .health_alert = std::nullopt}));
        REQUIRE(store.totals()->hits == 701);

        app::Metrics metrics;
        const auto config = retention_config(90, 365);
        CHECK(app::prune_step(store, config, now, metrics));  // first batch of hits
        CHECK(store.totals()->hits == 701 - app::k_retention_batch);
        int steps = 1;
        while (app::prune_step(store, config, now, metrics)) ++steps;
        CHECK(steps > 4);  // 700 hits and 1199 items take several batches of 500
        CHECK(store.totals()->hits == 1);
        CHECK(store.totals()->items == 3);  // two recent items and the one still listed
        CHECK(store.free_pages() == 0);
        const std::string rendered = metrics.render();
        CHECK(rendered.find("signalmon_pruned_rows_total{table=\"hits\"} 700\n") != std::string::npos);
        CHECK(rendered.find("signalmon_pruned_rows_total{table=\"items\"} 1199\n") != std::string::npos);
        CHECK_FALSE(app::prune_step(store, config, now, metrics));  // nothing left: stays idle
    }
    store::Database db(path, store::Database::Mode::read_only);
    CHECK(pragma(db, "auto_vacuum") == 2);
}

TEST_CASE("retention keeps everything when both ages are forever") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const std::vector<feed::Item> items{make_item("a"), make_item("b")};
    store_items(store, items, 1, 0);
    app::Metrics metrics;
    config::Config config;
    config.retain_items = std::chrono::seconds(0);
    config.retain_hits = std::chrono::seconds(0);
    CHECK_FALSE(app::prune_step(store, config, 3000 * k_retention_day, metrics));
    CHECK(store.totals()->items == 2);
    CHECK(store.totals()->hits == 1);
}

TEST_CASE("a store made without incremental auto-vacuum is converted on open, data intact") {
    TempDir dir;
    const auto path = dir.path() / "old.db";
    {
        store::Database db(path, store::Database::Mode::read_write);
        db.execute("CREATE TABLE keep (x INTEGER); INSERT INTO keep VALUES (42);");
        REQUIRE(pragma(db, "auto_vacuum") == 0);
    }
    {
        store::SqliteStore store(path, store::OpenMode::read_write);
        CHECK(store.totals()->items == 0);
    }
    store::Database db(path, store::Database::Mode::read_only);
    CHECK(pragma(db, "auto_vacuum") == 2);
    auto kept = db.prepare("SELECT x FROM keep");
    REQUIRE(kept.step());
    CHECK(kept.column_int(0) == 42);
}

TEST_CASE("retention forgets delivered alerts past the hits' age, a digest after its folded alerts") {
    TempDir dir;
    const feed::UnixTime now = 1000 * k_retention_day;
    const feed::UnixTime old = now - 400 * k_retention_day;
    const testing::TestStore test_store(dir);
    const auto row = [](std::int64_t id, std::string_view status, feed::UnixTime at, std::string_view sent_at,
                        std::string_view digest) {
        return fmt::format("({0}, 'key-{0}', 'mail', '{1}', 'b', 's', '{{}}', {2}, {2}, {2}, {3}, {4})", id, status, at,
                           sent_at, digest);
    };
    const std::string old_text = std::to_string(old);
    test_store.query_text(
        "INSERT INTO outbox (id, idempotency_key, channel, status, brief, summary, payload, created_at, queued_at, "
        "not_before, sent_at, digest_id) VALUES " +
        row(3, "sent", old, old_text, "NULL") + ", " +  // a digest
        row(1, "sent", old, old_text, "NULL") + ", " + row(2, "folded", old, "NULL", "3") + ", " +
        row(4, "pending", old, "NULL", "NULL") + ", " +
        row(5, "sent", now - k_retention_day, std::to_string(now - k_retention_day), "NULL"));
    store::Store& store = *test_store;
    CHECK(store.prune_delivered_alerts(now - 365 * k_retention_day, 500) ==
          2);  // 1 and the folded 2; digest 3 still referenced
    CHECK(store.prune_delivered_alerts(now - 365 * k_retention_day, 500) == 1);  // now the digest
    CHECK(store.prune_delivered_alerts(now - 365 * k_retention_day, 500) == 0);
    const auto counts = store.outbox_counts().value();
    const auto count_of = [&counts](std::string_view status) {
        for (const auto& [name, count] : counts) {
            if (name == status) return count;
        }
        return std::int64_t{-1};
    };
    CHECK(count_of("pending") == 1);
    CHECK(count_of("sent") == 1);
    CHECK(count_of("folded") == 0);
}
