// Tests for src/config/config.cpp: defaults, path resolution, and every startup error's exact text.
#include <doctest/doctest.h>

#include "config/config.hpp"
#include "config_error.hpp"
#include "temp_dir.hpp"

using signalmon::config::ConfigError;
using signalmon::config::load_config;
using signalmon::testing::config_error;
using signalmon::testing::TempDir;

TEST_CASE("a full feeds.yaml resolves paths against its folder and fills defaults") {
    TempDir dir;
    const auto path = dir.write("conf/feeds.yaml", R"yaml(state_dir: state
rules_dir: /etc/signalmon/rules
user_agent: "signalmon/0.1 (ops@example.org)"
interval: 15m
max_body_size: 2MiB
feeds:
  - id: sec-8k
    url: https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom
    interval: 10m
    tags: [filings]
  - id: demo-news
    url: demo/feeds/news.xml
  - id: abs
    url: file:///srv/feed.xml
)yaml");
    const auto config = load_config(path);
    CHECK(config.state_dir == dir.path() / "conf/state");
    CHECK(config.rules_dir == "/etc/signalmon/rules");
    CHECK(config.database_path() == dir.path() / "conf/state/signalmon.db");
    CHECK(config.user_agent == "signalmon/0.1 (ops@example.org)");
    CHECK(config.max_body_size == 2u << 20);
    REQUIRE(config.feeds.size() == 3);
    CHECK(config.feeds[0].interval == std::chrono::minutes(10));
    CHECK(config.feeds[0].tags == std::vector<std::string>{"filings"});
    CHECK(config.feeds[1].url == "file://" + (dir.path() / "conf/demo/feeds/news.xml").string());
    CHECK(config.feeds[1].interval == std::chrono::minutes(15));
    CHECK(config.feeds[2].url == "file:///srv/feed.xml");
}

TEST_CASE("a feed's headers are sent with every poll, in file order, one line each") {
    TempDir dir;
    const auto path = dir.write("feeds.yaml", R"yaml(feeds:
  - id: fr-api
    url: https://www.federalregister.gov/api/v1/documents.json?conditions[term]=ai
    headers:
      Accept: application/json
      X-Api-Key: "k3y"
  - id: plain
    url: https://example.org/feed
)yaml");
    const auto config = load_config(path);
    REQUIRE(config.feeds.size() == 2);
    CHECK(config.feeds[0].headers ==
          std::vector<std::pair<std::string, std::string>>{{"Accept", "application/json"}, {"X-Api-Key", "k3y"}});
    CHECK(config.feeds[1].headers.empty());
    CHECK(config_error("feeds:\n  - id: a\n    url: a.xml\n    headers: [Accept]\n") ==
          "feeds.yaml:4:14: headers must be a mapping of key: value");
    CHECK(config_error("feeds:\n  - id: a\n    url: a.xml\n    headers:\n      \"Bad Name\": x\n") ==
          "feeds.yaml:5:7: header name 'Bad Name' is not an HTTP field name");
    CHECK(config_error("feeds:\n  - id: a\n    url: a.xml\n    headers:\n      X-Key: \"a\\nb\"\n") ==
          "feeds.yaml:5:14: header 'X-Key' must be a one-line string");
}

TEST_CASE("defaults: state and rules next to the config, 15 minute interval") {
    TempDir dir;
    const auto config = load_config(dir.write("feeds.yaml", "feeds: []\n"));
    CHECK(config.state_dir == dir.path() / "state");
    CHECK(config.rules_dir == dir.path() / "rules");
    CHECK(config.interval == std::chrono::minutes(15));
    CHECK(config.max_body_size == 16u << 20);
}

TEST_CASE("config errors name file:line:col and what to do") {
    CHECK(config_error("feeds:\n  - id: a\n    url: x.xml\n    intervall: 5m\n") ==
          "feeds.yaml:4:5: unknown key 'intervall' in feed (did you mean 'interval'?)");
    CHECK(config_error("user_agnet: x\nfeeds: []\n") ==
          "feeds.yaml:1:1: unknown key 'user_agnet' in feeds.yaml (did you mean 'user_agent'?)");
    CHECK(config_error("feeds:\n  - id: a\n    url: a.xml\n  - id: a\n    url: b.xml\n") ==
          "feeds.yaml:4:9: duplicate feed id 'a'");
    CHECK(config_error("feeds:\n  - id: a\n    url: ftp://example.org/feed\n") ==
          "feeds.yaml:3:10: bad URL 'ftp://example.org/feed': unsupported scheme 'ftp' (use http, https or file)");
    CHECK(config_error("feeds:\n  - id: a\n    url: https:///feed\n") ==
          "feeds.yaml:3:10: bad URL 'https:///feed': no host name");
    CHECK(config_error("feeds:\n  - id: a\n    url: file://relative.xml\n") ==
          "feeds.yaml:3:10: bad URL 'file://relative.xml': file URLs need an absolute path, file:///path");
    CHECK(config_error("interval: soon\nfeeds: []\n") ==
          "feeds.yaml:1:11: 'interval': expected a duration such as 90s, 15m, 1h30m or 7d, got 'soon'");
    CHECK(config_error("feeds:\n  - url: a.xml\n") == "feeds.yaml:2:5: feed is missing required key 'id'");
    CHECK(config_error("feeds: {a: 1}\n") ==
          "feeds.yaml:1:8: 'feeds' must be a list of feeds, each starting with '- id:'");
    CHECK(config_error("max_parallel: many\nfeeds: []\n") ==
          "feeds.yaml:1:15: 'max_parallel' must be a whole number, got 'many'");
    CHECK(config_error("feeds:\n  - id: a\n    url: [x\n").starts_with("feeds.yaml:4:1: YAML syntax error: "));
    CHECK(config_error("state_dir: x\n") == "feeds.yaml:1:1: missing required key 'feeds' (a list of feeds to poll)");
    CHECK(config_error("interval: 18446744073709551615s\nfeeds: []\n") ==
          "feeds.yaml:1:11: 'interval': duration '18446744073709551615s' is out of range (at most 3650d)");
    CHECK(config_error("max_body_size: 99999999999GiB\nfeeds: []\n") ==
          "feeds.yaml:1:16: 'max_body_size': size '99999999999GiB' is out of range (at most 1024GiB)");
    CHECK(config_error("interval: 5m\nfeeds: []\ninterval: 1s\n") ==
          "feeds.yaml:3:1: duplicate key 'interval' (first at line 1)");
    CHECK(config_error("feeds:\n  - id: a\n    url: a.xml\n    url: b.xml\n") ==
          "feeds.yaml:4:5: duplicate key 'url' (first at line 3)");
    CHECK(config_error("metrics_listen: 127.0.0.1:99999999999999999999\nfeeds: []\n") ==
          "feeds.yaml:1:17: 'metrics_listen': port '99999999999999999999' must be a number from 1 to 65535, e.g. "
          "127.0.0.1:9464");
    CHECK(config_error("metrics_listen: 127.0.0.1:0\nfeeds: []\n") ==
          "feeds.yaml:1:17: 'metrics_listen': port '0' must be a number from 1 to 65535, e.g. 127.0.0.1:9464");
    CHECK(config_error("metrics_listen: 9464\nfeeds: []\n") ==
          "feeds.yaml:1:17: 'metrics_listen' must be HOST:PORT, e.g. 127.0.0.1:9464");
    CHECK(config_error("feeds:\n  - id: a b\n    url: a.xml\n") ==
          "feeds.yaml:2:9: feed id 'a b' may only hold letters, digits, '-', '_' and '.'");
}

TEST_CASE("store names a PostgreSQL database; its password comes from a variable or a file, never the URL") {
    TempDir dir;
    const auto config = load_config(dir.write("feeds.yaml", R"yaml(store: postgresql:///signalmon?host=/run/postgresql
store_password_file: secrets/pg
feeds: []
)yaml"));
    CHECK(config.store_url == "postgresql:///signalmon?host=/run/postgresql");
    CHECK(config.store_location() == config.store_url);
    REQUIRE(config.store_password.has_value());
    CHECK(config.store_password->source == signalmon::config::SecretRef::Source::file);
    CHECK(config.store_password->name == (dir.path() / "secrets/pg").string());
    CHECK(load_config(dir.write("plain.yaml", "feeds: []\n")).store_location() ==
          (dir.path() / "state" / "signalmon.db").string());

    CHECK(config_error("store: postgresql://app:hunter2@db/signalmon\nfeeds: []\n")
              .starts_with("feeds.yaml:1:8: 'store' may not carry a password"));
    CHECK(config_error("store_url: postgresql://db/s?password=x\nfeeds: []\n")
              .starts_with("feeds.yaml:1:12: 'store_url' may not carry a password"));
    CHECK(config_error("store: /var/lib/signalmon/x.db\nfeeds: []\n")
              .starts_with("feeds.yaml:1:8: 'store' must be a PostgreSQL URL"));
    CHECK(config_error("store_password_env: PG\nfeeds: []\n")
              .starts_with("feeds.yaml:1:21: a store password needs 'store: postgresql://...'"));
}

TEST_CASE("instance_id and lease: who a daemon is on a shared store, and how long its work outlives it") {
    TempDir dir;
    const auto defaults = load_config(dir.write("feeds.yaml", "feeds: []\n"));
    CHECK(defaults.instance_id.empty());  // the daemon names itself HOST:PID
    CHECK(defaults.lease == std::chrono::minutes(2));
    const auto set = load_config(dir.write("set.yaml", "instance_id: poller-b\nlease: 30s\nfeeds: []\n"));
    CHECK(set.instance_id == "poller-b");
    CHECK(set.lease == std::chrono::seconds(30));
    CHECK(config_error("lease: 1s\nfeeds: []\n") == "feeds.yaml:1:8: 'lease' must be at least 2s");
}

TEST_CASE("timezone: an IANA name for display and quiet hours, copied into the alerts section") {
    TempDir dir;
    const auto berlin = load_config(dir.write("feeds.yaml", "timezone: Europe/Berlin\nfeeds: []\n"));
    CHECK(berlin.time_zone.name() == "Europe/Berlin");
    CHECK(berlin.alerts.time_zone.name() == "Europe/Berlin");
    CHECK(load_config(dir.write("utc.yaml", "feeds: []\n")).time_zone.is_utc());
    CHECK(config_error("timezone: Mars/Olympus_Mons\nfeeds: []\n") ==
          "feeds.yaml:1:11: 'timezone': unknown time zone 'Mars/Olympus_Mons' (no "
          "/usr/share/zoneinfo/Mars/Olympus_Mons; is the tzdata package installed?)");
    CHECK(config_error("timezone: ../../etc/passwd\nfeeds: []\n") ==
          "feeds.yaml:1:11: 'timezone': '../../etc/passwd' is not an IANA time zone name such as Europe/Berlin");
}

TEST_CASE("alerts public_url: an http(s) address, trailing slashes dropped") {
    const std::string alerts =
        "  channels: [{id: m, type: email, url: 'smtp://127.0.0.1', from: a@b.c, to: [d@e.f]}]\n"
        "  routes: [{channels: [m]}]\n";
    TempDir dir;
    const auto config = load_config(
        dir.write("feeds.yaml", "feeds: []\nalerts:\n  public_url: https://s.example.org/desk/\n" + alerts));
    CHECK(config.alerts.public_url == "https://s.example.org/desk");
    CHECK(config_error("feeds: []\nalerts:\n  public_url: signalmon.example.org\n" + alerts) ==
          "feeds.yaml:3:15: 'public_url' must start with https:// or http://");
}
