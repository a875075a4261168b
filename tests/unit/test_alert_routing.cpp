// Tests for src/alert/routing.cpp: route matching, default route, digests and quiet hours.
#include <doctest/doctest.h>

#include "alert/routing.hpp"

using namespace signalmon;

namespace {

score::Verdict verdict(std::string brief, int score, bool alerting, rules::Kind kind) {
    // The kind's threshold is set so that its score alerts or not, as the case asks.
    const int threshold = alerting ? std::min(score, 5) : std::max(score + 1, 5);
    score::Verdict result{
        .brief_id = std::move(brief), .threshold = threshold, .watch_threshold = threshold, .alerting = alerting};
    result.scores[score::kind_index(kind)] = score;
    result.hits.push_back({.signal_id = "s", .kind = kind, .weight = score, .terms = {}, .snippet = {}});
    return result;
}

config::AlertsConfig two_routes() {
    config::AlertsConfig alerts;
    for (const char* id : {"mail", "hook", "chat"}) alerts.channels.push_back(config::Channel{.id = id});
    alerts.routes.push_back({.channels = {"mail"}, .briefs = {"b1"}, .kinds = {"confirm", "kill"}});
    alerts.routes.push_back({.channels = {"hook"}, .min_score = 2});
    alerts.routes.push_back({.channels = {"chat"}, .is_default = true});
    return alerts;
}

std::vector<std::string> channels_of(const std::vector<alert::Delivery>& deliveries) {
    std::vector<std::string> channels;
    for (const auto& delivery : deliveries) channels.push_back(delivery.channel);
    return channels;
}

constexpr feed::UnixTime k_noon = 1'790'000'000 - 1'790'000'000 % 86'400 + 12 * 3600;

}  // namespace

TEST_CASE("routes filter by brief, kind and score; alerting is the default bar") {
    const auto alerts = two_routes();
    CHECK(channels_of(alert::route_verdict(alerts, verdict("b1", 6, true, rules::Kind::confirm), k_noon)) ==
          std::vector<std::string>{"mail", "hook"});
    // watch is not a kind the mail route takes; the hook route's min_score 2 takes it.
    CHECK(channels_of(alert::route_verdict(alerts, verdict("b1", 3, false, rules::Kind::watch), k_noon)) ==
          std::vector<std::string>{"hook"});
    // Nothing else takes it and it is alerting: the default route.
    CHECK(channels_of(alert::route_verdict(alerts, verdict("b2", 1, true, rules::Kind::watch), k_noon)) ==
          std::vector<std::string>{"chat"});
    // Not alerting and under every min_score: nowhere.
    CHECK(alert::route_verdict(alerts, verdict("b2", 1, false, rules::Kind::watch), k_noon).empty());
}

TEST_CASE("a digest route holds deliveries until the end of its period; sending now wins per channel") {
    config::AlertsConfig alerts;
    alerts.channels.push_back(config::Channel{.id = "mail"});
    alerts.routes.push_back({.channels = {"mail"}, .digest = std::chrono::hours(1)});
    const auto held = alert::route_verdict(alerts, verdict("b", 6, true, rules::Kind::kill), k_noon + 600);
    REQUIRE(held.size() == 1);
    CHECK(held[0].held);
    CHECK(held[0].not_before == k_noon + 3600);

    alerts.routes.push_back({.channels = {"mail"}, .kinds = {"kill"}});
    const auto now = alert::route_verdict(alerts, verdict("b", 6, true, rules::Kind::kill), k_noon + 600);
    REQUIRE(now.size() == 1);
    CHECK_FALSE(now[0].held);
    CHECK(now[0].not_before == k_noon + 600);
}

TEST_CASE("quiet hours hold alerts until the window ends, across midnight") {
    const config::QuietHours night{.start_minute = 22 * 60, .end_minute = 7 * 60};
    const feed::UnixTime midnight = k_noon - 12 * 3600;
    CHECK_FALSE(alert::quiet_until(night, {}, k_noon).has_value());
    CHECK(alert::quiet_until(night, {}, midnight + 23 * 3600) == midnight + 86'400 + 7 * 3600);
    CHECK(alert::quiet_until(night, {}, midnight + 3 * 3600) == midnight + 7 * 3600);
    CHECK_FALSE(alert::quiet_until(night, {}, midnight + 7 * 3600).has_value());

    // In Berlin (UTC+1 in winter; k_noon is in September, UTC+2) the window is Berlin's night.
    const auto berlin =
        config::TimeZone::load("Europe/Berlin", std::filesystem::path(SIGNALMON_TEST_DATA) / "tz").value();
    CHECK(berlin.at(k_noon).offset_seconds == 7200);
    CHECK_FALSE(alert::quiet_until(night, berlin, midnight + 19 * 3600).has_value());                // 21:00 local
    CHECK(alert::quiet_until(night, berlin, midnight + 21 * 3600) == midnight + 86'400 + 5 * 3600);  // 23:00 local
    CHECK(alert::quiet_until(night, berlin, midnight + 4 * 3600) == midnight + 5 * 3600);            // 06:00 local
    CHECK_FALSE(alert::quiet_until(night, berlin, midnight + 5 * 3600).has_value());                 // 07:00 local

    config::AlertsConfig alerts;
    alerts.channels.push_back(config::Channel{.id = "mail"});
    alerts.routes.push_back({.channels = {"mail"}, .quiet_hours = night});
    const auto deliveries =
        alert::route_verdict(alerts, verdict("b", 6, true, rules::Kind::confirm), midnight + 23 * 3600);
    REQUIRE(deliveries.size() == 1);
    CHECK(deliveries[0].held);
    CHECK(deliveries[0].not_before == midnight + 86'400 + 7 * 3600);
}
