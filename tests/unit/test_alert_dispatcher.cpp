// Tests for src/alert/dispatcher.cpp, src/alert/enqueue.cpp and the outbox in src/store/outbox.cpp:
// outbox rows written with hits, clustering of copies, retries to a refused port, max age, rate
// limit and digest folding, and the dispatcher over a fake sender (scripted outcomes). Deliveries to
// live servers are covered by tests/integration/test_alerts.py.
#include <doctest/doctest.h>

#include <deque>

#include "alert/dispatcher.hpp"
#include "alert/enqueue.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace signalmon;
using signalmon::testing::TempDir;

namespace {

constexpr feed::UnixTime k_now = 1'790'000'000;

// Port 1 on loopback: nothing listens, so every attempt is a refused connection (retried).
config::AlertsConfig refused_webhook(std::int64_t rate_limit = 0) {
    config::AlertsConfig alerts;
    config::Channel channel{.id = "hook", .type = config::Channel::Type::webhook};
    channel.webhook.url = "http://127.0.0.1:1/hook";
    channel.timeout = std::chrono::seconds(5);
    channel.rate_limit.count = rate_limit;
    alerts.channels.push_back(channel);
    alerts.routes.push_back({.channels = {"hook"}});
    alerts.retry_base = std::chrono::seconds(10);
    alerts.max_age = std::chrono::hours(1);
    return alerts;
}

score::Verdict alerting_verdict() {
    score::Verdict verdict{.brief_id = "b1", .scores = {0, 6, 0}, .threshold = 5, .alerting = true, .hits = {}};
    verdict.hits.push_back(
        {.signal_id = "s1", .kind = rules::Kind::confirm, .weight = 6, .terms = {"tender"}, .snippet = "a tender"});
    return verdict;
}

feed::Item story(std::string key, std::string link, std::string body) {
    feed::Item item;
    item.key = std::move(key);
    item.title = "EU tender demands open weights";
    item.link = std::move(link);
    item.content = std::move(body);
    return item;
}

const std::string k_body =
    "The European Commission opened a tender for sovereign AI systems that requires bidders to deliver open weights "
    "models with local control and escrow of the trained parameters, according to procurement documents published on "
    "Monday. Officials said the rules avoid dependence on a handful of closed frontier laboratories.";

// Stores items of one feed as a poll would, with the alert requests the poll cycle builds.
void store_items(store::Store& store, const config::AlertsConfig& alerts, const std::string& feed_id,
                 const std::vector<feed::Item>& items, feed::UnixTime now) {
    const std::vector<score::Verdict> verdicts{alerting_verdict()};
    std::vector<store::NewItem> new_items;
    for (const feed::Item& item : items) {
        new_items.push_back(
            {&item, verdicts, alert::alert_requests(alerts, rules::RuleSet{}, feed_id, item, verdicts, now)});
    }
    const store::PollRecord poll{.feed_id = feed_id, .url = "file:///" + feed_id, .polled_at = now};
    REQUIRE(store.record_poll(poll, new_items, now, alert::cluster_policy(alerts)).has_value());
}

// Two unrelated stories, so two outbox rows on the one channel.
void store_two_stories(store::Store& store, const config::AlertsConfig& alerts) {
    feed::Item other = story("b", "https://example.org/b", "Chipmakers reported record revenue.");
    other.title = "Chip revenue hits a record";
    store_items(store, alerts, "wire", {story("a", "https://example.org/a", k_body), other}, k_now);
}

}  // namespace

TEST_CASE("an alerting hit gets an outbox row in the same poll, keyed stably, with the alert as payload") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const auto alerts = refused_webhook();
    store_items(store, alerts, "wire", {story("a", "https://example.org/a", k_body)}, k_now);
    const auto rows = store.due_outbox(k_now, 10);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].status == "pending");
    CHECK(rows[0].channel == "hook");
    CHECK(rows[0].idempotency_key == alert::idempotency_key("hook", "wire", "a", "b1"));
    CHECK(rows[0].idempotency_key.size() == 32);
    const alert::Message message = alert::message_from_row(rows[0]);
    REQUIRE(message.alerts.size() == 1);
    CHECK(message.alerts[0].title == "EU tender demands open weights");
    CHECK(message.alerts[0].signals[0].terms == std::vector<std::string>{"tender"});
}

TEST_CASE("copies of a story (same canonical link, or near-identical text) alert once") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const auto alerts = refused_webhook();
    store_items(store, alerts, "wire", {story("a", "https://example.org/a?utm_source=rss", k_body)}, k_now);
    store_items(store, alerts, "mirror", {story("x", "http://www.example.org/a", "different text entirely")},
                k_now + 10);
    std::vector<feed::Item> copies;
    for (int i = 0; i < 19; ++i) {
        copies.push_back(story("copy-" + std::to_string(i), "https://paper" + std::to_string(i) + ".example/story",
                               "BRUSSELS (Reuters) - " + k_body));
    }
    store_items(store, alerts, "syndication", copies, k_now + 20);
    CHECK(store.due_outbox(k_now + 30, 100).size() == 1);

    // A different story for the same brief still alerts.
    feed::Item other = story("b", "https://example.org/b",
                             "Chipmakers reported record revenue as demand for "
                             "accelerators kept rising, while spot prices for rented GPUs fell.");
    other.title = "Chip revenue hits a record";
    store_items(store, alerts, "wire", {other}, k_now + 40);
    CHECK(store.due_outbox(k_now + 50, 100).size() == 2);
}

TEST_CASE("a refused connection is retried with backoff until max_age, then dead; retry requeues it") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const auto alerts = refused_webhook();
    store_items(store, alerts, "wire", {story("a", "https://example.org/a", k_body)}, k_now);
    alert::Dispatcher dispatcher(alerts, "signalmon-test", store);

    auto stats = dispatcher.deliver_due(k_now);
    CHECK(stats.retrying == 1);
    auto row = store.query_outbox({}).at(0);
    CHECK(row.status == "pending");
    CHECK(row.attempts == 1);
    CHECK(row.last_error.find("onnect") != std::string::npos);
    CHECK(row.not_before >= k_now + 5);  // base 10 s, jittered into [5, 10]
    CHECK(row.not_before <= k_now + 10);
    CHECK(dispatcher.next_wake() == row.not_before);
    CHECK(dispatcher.deliver_due(row.not_before - 1).retrying == 0);  // not due yet

    // Retrying past max_age (1 h after it was queued) kills it.
    stats = dispatcher.deliver_due(k_now + 3599);
    CHECK(stats.failed == 1);
    row = store.query_outbox({}).at(0);
    CHECK(row.status == "failed");
    CHECK(row.last_error.starts_with("gave up after 2 attempts"));
    CHECK_FALSE(dispatcher.next_wake().has_value());

    CHECK(store.requeue_failed(std::nullopt, k_now + 4000) == 1);
    row = store.query_outbox({}).at(0);
    CHECK(row.status == "pending");
    CHECK(row.queued_at == k_now + 4000);
    CHECK(row.attempts == 0);
}

TEST_CASE("a failing channel costs one attempt per pass; its other alerts wait with it") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const auto alerts = refused_webhook();
    store_two_stories(store, alerts);
    alert::Dispatcher dispatcher(alerts, "signalmon-test", store);
    CHECK(dispatcher.deliver_due(k_now).retrying == 2);
    const auto rows = store.query_outbox({});
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].attempts + rows[1].attempts == 1);
    CHECK(rows[0].not_before == rows[1].not_before);
    CHECK(rows[0].not_before > k_now);
}

TEST_CASE("over the rate limit, alerts are held and folded into one digest when the window allows") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const auto alerts = refused_webhook(2);  // at most 2 per hour
    std::vector<feed::Item> items;
    const char* bodies[] = {"alpha story about procurement", "beta story on compute markets",
                            "gamma piece on export controls", "delta report about sovereign funds",
                            "epsilon note on nationalized labs"};
    for (int i = 0; i < 5; ++i) {
        items.push_back(story("i" + std::to_string(i), "https://example.org/" + std::to_string(i), bodies[i]));
        items.back().title = std::string("Headline ") + bodies[i];  // five different stories
    }
    store_items(store, alerts, "wire", items, k_now);
    // Two went out just now (as a live receiver would have accepted them).
    const auto rows = store.due_outbox(k_now, 10);
    REQUIRE(rows.size() == 5);
    store.outbox_attempted(rows[0].id, "sent", k_now, k_now, "");
    store.outbox_attempted(rows[1].id, "sent", k_now, k_now, "");

    alert::Dispatcher dispatcher(alerts, "signalmon-test", store);
    const auto stats = dispatcher.deliver_due(k_now + 1);
    CHECK(stats.held == 3);
    CHECK(store.query_outbox({.statuses = {"held"}}).size() == 3);
    CHECK(dispatcher.next_wake() == k_now + 3600);

    // An instance that does not lead (several daemons on one store) leaves digests to the leader.
    CHECK(dispatcher.deliver_due(k_now + 3600, false).digests == 0);
    CHECK(store.query_outbox({.statuses = {"held"}}).size() == 3);
    const auto later = dispatcher.deliver_due(k_now + 3600);
    CHECK(later.digests == 1);
    const auto digest = store.query_outbox({.statuses = {"pending"}});
    REQUIRE(digest.size() == 1);  // the digest, retrying against the refused port
    CHECK(digest[0].digest);
    CHECK(alert::message_from_row(digest[0]).alerts.size() == 3);
    const auto folded = store.query_outbox({.statuses = {"folded"}});
    CHECK(folded.size() == 3);
    CHECK(folded[0].digest_id == digest[0].id);
}

TEST_CASE("a channel whose secret is missing stops the dispatcher from starting, naming the variable only") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    auto alerts = refused_webhook();
    alerts.channels[0].webhook.secret =
        config::SecretRef{config::SecretRef::Source::env, "SIGNALMON_TEST_UNSET_SECRET"};
    CHECK_THROWS_WITH_AS(alert::Dispatcher(alerts, "ua", store),
                         "alert channel 'hook': environment variable SIGNALMON_TEST_UNSET_SECRET is not set",
                         std::runtime_error);
    const auto file = dir.write("secret", "from-file\n");
    alerts.channels[0].webhook.secret = config::SecretRef{config::SecretRef::Source::file, file.string()};
    CHECK_NOTHROW(alert::Dispatcher(alerts, "ua", store));
}

namespace {

// Answers each send with the next scripted result and remembers what it was given.
class FakeSender final : public alert::Sender {
public:
    std::deque<alert::AttemptResult> results;
    struct Sent {
        std::string channel;
        std::string key;
        std::string secret;
    };
    std::vector<Sent> sent;

    alert::AttemptResult send(const config::Channel& channel, const alert::Message& message, const std::string& secret,
                              feed::UnixTime /*now*/) override {
        sent.push_back({channel.id, message.idempotency_key, secret});
        REQUIRE_FALSE(results.empty());
        alert::AttemptResult result = std::move(results.front());
        results.pop_front();
        return result;
    }
};

}  // namespace

TEST_CASE("each due alert goes to the sender once, with its key and the channel's secret, and is recorded sent") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    auto alerts = refused_webhook();
    alerts.channels[0].webhook.secret =
        config::SecretRef{config::SecretRef::Source::file, dir.write("secret", "s3cret\n").string()};
    store_items(store, alerts, "wire", {story("a", "https://example.org/a", k_body)}, k_now);
    auto sender = std::make_unique<FakeSender>();
    FakeSender& fake = *sender;
    fake.results.push_back({});  // delivered
    alert::Dispatcher dispatcher(alerts, store, std::move(sender));

    CHECK(dispatcher.deliver_due(k_now).sent == 1);
    REQUIRE(fake.sent.size() == 1);
    CHECK(fake.sent[0].channel == "hook");
    CHECK(fake.sent[0].key == alert::idempotency_key("hook", "wire", "a", "b1"));
    CHECK(fake.sent[0].secret == "s3cret");
    const auto row = store.query_outbox({}).at(0);
    CHECK(row.status == "sent");
    CHECK(row.sent_at == k_now);
    CHECK(dispatcher.deliver_due(k_now + 60).sent == 0);
    CHECK(fake.sent.size() == 1);
    CHECK_FALSE(dispatcher.next_wake().has_value());
}

TEST_CASE("a receiver's Retry-After pauses its channel for every alert; a permanent refusal is dead at once") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const auto alerts = refused_webhook();
    store_two_stories(store, alerts);
    auto sender = std::make_unique<FakeSender>();
    FakeSender& fake = *sender;
    fake.results.push_back({.outcome = alert::AttemptResult::Outcome::retry,
                            .error = "HTTP 429",
                            .retry_after = std::chrono::seconds(120)});
    alert::Dispatcher dispatcher(alerts, store, std::move(sender));

    const auto paused = dispatcher.deliver_due(k_now);
    CHECK(paused.retrying == 2);
    CHECK(fake.sent.size() == 1);  // the second waits with the channel, unsent
    for (const auto& row : store.query_outbox({})) {
        CHECK(row.status == "pending");
        CHECK(row.not_before == k_now + 120);
    }

    fake.results.push_back(
        {.outcome = alert::AttemptResult::Outcome::permanent, .error = "HTTP 410", .retry_after = {}});
    fake.results.push_back({});
    const auto resumed = dispatcher.deliver_due(k_now + 120);
    CHECK(resumed.failed == 1);
    CHECK(resumed.sent == 1);
    CHECK(fake.sent.size() == 3);
    CHECK(fake.sent[1].key == fake.sent[0].key);  // the same alert again, under the same key
    CHECK(store.query_outbox({.statuses = {"failed"}}).at(0).last_error == "HTTP 410");
    CHECK(store.query_outbox({.statuses = {"sent"}}).size() == 1);
}
