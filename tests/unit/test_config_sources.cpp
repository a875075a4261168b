// Tests for the politeness keys of src/config/config.cpp: schedule and per-host settings, source
// profiles, and the SEC EDGAR rules (built-in profile, contact e-mail required).
#include <doctest/doctest.h>

#include "config/config.hpp"
#include "config_error.hpp"
#include "temp_dir.hpp"

using signalmon::config::ConfigError;
using signalmon::config::load_config;
using signalmon::testing::config_error;
using signalmon::testing::TempDir;

namespace {

constexpr const char* k_edgar_feed =
    "feeds:\n  - id: edgar\n    url: https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent\n";

}  // namespace

TEST_CASE("politeness defaults") {
    TempDir dir;
    const auto config = load_config(dir.write("feeds.yaml", "feeds:\n  - id: a\n    url: https://example.org/feed\n"));
    CHECK(config.min_interval == std::chrono::minutes(1));
    CHECK(config.max_interval == std::chrono::hours(24));
    CHECK(config.jitter == doctest::Approx(0.1));
    CHECK(config.backoff_max == std::chrono::hours(6));
    CHECK(config.per_host_connections == 2);
    CHECK(config.per_host_rate == doctest::Approx(1.0));
    CHECK(config.low_speed_limit == 64);
    CHECK(config.low_speed_time == std::chrono::seconds(30));
    CHECK(config.health_alert_after == std::chrono::hours(24));
    REQUIRE(config.sources.size() == 1);
    CHECK(config.sources[0].name == "sec-edgar");
    CHECK(config.sources[0].requests_per_second == doctest::Approx(10.0));
    CHECK(config.sources[0].forbidden_means_rate_limited);
    CHECK(config.feeds[0].source.empty());
    CHECK(config.feeds[0].health_alert_after == std::chrono::hours(24));
}

TEST_CASE("every politeness key is read") {
    TempDir dir;
    const auto config = load_config(dir.write("feeds.yaml", R"yaml(user_agent: "Example Research ops@example.com"
min_interval: 5m
max_interval: 12h
jitter: 0.25
backoff_max: 2h
per_host_connections: 4
per_host_rate: 0.5
low_speed_limit: 1KiB
low_speed_time: 10s
health_alert_after: 2d
sources:
  sec-edgar:
    requests_per_second: 5
    user_agent: "Example Research filings@example.com"
  news:
    hosts: [Example.ORG]
    connections: 1
    requests_per_second: 0.2
feeds:
  - id: edgar
    url: https://efts.sec.gov/LATEST/search-index?q=x
  - id: blog
    url: https://blog.example.org/feed
    health_alert_after: 3h
  - id: pinned
    url: https://other.example.net/feed
    source: news
)yaml"));
    CHECK(config.min_interval == std::chrono::minutes(5));
    CHECK(config.max_interval == std::chrono::hours(12));
    CHECK(config.jitter == doctest::Approx(0.25));
    CHECK(config.backoff_max == std::chrono::hours(2));
    CHECK(config.per_host_connections == 4);
    CHECK(config.per_host_rate == doctest::Approx(0.5));
    CHECK(config.low_speed_limit == 1024);
    CHECK(config.low_speed_time == std::chrono::seconds(10));
    CHECK(config.health_alert_after == std::chrono::hours(48));
    REQUIRE(config.sources.size() == 2);
    CHECK(config.sources[0].requests_per_second == doctest::Approx(5.0));
    CHECK(config.sources[1].hosts == std::vector<std::string>{"example.org"});
    CHECK(config.feeds[0].source == "sec-edgar");
    CHECK(config.user_agent_for(config.feeds[0]) == "Example Research filings@example.com");
    CHECK(config.feeds[1].source == "news");  // by host: a subdomain of example.org
    CHECK(config.feeds[1].health_alert_after == std::chrono::hours(3));
    CHECK(config.user_agent_for(config.feeds[1]) == "Example Research ops@example.com");
    CHECK(config.feeds[2].source == "news");  // as written
}

TEST_CASE("an EDGAR feed without a contact e-mail in the User-Agent is refused") {
    const std::string expected =
        "feeds.yaml:3:10: feed 'edgar' is governed by source 'sec-edgar', which requires a User-Agent with a contact "
        "e-mail, e.g. user_agent: \"Example Corp ops@example.com\"";
    CHECK(config_error(k_edgar_feed) == expected);
    const std::string one_line_down = "feeds.yaml:4" + expected.substr(std::string("feeds.yaml:3").size());
    CHECK(config_error(std::string("user_agent: \"signalmon (see example.com)\"\n") + k_edgar_feed) == one_line_down);
    CHECK(config_error(std::string("user_agent: \"signalmon @ home.lan\"\n") + k_edgar_feed) == one_line_down);
    CHECK(config_error(std::string("user_agent: \"Example Corp ops@example.com\"\n") + k_edgar_feed) == "no error");
    CHECK(config_error(std::string("user_agent: \"signalmon/0.1 (+mailto:ops@example.com)\"\n") + k_edgar_feed) ==
          "no error");
    // A feed pinned to the profile by name is held to the same rule, whatever its host.
    CHECK(config_error("feeds:\n  - id: mirror\n    url: http://127.0.0.1:8080/edgar.xml\n    source: sec-edgar\n") ==
          "feeds.yaml:3:10: feed 'mirror' is governed by source 'sec-edgar', which requires a User-Agent with a "
          "contact e-mail, e.g. user_agent: \"Example Corp ops@example.com\"");
}

TEST_CASE("article and document fetching keys") {
    TempDir dir;
    const auto config = load_config(dir.write("feeds.yaml", R"yaml(user_agent: "Example ops@example.com"
document_max_size: 512KiB
feeds:
  - id: edgar
    url: https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=320193&output=atom
    fetch_document: true
  - id: blog
    url: https://example.org/feed
    fetch_article: true
    allow_private: true
)yaml"));
    CHECK(config.document_max_size == 512u << 10);
    CHECK(config.feeds[0].fetch_document);
    CHECK_FALSE(config.feeds[0].fetch_article);
    CHECK_FALSE(config.feeds[0].allow_private);
    CHECK(config.feeds[1].fetch_article);
    CHECK(config.feeds[1].allow_private);
    CHECK(config_error("feeds:\n  - id: a\n    url: https://a.org/f\n    fetch_document: true\n") ==
          "feeds.yaml:4:21: 'fetch_document' is for SEC EDGAR feeds (source sec-edgar); use 'fetch_article' for web "
          "pages");
    CHECK(config_error("feeds:\n  - id: a\n    url: https://a.org/f\n    fetch_article: yes please\n") ==
          "feeds.yaml:4:20: 'fetch_article' must be true or false, got 'yes please'");
}

TEST_CASE("source and politeness errors") {
    CHECK(config_error("sources:\n  sec-edgar:\n    requests_per_second: 20\nfeeds: []\n") ==
          "feeds.yaml:3:26: SEC EDGAR allows at most 10 requests per second in total");
    CHECK(config_error("sources:\n  sec-edgar:\n    requires_contact_email: false\nfeeds: []\n") ==
          "feeds.yaml:3:29: SEC EDGAR requires a contact e-mail in the User-Agent");
    CHECK(config_error("sources:\n  news: {connections: 1}\nfeeds: []\n") ==
          "feeds.yaml:2:9: source 'news' needs 'hosts:', the host names it governs");
    CHECK(config_error("sources:\n  news: {hosts: [a.org], conections: 1}\nfeeds: []\n") ==
          "feeds.yaml:2:26: unknown key 'conections' in source (did you mean 'connections'?)");
    CHECK(config_error("feeds:\n  - id: a\n    url: https://a.org/f\n    source: sec-edgr\n") ==
          "feeds.yaml:4:13: unknown source 'sec-edgr' (did you mean 'sec-edgar'?)");
    CHECK(config_error("jitter: 2\nfeeds: []\n") ==
          "feeds.yaml:1:9: 'jitter' must be between 0 and 1 (a fraction of the interval)");
    CHECK(config_error("per_host_rate: fast\nfeeds: []\n") ==
          "feeds.yaml:1:16: 'per_host_rate' must be a number, got 'fast'");
    CHECK(config_error("per_host_connections: 0\nfeeds: []\n") ==
          "feeds.yaml:1:23: 'per_host_connections' must be between 1 and 64");
    CHECK(config_error("min_interval: 2h\nmax_interval: 1h\nfeeds: []\n") ==
          "feeds.yaml:2:15: 'max_interval' must not be shorter than 'min_interval'");
}
