// Tests for feed health alerts: routing (route key health), the outbox row raised once per episode,
// its e-mail and webhook renderings, and the rate limit never folding one into a digest.
#include <doctest/doctest.h>

#include "alert/dispatcher.hpp"
#include "alert/email.hpp"
#include "alert/enqueue.hpp"
#include "alert/routing.hpp"
#include "alert/webhook.hpp"
#include "config/config.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace signalmon;
using signalmon::testing::TempDir;

namespace {

constexpr feed::UnixTime k_health_now = 1'790'000'000;
constexpr feed::UnixTime k_day = 86'400;

config::AlertsConfig three_channels() {
    config::AlertsConfig alerts;
    for (const char* id : {"mail", "hook", "chat"}) {
        config::Channel channel{.id = id, .type = config::Channel::Type::webhook};
        channel.webhook.url = "http://127.0.0.1:1/" + std::string(id);  // refused: nothing listens on port 1
        channel.timeout = std::chrono::seconds(5);
        alerts.channels.push_back(channel);
    }
    alerts.routes.push_back({.channels = {"mail", "hook"}, .briefs = {"b1"}, .digest = std::chrono::hours(1)});
    alerts.routes.push_back({.channels = {"chat"}, .is_default = true, .health = false});
    alerts.routes.push_back({.channels = {"hook"}, .min_score = 9});
    return alerts;
}

// The feed row as a failing poll leaves it; every later call fails again at its time.
void fail_poll(store::Store& store, feed::UnixTime at) {
    const store::PollRecord poll{.feed_id = "wire",
                                 .url = "file:///gone.xml",
                                 .polled_at = at,
                                 .status = store::PollRecord::Status::failed,
                                 .error = "no such file"};
    REQUIRE(store.record_poll(poll, {}, at).has_value());
}

void ok_poll(store::Store& store, feed::UnixTime at) {
    const store::PollRecord poll{.feed_id = "wire", .url = "file:///gone.xml", .polled_at = at};
    REQUIRE(store.record_poll(poll, {}, at).has_value());
}

// Raises the alert as a poll does: the feed's row marked alerted and its deliveries queued in one write.
void raise_health_alert(store::Store& store, const store::HealthAlertRequest& request, feed::UnixTime now) {
    store::FeedState state = store.feed_state(request.feed_id).value().value();
    state.health_alerted = true;
    REQUIRE(store
                .write_poll({.state = state,
                             .new_items = {},
                             .listed = {},
                             .found_at = now,
                             .clustering = {},
                             .health_alert = request})
                .has_value());
}

alert::HealthAlert failing_feed() {
    return {.feed = "wire",
            .url = "https://example.org/feed?a=1&b=<2>",
            .problem = "failing",
            .detail = "failing for 50 h: HTTP 404",
            .since = k_health_now - 2 * k_day - 3600,
            .detected_at = k_health_now,
            .last_success = k_health_now - 3 * k_day,
            .last_error = "HTTP 404 <Not Found>",
            .consecutive_failures = 12};
}

}  // namespace

TEST_CASE("health alerts go at once to every route's channels except those that opt out") {
    const auto deliveries = alert::route_health(three_channels(), k_health_now);
    REQUIRE(deliveries.size() == 2);
    CHECK(deliveries[0].channel == "mail");
    CHECK(deliveries[1].channel == "hook");  // once, though two routes name it
    for (const auto& delivery : deliveries) {
        CHECK_FALSE(delivery.held);  // the digest route does not hold a health alert
        CHECK(delivery.not_before == k_health_now);
    }
}

TEST_CASE("the route key health defaults to true and can be turned off") {
    TempDir dir;
    const auto config = config::load_config(dir.write("feeds.yaml", R"yaml(feeds:
  - id: a
    url: a.xml
alerts:
  channels:
    - id: hook
      type: webhook
      url: https://hooks.example.org/x
  routes:
    - channels: [hook]
      briefs: [b1]
    - channels: [hook]
      default: true
      health: false
)yaml"));
    REQUIRE(config.alerts.routes.size() == 2);
    CHECK(config.alerts.routes[0].health);
    CHECK_FALSE(config.alerts.routes[1].health);
}

TEST_CASE("a health episode is raised once per channel, survives a second raise, and a new episode alerts again") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    const auto alerts = three_channels();
    fail_poll(store, k_health_now - 2 * k_day);
    fail_poll(store, k_health_now);
    auto state = store.feed_state("wire").value();
    REQUIRE(state.has_value());
    REQUIRE(state->first_failure == k_health_now - 2 * k_day);

    const auto request = alert::health_request(alerts, *state, "failing for 48 h: no such file", k_health_now);
    raise_health_alert(store, request, k_health_now);
    CHECK(store.feed_state("wire")->value().health_alerted);
    // As after a restart between raising and recording: the same episode adds nothing.
    const auto again = alert::health_request(alerts, store.feed_state("wire")->value(),
                                             "failing for 49 h: no such file", k_health_now + 3600);
    raise_health_alert(store, again, k_health_now + 3600);
    auto rows = store.due_outbox(k_health_now + 3600, 10);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].kind == "health");
    CHECK(rows[0].brief.empty());
    CHECK(rows[0].summary == "feed wire failing for 2 d");
    CHECK(rows[0].idempotency_key == alert::health_key("mail", "wire", k_health_now - 2 * k_day));
    CHECK(rows[1].idempotency_key == alert::health_key("hook", "wire", k_health_now - 2 * k_day));

    const alert::Message message = alert::message_from_row(rows[1]);
    REQUIRE(message.health.has_value());
    CHECK(message.alerts.empty());
    CHECK(message.health->problem == "failing");
    CHECK(message.health->since == k_health_now - 2 * k_day);
    CHECK(message.health->consecutive_failures == 2);
    CHECK(message.health->last_error == "no such file");
    CHECK_FALSE(message.health->last_success.has_value());

    // Recovery (the poll step clears the mark; here the poll keeps it), then a new run of failures:
    // a new episode with new keys.
    ok_poll(store, k_health_now + 2 * k_day);
    fail_poll(store, k_health_now + 3 * k_day);
    state = store.feed_state("wire").value();
    const auto next =
        alert::health_request(alerts, *state, "failing for 1 h: no such file", k_health_now + 3 * k_day + 3600);
    CHECK(next.deliveries[0].idempotency_key == alert::health_key("mail", "wire", k_health_now + 3 * k_day));
    raise_health_alert(store, next, k_health_now + 3 * k_day);
    CHECK(store.query_outbox({.statuses = {"pending"}}).size() == 4);
}

TEST_CASE("with every route opted out a health episode is still marked, with nothing to send") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    auto alerts = three_channels();
    for (auto& route : alerts.routes) route.health = false;
    fail_poll(store, k_health_now);
    const auto request = alert::health_request(alerts, store.feed_state("wire")->value(), "failing", k_health_now);
    CHECK(request.deliveries.empty());
    raise_health_alert(store, request, k_health_now);
    CHECK(store.feed_state("wire")->value().health_alerted);
    CHECK(store.due_outbox(k_health_now, 10).empty());
}

TEST_CASE("a silent feed's episode starts at its last new item") {
    const store::FeedState state{.id = "quiet",
                                 .url = "https://example.org/q",
                                 .last_success = k_health_now - 60,
                                 .tracked_since = k_health_now - 9 * k_day,
                                 .last_new_item = k_health_now - 3 * k_day};
    const auto request = alert::health_request(three_channels(), state, "silent for 72 h: no new items", k_health_now);
    CHECK(request.summary == "feed quiet silent for 3 d");
    CHECK(request.deliveries[0].idempotency_key == alert::health_key("mail", "quiet", k_health_now - 3 * k_day));
}

TEST_CASE("a health e-mail has a plain subject and the feed's facts, escaped in HTML") {
    const alert::Message message{.idempotency_key = "0123456789abcdef0123456789abcdef", .health = failing_feed()};
    const auto parts = alert::email_parts(message, {});
    CHECK(parts.subject == "[signalmon] feed wire failing for 2 d");
    CHECK(parts.text.find("Feed wire is failing: failing for 50 h: HTTP 404") != std::string::npos);
    CHECK(parts.text.find("Consecutive failures: 12") != std::string::npos);
    CHECK(parts.text.find("Last error: HTTP 404 <Not Found>") != std::string::npos);
    CHECK(parts.html.find("HTTP 404 &lt;Not Found&gt;") != std::string::npos);
    CHECK(parts.html.find("<Not Found>") == std::string::npos);
    const std::string mail =
        alert::render_email(message, {.from = "a@example.org", .to = {"b@example.org"}}, {}, k_health_now);
    CHECK(mail.find("Subject: [signalmon] feed wire failing for 2 d\r\n") != std::string::npos);
}

TEST_CASE("the generic webhook payload of a health alert is type feed_health with the facts") {
    const alert::Message message{.idempotency_key = "k1", .health = failing_feed()};
    const auto payload = alert::generic_payload(message, k_health_now);
    CHECK(payload.at("version") == 1);
    CHECK(payload.at("type") == "feed_health");
    CHECK(payload.at("idempotency_key") == "k1");
    CHECK_FALSE(payload.contains("alerts"));
    const auto& health = payload.at("health");
    CHECK(health.at("feed") == "wire");
    CHECK(health.at("problem") == "failing");
    CHECK(health.at("consecutive_failures") == 12);
    CHECK(health.at("last_success") == "2026-09-18T14:13:20Z");
    CHECK(alert::health_from_json(health).since == failing_feed().since);

    const auto ntfy = alert::render_webhook(
        message, {.url = "https://ntfy.example.org/ops", .format = config::WebhookFormat::ntfy}, "", {}, k_health_now);
    const auto body = nlohmann::json::parse(ntfy.body);
    CHECK(body.at("title") == "feed wire failing for 2 d");
    CHECK(body.at("tags") == nlohmann::json{"warning", "feed_health", "wire"});
}

TEST_CASE("over the rate limit a health alert waits for room instead of joining a digest") {
    TempDir dir;
    const testing::TestStore test_store(dir);
    store::Store& store = *test_store;
    auto alerts = three_channels();
    alerts.channels[1].rate_limit.count = 1;  // hook: one per hour
    alerts.routes = {{.channels = {"hook"}}};
    fail_poll(store, k_health_now - k_day);
    raise_health_alert(store, alert::health_request(alerts, store.feed_state("wire")->value(), "failing", k_health_now),
                       k_health_now);
    // Something else went out on the channel a minute ago.
    const store::OutboxRow health = store.due_outbox(k_health_now, 10).at(0);
    raise_health_alert(store,
                       {.feed_id = "wire",
                        .summary = "s",
                        .payload = health.payload,
                        .deliveries = {{.channel = "hook", .idempotency_key = "other", .not_before = k_health_now}}},
                       k_health_now);
    const auto other = store.due_outbox(k_health_now, 10).at(1);
    store.outbox_attempted(other.id, "sent", k_health_now - 60, k_health_now, "");

    alert::Dispatcher dispatcher(alerts, "signalmon-test", store);
    const auto stats = dispatcher.deliver_due(k_health_now);
    CHECK(stats.held == 1);
    CHECK(stats.digests == 0);
    const auto rows = store.query_outbox({.statuses = {"pending"}});
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].kind == "health");
    CHECK(rows[0].not_before == k_health_now - 60 + 3600);
    CHECK(store.query_outbox({.statuses = {"held"}}).empty());
}
