// Tests for src/store/sqlite_store.cpp and src/store/postgres_store.cpp (those on a TestStore run on
// both): migrations, per-(feed, key) dedup, feed state, hit queries, copying SQLite into PostgreSQL.
#include <doctest/doctest.h>

#include "store/copy.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace signalmon;
using signalmon::testing::TempDir;

namespace {

feed::Item make_item(std::string key, std::string title) {
    feed::Item item;
    item.key = std::move(key);
    item.title = std::move(title);
    item.link = "https://example.org/" + item.key;
    item.published = 1'700'000'000;
    item.categories = {"AI", "policy"};
    return item;
}

score::Verdict make_verdict(std::string brief, int score, bool alerting) {
    score::Verdict verdict{
        .brief_id = std::move(brief), .scores = {0, score, 0}, .threshold = 5, .alerting = alerting, .hits = {}};
    verdict.hits.push_back(score::SignalHit{.signal_id = "sig-a",
                                            .kind = rules::Kind::confirm,
                                            .weight = score,
                                            .terms = {"open weights", "tender"},
                                            .snippet = "…a tender for open weights…"});
    return verdict;
}

store::PollRecord ok_poll(std::string feed_id, feed::UnixTime at) {
    return store::PollRecord{.feed_id = std::move(feed_id),
                             .url = "file:///x.xml",
                             .polled_at = at,
                             .status = store::PollRecord::Status::ok,
                             .error = {},
                             .feed_title = "X",
                             .etag = "\"v1\"",
                             .last_modified = "Tue, 01 Oct 2024 10:00:00 GMT"};
}

}  // namespace

TEST_CASE("a new store is migrated to the latest schema, and reopening changes nothing") {
    TempDir dir;
    const auto path = dir.path() / "s.db";
    {
        store::SqliteStore store(path, store::OpenMode::read_write);
        CHECK(store.schema_version() == static_cast<int>(store::migrations().size()));
    }
    store::SqliteStore again(path, store::OpenMode::read_write);
    CHECK(again.schema_version() == static_cast<int>(store::migrations().size()));
    store::SqliteStore reader(path, store::OpenMode::read_only);
    CHECK(reader.feed_states()->empty());
}

TEST_CASE("a new store uses 8 KiB pages; an existing store keeps its page size and its data") {
    TempDir dir;
    const auto page_size = [](const std::filesystem::path& path) {
        store::Database raw(path, store::Database::Mode::read_only);
        store::Statement statement = raw.prepare("PRAGMA page_size");
        statement.step();
        return statement.column_int(0);
    };
    const auto fresh = dir.path() / "new.db";
    { store::SqliteStore store(fresh, store::OpenMode::read_write); }
    CHECK(page_size(fresh) == 8192);

    const auto old = dir.path() / "old.db";
    {
        store::Database raw(old, store::Database::Mode::read_write);
        raw.execute("PRAGMA page_size=4096; PRAGMA auto_vacuum=INCREMENTAL; PRAGMA journal_mode=WAL;");
        raw.execute(store::migrations()[0].sqlite);
        raw.execute("PRAGMA user_version=1");
    }
    {
        store::SqliteStore store(old, store::OpenMode::read_write);
        const std::vector<feed::Item> items{make_item("a", "First")};
        const std::vector<store::NewItem> new_items{{&items[0], {make_verdict("brief-1", 7, true)}}};
        CHECK(store.record_poll(ok_poll("news", 100), new_items, 100).value() == 1);
    }
    CHECK(page_size(old) == 4096);
    store::SqliteStore reader(old, store::OpenMode::read_only);
    CHECK(reader.feed_states()->size() == 1);
}

TEST_CASE("a store from a newer signalmon is refused, not misread") {
    TempDir dir;
    const auto path = dir.path() / "s.db";
    { store::SqliteStore store(path, store::OpenMode::read_write); }
    {
        store::Database raw(path, store::Database::Mode::read_write);
        raw.execute("PRAGMA user_version=999");
    }
    CHECK_THROWS_WITH_AS(store::SqliteStore(path, store::OpenMode::read_only),
                         doctest::Contains("newer than this signalmon knows"), store::SqliteError);
    // The daemon opens read_write: it must refuse the same way, and leave the file as it was.
    CHECK_THROWS_WITH_AS(store::SqliteStore(path, store::OpenMode::read_write),
                         doctest::Contains("newer than this signalmon knows"), store::SqliteError);
    store::Database raw(path, store::Database::Mode::read_only);
    store::Statement version = raw.prepare("PRAGMA user_version");
    version.step();
    CHECK(version.column_int(0) == 999);
}

TEST_CASE("items are stored once per (feed, key) and their hits once") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const std::vector<feed::Item> items{make_item("a", "First"), make_item("b", "Second")};

    auto fresh = store.filter_new("news", items);
    REQUIRE(fresh);
    CHECK(fresh->size() == 2);
    std::vector<store::NewItem> new_items{{&items[0], {make_verdict("brief-1", 7, true)}}, {&items[1], {}}};
    CHECK(store.record_poll(ok_poll("news", 100), new_items, 100).value() == 1);

    fresh = store.filter_new("news", items);
    REQUIRE(fresh);
    CHECK(fresh->empty());
    // The same keys in another feed are other items.
    CHECK(store.filter_new("wire", items).value().size() == 2);
    // Recording the same item again (a race or a retry) adds neither an item nor a hit.
    CHECK(store.record_poll(ok_poll("news", 200), new_items, 200).value() == 0);

    const auto hits = store.query_hits({});
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].brief == "brief-1");
    CHECK(hits[0].signal == "sig-a");
    CHECK(hits[0].kind == "confirm");
    CHECK(hits[0].score == 7);
    CHECK(hits[0].alerting);
    CHECK(hits[0].feed == "news");
    CHECK(hits[0].item_key == "a");
    CHECK(hits[0].title == "First");
    CHECK(hits[0].published == 1'700'000'000);
    CHECK(hits[0].terms == std::vector<std::string>{"open weights", "tender"});
    CHECK(hits[0].found_at == 100);
}

TEST_CASE("feed state: success, 304, failures") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const std::vector<feed::Item> items{make_item("a", "First")};
    std::vector<store::NewItem> new_items{{&items[0], {}}};
    REQUIRE(store.record_poll(ok_poll("news", 100), new_items, 100));

    auto state = store.feed_state("news").value().value();
    CHECK(state.etag == "\"v1\"");
    CHECK(state.last_modified == "Tue, 01 Oct 2024 10:00:00 GMT");
    CHECK(state.last_success == 100);
    CHECK(state.item_count == 1);
    CHECK(state.title == "X");

    store::PollRecord not_modified{
        .feed_id = "news", .url = "file:///x.xml", .polled_at = 200, .status = store::PollRecord::Status::not_modified};
    REQUIRE(store.record_poll(not_modified, {}, 200));
    state = store.feed_state("news").value().value();
    CHECK(state.etag == "\"v1\"");  // kept: a 304 does not resend it
    CHECK(state.not_modified_count == 1);
    CHECK(state.last_success == 200);

    store::PollRecord failed{.feed_id = "news",
                             .url = "file:///x.xml",
                             .polled_at = 300,
                             .status = store::PollRecord::Status::failed,
                             .error = "fetch: HTTP 500"};
    REQUIRE(store.record_poll(failed, {}, 300));
    failed.polled_at = 400;
    REQUIRE(store.record_poll(failed, {}, 400));
    state = store.feed_state("news").value().value();
    CHECK(state.consecutive_failures == 2);
    CHECK(state.last_error == "fetch: HTTP 500");
    CHECK(state.last_success == 200);
    CHECK(state.last_poll == 400);

    REQUIRE(store.record_poll(ok_poll("news", 500), {}, 500));
    state = store.feed_state("news").value().value();
    CHECK(state.consecutive_failures == 0);
    CHECK(state.last_error.empty());
}

TEST_CASE("hit queries filter by time, brief, kind and score, newest first, limited") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const std::vector<feed::Item> items{make_item("a", "A"), make_item("b", "B"), make_item("c", "C")};
    score::Verdict kill = make_verdict("brief-2", 3, false);
    kill.hits[0].kind = rules::Kind::kill;
    REQUIRE(store.record_poll(ok_poll("f", 100),
                              std::vector<store::NewItem>{{&items[0], {make_verdict("brief-1", 5, true)}}}, 100));
    REQUIRE(store.record_poll(ok_poll("f", 200), std::vector<store::NewItem>{{&items[1], {kill}}}, 200));
    REQUIRE(store.record_poll(ok_poll("f", 300),
                              std::vector<store::NewItem>{{&items[2], {make_verdict("brief-1", 9, true)}}}, 300));

    auto titles = [&](const store::HitQuery& query) {
        std::vector<std::string> result;
        for (const auto& hit : store.query_hits(query)) result.push_back(hit.title);
        return result;
    };
    CHECK(titles({}) == std::vector<std::string>{"C", "B", "A"});
    CHECK(titles({.since = 200}) == std::vector<std::string>{"C", "B"});
    CHECK(titles({.brief = "brief-1"}) == std::vector<std::string>{"C", "A"});
    CHECK(titles({.kind = "kill"}) == std::vector<std::string>{"B"});
    CHECK(titles({.min_score = 5}) == std::vector<std::string>{"C", "A"});
    CHECK(titles({.limit = 1}) == std::vector<std::string>{"C"});
    CHECK(titles({.since = 200, .brief = "brief-1"}) == std::vector<std::string>{"C"});
    CHECK(titles({.brief = "brief-2", .kind = "kill"}) == std::vector<std::string>{"B"});
    CHECK(titles({.brief = "brief-1", .kind = "kill"}).empty());
    CHECK(titles({.since = 100, .min_score = 9}) == std::vector<std::string>{"C"});
    CHECK(titles({.since = 100, .brief = "brief-1", .kind = "confirm", .min_score = 5, .limit = 1}) ==
          std::vector<std::string>{"C"});
}

TEST_CASE("every combination of hit query filters seeks an index, never walks the hits table") {
    TempDir dir;
    const auto path = dir.path() / "s.db";
    store::SqliteStore store(path, store::OpenMode::read_write);
    store::Database db(path, store::Database::Mode::read_only);
    for (unsigned filters = 0; filters < 16; ++filters) {
        store::HitQuery query;
        if ((filters & 1U) != 0) query.since = 100;
        if ((filters & 2U) != 0) query.brief = "b";
        if ((filters & 4U) != 0) query.kind = "kill";
        if ((filters & 8U) != 0) query.min_score = 3;
        CAPTURE(filters);
        const store::SqlStatement sql = store::hits_query_sql(query, store::SqlDialect::sqlite);
        store::Statement plan = db.prepare("EXPLAIN QUERY PLAN " + sql.text);
        const std::string index =
            query.brief.empty() ? "hits_by_kind_score (kind=?" : "hits_by_brief_kind_score (brief=? AND kind=?";
        std::vector<std::string> searches;
        std::size_t sorts = 0;
        while (plan.step()) {
            const std::string detail = plan.column_text(3);
            CAPTURE(detail);
            CHECK_FALSE(detail.starts_with("SCAN h"));  // hits, or h: the table walked
            CHECK_FALSE(detail.starts_with("SCAN i"));
            if (detail.starts_with("SEARCH hits")) searches.push_back(detail);
            if (detail.find("TEMP B-TREE") != std::string::npos) ++sorts;
        }
        // The first score of each kind, the next one, and the newest hits of one (kind, score):
        // each a search of the index by its leading columns.
        REQUIRE(searches.size() == 3);
        for (const std::string& search : searches) {
            CAPTURE(search);
            CHECK(search.find("USING COVERING INDEX " + index) != std::string::npos);
        }
        CHECK((searches[0].find("score>?") != std::string::npos) == query.min_score.has_value());
        CHECK(searches[1].find(" AND score>?)") != std::string::npos);
        CHECK(searches[2].find(query.since ? " AND score=? AND found_at>?)" : " AND score=?)") != std::string::npos);
        // The merge of the (kind, score) parts, each read in index order, and the final LIMIT rows
        // ordered again after the join: nothing else is sorted.
        CHECK(sorts == 2);
    }
}

TEST_CASE("reads on the poll path return a failed read as an error rather than throw it") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    REQUIRE(store.record_poll(ok_poll("news", 1000), {}, 1000).has_value());
    REQUIRE(store.feed_state("news").value().has_value());
    // Another process breaks the schema under the store (as a damaged file would fail a read).
    test_store.query_text("ALTER TABLE feeds RENAME TO feeds_elsewhere");
    test_store.query_text("ALTER TABLE hits RENAME TO hits_elsewhere");
    const auto state = store.feed_state("news");
    REQUIRE_FALSE(state.has_value());
    // SQLite says "no such table: feeds", PostgreSQL 'relation "feeds" does not exist'.
    CHECK(state.error().find("feeds") != std::string::npos);
    CHECK_FALSE(store.hit_counts_since(0).has_value());
    CHECK_FALSE(store.totals().has_value());
}

TEST_CASE("store migrate copies a SQLite store into an empty PostgreSQL one, ids and references kept") {
    TempDir dir;
    const testing::TestStore target(dir);
    if (!target.on_postgres()) return;  // runs in the postgresql.store_tests pass
    const auto path = dir.path() / "source.db";
    const std::vector<feed::Item> items{make_item("a", "First"), make_item("b", "Second")};
    {
        store::SqliteStore source(path, store::OpenMode::read_write);
        REQUIRE(source.record_poll(ok_poll("news", 100),
                                   std::vector<store::NewItem>{{&items[0], {make_verdict("brief-1", 7, true)}}}, 100));
        REQUIRE(source.record_poll(ok_poll("news", 200),
                                   std::vector<store::NewItem>{{&items[1], {make_verdict("brief-1", 3, false)}}}, 200));
    }
    const auto counts = store::copy_sqlite_to_postgres(path, target.location(), "");
    CHECK(counts.at(0) == std::pair<std::string, std::int64_t>{"feeds", 1});
    CHECK(counts.at(1) == std::pair<std::string, std::int64_t>{"items", 2});
    CHECK(counts.at(2) == std::pair<std::string, std::int64_t>{"hits", 2});

    store::Store& copied = *target;
    const auto hits = copied.query_hits({});
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].title == "Second");
    CHECK(hits[1].terms == std::vector<std::string>{"open weights", "tender"});
    CHECK(copied.feed_state("news").value()->etag == "\"v1\"");
    // New rows continue after the copied ids; known items stay known.
    const std::vector<feed::Item> more{make_item("b", "Second"), make_item("c", "Third")};
    CHECK(copied.filter_new("news", more).value().size() == 1);
    REQUIRE(copied.record_poll(ok_poll("news", 300),
                               std::vector<store::NewItem>{{&more[1], {make_verdict("brief-1", 9, true)}}}, 300));
    CHECK(copied.totals()->items == 3);
    // A second copy into the now filled store is refused.
    CHECK_THROWS_WITH_AS(store::copy_sqlite_to_postgres(path, target.location(), ""),
                         doctest::Contains("already holds"), store::StoreError);
}
