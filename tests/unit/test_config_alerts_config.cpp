// Tests for src/config/alerts_config.cpp: the alerts: section of feeds.yaml and its located errors.
#include <doctest/doctest.h>

#include "config/config.hpp"
#include "temp_dir.hpp"

using namespace signalmon;
using signalmon::testing::TempDir;

namespace {

constexpr std::string_view k_feeds = "feeds:\n  - id: a\n    url: a.xml\n";

config::Config load_with(const TempDir& dir, const std::string& alerts) {
    return config::load_config(dir.write("feeds.yaml", std::string(k_feeds) + "alerts:\n" + alerts));
}

std::string error_of(const TempDir& dir, const std::string& alerts) {
    try {
        load_with(dir, alerts);
    } catch (const config::ConfigError& error) {
        return error.what();
    }
    return "(no error)";
}

}  // namespace

TEST_CASE("a full alerts section is read with its defaults") {
    TempDir dir;
    const auto config = load_with(dir, R"yaml(  max_age: 12h
  channels:
    - id: mail
      type: email
      url: smtps://mail.example.org
      username: bot
      password_file: secrets/smtp
      from: "signalmon <bot@example.org>"
      to: [a@example.org, b@example.org]
      rate_limit: 20/h
    - id: hook
      type: webhook
      url: https://hooks.example.org/x
      format: discord
      secret_env: HOOK_SECRET
      headers: {X-Team: research}
  routes:
    - channels: [mail]
      briefs: [b1]
      kinds: [confirm, kill]
      quiet_hours: "22:30-06:15"
    - channels: [hook]
      default: true
      digest: 1h
)yaml");
    const auto& alerts = config.alerts;
    CHECK(alerts.enabled());
    CHECK(alerts.max_age == std::chrono::hours(12));
    CHECK(alerts.cluster_distance == 12);
    REQUIRE(alerts.channels.size() == 2);
    const auto& mail = alerts.channels[0];
    CHECK(mail.email.starttls == config::StartTls::required);
    CHECK(mail.email.password->source == config::SecretRef::Source::file);
    CHECK(mail.email.password->name == (dir.path() / "secrets/smtp").string());
    CHECK(mail.email.to.size() == 2);
    CHECK(mail.rate_limit.count == 20);
    CHECK(mail.rate_limit.per == std::chrono::hours(1));
    const auto& hook = alerts.channels[1];
    CHECK(hook.webhook.format == config::WebhookFormat::discord);
    CHECK(hook.webhook.secret->name == "HOOK_SECRET");
    CHECK(hook.webhook.headers == std::vector<std::pair<std::string, std::string>>{{"X-Team", "research"}});
    REQUIRE(alerts.routes.size() == 2);
    CHECK(alerts.routes[0].quiet_hours->start_minute == 22 * 60 + 30);
    CHECK(alerts.routes[0].quiet_hours->end_minute == 6 * 60 + 15);
    CHECK(alerts.routes[1].is_default);
    CHECK(alerts.routes[1].digest == std::chrono::hours(1));
}

TEST_CASE("a feeds.yaml without alerts has alerts disabled") {
    TempDir dir;
    CHECK_FALSE(config::load_config(dir.write("feeds.yaml", std::string(k_feeds))).alerts.enabled());
}

TEST_CASE("alerts errors are located and say what to do") {
    TempDir dir;
    const std::string path = (dir.path() / "feeds.yaml").string();
    const std::string hook = "  channels:\n    - id: hook\n      type: webhook\n      url: https://h.example.org/\n";
    CHECK(error_of(dir, hook + "      secret: hunter2\n  routes:\n    - channels: [hook]\n") ==
          path +
              ":9:15: 'secret' may not be written inline: use 'secret_env: VARIABLE' or 'secret_file: /path' "
              "(e.g. a systemd credential)");
    CHECK(error_of(dir, hook + "      rate_limt: 5/h\n  routes:\n    - channels: [hook]\n") ==
          path + ":9:7: unknown key 'rate_limt' in alert channel (did you mean 'rate_limit'?)");
    CHECK(error_of(dir, hook + "      rate_limit: lots\n  routes:\n    - channels: [hook]\n") ==
          path + ":9:19: 'rate_limit' wants COUNT/PERIOD such as 20/h or 5/10m, got 'lots'");
    CHECK(error_of(dir, hook + "  routes:\n    - channels: [mail]\n") ==
          path + ":10:17: route names unknown channel 'mail'");
    CHECK(error_of(dir, hook + "      starttls: off\n  routes:\n    - channels: [hook]\n") ==
          path + ":9:17: 'starttls' belongs to email channels, not webhook ones");
    CHECK(error_of(dir, hook + "  routes:\n    - channels: [hook]\n      quiet_hours: 25:00-07:00\n") ==
          path + ":11:20: 'quiet_hours' has an impossible time in '25:00-07:00'");
}
