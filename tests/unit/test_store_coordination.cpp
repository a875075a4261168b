// Tests for src/store/postgres_coordination.cpp and the outbox claims of postgres_store.cpp: two
// connections act as two daemons on one PostgreSQL store (lanes, claims, the leader's lock); a
// SQLite store has one daemon and no coordination. Also: every hit records its rules' hash.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace signalmon;
using signalmon::testing::TempDir;

namespace {

constexpr feed::UnixTime k_shared_now = 1'790'000'000;

const std::vector<std::string> k_shared_lanes{"budget:sec-edgar", "host:a.example", "host:b.example"};

// A poll of feed that raises a health alert with one delivery per key.
void store_health_alerts(store::Store& store, const std::string& feed, const std::vector<std::string>& keys) {
    store::HealthAlertRequest alert{.feed_id = feed, .summary = "feed failing", .payload = "{}", .deliveries = {}};
    for (const std::string& key : keys) {
        alert.deliveries.push_back(
            {.channel = "hook", .idempotency_key = key, .held = false, .not_before = k_shared_now});
    }
    store::FeedState state{.id = feed, .url = "https://a.example/" + feed};
    REQUIRE(store.write_poll({.state = state, .found_at = k_shared_now, .health_alert = alert}).has_value());
}

std::vector<std::string> keys_of(const std::vector<store::OutboxRow>& rows) {
    std::vector<std::string> keys;
    for (const store::OutboxRow& row : rows) keys.push_back(row.idempotency_key);
    return keys;
}

}  // namespace

TEST_CASE("lanes are leased to one instance at a time, and pass on when a lease runs out or is given back") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    if (!test_store.on_postgres()) {
        CHECK(test_store->coordination() == nullptr);  // the only daemon: nothing to share
        return;
    }
    const auto other_store = test_store.open(store::OpenMode::read_write);
    store::Coordination& first = *test_store->coordination();
    store::Coordination& second = *other_store->coordination();

    CHECK(*first.lease_lanes("a", k_shared_lanes, 2, k_shared_now, k_shared_now + 60) ==
          std::vector<std::string>{"budget:sec-edgar", "host:a.example"});
    // The second takes only what nobody holds, however many it asks for.
    CHECK(*second.lease_lanes("b", k_shared_lanes, 3, k_shared_now, k_shared_now + 60) ==
          std::vector<std::string>{"host:b.example"});
    // Renewed, the first keeps its lanes past the first expiry; the second cannot take them.
    CHECK(first.lease_lanes("a", {}, 0, k_shared_now + 30, k_shared_now + 90)->size() == 2);
    CHECK(*second.lease_lanes("b", k_shared_lanes, 3, k_shared_now + 70, k_shared_now + 130) ==
          std::vector<std::string>{"host:b.example"});
    // The first stops renewing (it died): once its leases run out the second takes them over.
    CHECK(second.lease_lanes("b", k_shared_lanes, 3, k_shared_now + 91, k_shared_now + 150)->size() == 3);
    CHECK(first.lease_lanes("a", {}, 0, k_shared_now + 92, k_shared_now + 150)->empty());
    // A lane given back is free at once, and so is every lane of an instance that leaves.
    REQUIRE(second.release_lanes("b", std::vector<std::string>{"host:a.example"}).has_value());
    CHECK(*first.lease_lanes("a", k_shared_lanes, 1, k_shared_now + 93, k_shared_now + 150) ==
          std::vector<std::string>{"host:a.example"});
    REQUIRE(second.leave("b").has_value());
    CHECK(first.lease_lanes("a", k_shared_lanes, 3, k_shared_now + 94, k_shared_now + 150)->size() == 3);
}

TEST_CASE("instances heartbeat; those not seen within a lease are not alive") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    if (!test_store.on_postgres()) return;
    store::Coordination& coordination = *test_store->coordination();
    REQUIRE(coordination.heartbeat(
        {.id = "old", .rules_hash = "r1", .started_at = k_shared_now, .seen_at = k_shared_now}, 0));
    const auto alive = coordination.heartbeat(
        {.id = "new", .rules_hash = "r2", .started_at = k_shared_now, .seen_at = k_shared_now + 100},
        k_shared_now + 100 - 60);
    REQUIRE(alive.has_value());
    REQUIRE(alive->size() == 1);
    CHECK(alive->at(0).id == "new");
    CHECK(alive->at(0).rules_hash == "r2");
}

TEST_CASE("outbox rows are claimed by one instance; a claim that runs out passes them on with their keys") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    if (!test_store.on_postgres()) return;
    const auto other_store = test_store.open(store::OpenMode::read_write);
    store::Store& first = *test_store;
    store::Store& second = *other_store;
    first.coordination()->claim_outbox_as("a", 60);
    second.coordination()->claim_outbox_as("b", 60);
    store_health_alerts(first, "f1", {"k1", "k2"});

    const auto claimed = first.due_outbox(k_shared_now, 10);
    CHECK(keys_of(claimed) == std::vector<std::string>{"k1", "k2"});
    CHECK(second.due_outbox(k_shared_now, 10).empty());
    CHECK(first.due_outbox(k_shared_now, 10).size() == 2);  // still its own until recorded
    first.outbox_attempted(claimed[0].id, "sent", k_shared_now, k_shared_now, "");
    // The first dies before recording k2: after its claim the second delivers it, same key.
    CHECK(second.due_outbox(k_shared_now + 30, 10).empty());
    CHECK(keys_of(second.due_outbox(k_shared_now + 61, 10)) == std::vector<std::string>{"k2"});
    // A stopping instance leaves: its claims are free at once.
    store_health_alerts(first, "f2", {"k3"});
    CHECK(keys_of(first.due_outbox(k_shared_now + 62, 10)) == std::vector<std::string>{"k3"});
    CHECK(second.due_outbox(k_shared_now + 62, 10).size() == 1);  // k2, still its own
    REQUIRE(first.coordination()->leave("a").has_value());
    CHECK(second.due_outbox(k_shared_now + 62, 10).size() == 2);
    // Without a claimant (signalctl) rows are read, not claimed.
    const auto reader = test_store.open(store::OpenMode::read_only);
    CHECK(reader->due_outbox(k_shared_now + 61, 10).size() == 2);
}

TEST_CASE("one instance leads at a time; when its connection ends another does") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    if (!test_store.on_postgres()) return;
    auto first = test_store.open(store::OpenMode::read_write);
    const auto second = test_store.open(store::OpenMode::read_write);
    CHECK(first->coordination()->lead());
    CHECK(first->coordination()->lead());  // and stays leader
    CHECK_FALSE(second->coordination()->lead());
    first.reset();  // the leader's process died: the server drops its session lock as its backend exits
    bool leads = false;
    for (int attempt = 0; attempt < 100 && !leads; ++attempt) {
        leads = second->coordination()->lead();
        if (!leads) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(leads);
}

TEST_CASE("each hit records the hash of the rules that made it") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    feed::Item item;
    item.key = "a";
    item.title = "Tender";
    item.link = "https://a.example/a";
    score::Verdict verdict{.brief_id = "b1", .scores = {0, 6, 0}, .threshold = 5, .alerting = false, .hits = {}};
    verdict.hits.push_back({.signal_id = "s1", .kind = rules::Kind::confirm, .weight = 6, .terms = {}, .snippet = ""});
    const std::vector<store::NewItem> new_items{{&item, {verdict}}};
    store::FeedState state{.id = "f1", .url = "https://a.example/"};
    REQUIRE(*test_store->write_poll(
                {.state = state, .new_items = new_items, .found_at = k_shared_now, .rules_hash = "rules-1234"}) == 1);
    CHECK(test_store.query_text("SELECT rules_hash FROM hits") == "rules-1234");
}
