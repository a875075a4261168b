// What the poll step and poll cycle tests share: one feed, one brief with a capped signal, one
// webhook channel, and RSS documents made to order.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "match/matcher.hpp"
#include "rules/compile.hpp"
#include "temp_dir.hpp"

namespace signalmon::testing {

struct PollFixture {
    TempDir dir;
    config::Config config = make_config();
    std::shared_ptr<const rules::CompiledRules> rules = rules::compile(rules::load_rules_dir(write_rules(dir)));
    match::Matcher matcher{rules};

    const config::FeedSpec& feed() const { return config.feeds.front(); }

    // Items keyed by their guid, each a tender story the brief alerts on.
    static std::string rss(const std::vector<std::string>& keys) {
        std::string body = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire</title>";
        for (const std::string& key : keys) {
            body += "<item><guid>" + key + "</guid><title>Ministry opens tender " + key +
                    "</title><link>https://example.org/" + key +
                    "</link><description>The tender asks for open models.</description></item>";
        }
        return body + "</channel></rss>";
    }

private:
    static std::filesystem::path write_rules(const TempDir& dir) {
        dir.write("rules/tenders.yaml", R"yaml(brief:
  id: tenders
  title: Public tenders
  threshold: 5
signals:
  - id: tender
    kind: confirm
    weight: 6
    any: [tender]
    max_per_day: 3
)yaml");
        return dir.path() / "rules";
    }

    static config::Config make_config() {
        config::Config config;
        config.user_agent = "signalmon-test";
        config::FeedSpec feed{.id = "wire", .url = "https://wire.example.org/feed.xml"};
        feed.interval = std::chrono::seconds(600);
        feed.health_alert_after = std::chrono::hours(24);
        config.feeds.push_back(feed);
        config::Channel channel{.id = "hook", .type = config::Channel::Type::webhook};
        channel.webhook.url = "http://127.0.0.1:1/hook";
        config.alerts.channels.push_back(channel);
        config.alerts.routes.push_back({.channels = {"hook"}});
        return config;
    }
};

}  // namespace signalmon::testing
