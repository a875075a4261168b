// The `web:` section of feeds.yaml: defaults, normalized paths, and FILE:LINE:COL errors.
#include <doctest/doctest.h>

#include "config_error.hpp"

using namespace signalmon;
using testing::config_error;
using testing::TempDir;

TEST_CASE("web: off without the section; listen, base path and public URL normalized") {
    TempDir dir;
    CHECK_FALSE(config::load_config(dir.write("feeds.yaml", "feeds: []\n")).web.enabled);
    const auto web = config::load_config(dir.write("feeds.yaml", "web: {}\nfeeds: []\n")).web;
    CHECK(web.enabled);
    CHECK(web.listen == "127.0.0.1:9465");
    CHECK(web.base_path.empty());
    const auto set = config::load_config(dir.write("feeds.yaml",
                                                   "web:\n  listen: '[::1]:8080'\n  base_path: /sm/\n"
                                                   "  public_url: https://example.org/sm/\nfeeds: []\n"))
                         .web;
    CHECK(set.listen == "[::1]:8080");
    CHECK(set.base_path == "/sm");
    CHECK(set.public_url == "https://example.org/sm");
    CHECK(config::load_config(dir.write("feeds.yaml", "web: {base_path: /}\nfeeds: []\n")).web.base_path.empty());
}

TEST_CASE("web: errors name the file, line and column") {
    CHECK(config_error("web:\n  listen: 8080\nfeeds: []\n") ==
          "feeds.yaml:2:11: 'listen' must be HOST:PORT, e.g. 127.0.0.1:9464");
    CHECK(config_error("web:\n  base_path: sm\nfeeds: []\n") ==
          "feeds.yaml:2:14: 'base_path' must be a URL path starting with '/', e.g. /signalmon");
    CHECK(config_error("web:\n  public_url: example.org\nfeeds: []\n") ==
          "feeds.yaml:2:15: 'public_url' must be an http:// or https:// URL, e.g. https://example.org/signalmon");
    CHECK(config_error("web:\n  lisen: 127.0.0.1:1\nfeeds: []\n").starts_with("feeds.yaml:2:3: unknown key 'lisen'"));
    CHECK(config_error("web: yes\nfeeds: []\n") == "feeds.yaml:1:6: web must be a mapping of key: value");
}
