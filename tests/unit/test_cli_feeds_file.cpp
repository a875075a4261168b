// Editing feeds.yaml as text (src/cli/feeds_file.cpp): comments, order and indentation survive.
#include <doctest/doctest.h>

#include <string>

#include "cli/feeds_file.hpp"

using signalmon::cli::add_feed_entries;

namespace {

constexpr std::string_view k_entry = "  - id: new\n    url: \"https://example.com/feed\"\n";

}  // namespace

TEST_CASE("entries go at the end of the feeds list; comments and what follows stay") {
    const std::string yaml =
        "# daemon settings\n"
        "interval: 15m\n"
        "feeds:\n"
        "  # news\n"
        "  - id: first\n"
        "    url: https://example.org/a   # the main one\n"
        "\n"
        "  - id: second\n"
        "    url: https://example.org/b\n"
        "\n"
        "# alerting\n"
        "user_agent: \"x\"\n";
    const auto edited = add_feed_entries(yaml, k_entry);
    REQUIRE(edited.has_value());
    CHECK(*edited ==
          "# daemon settings\n"
          "interval: 15m\n"
          "feeds:\n"
          "  # news\n"
          "  - id: first\n"
          "    url: https://example.org/a   # the main one\n"
          "\n"
          "  - id: second\n"
          "    url: https://example.org/b\n"
          "  - id: new\n"
          "    url: \"https://example.com/feed\"\n"
          "\n"
          "# alerting\n"
          "user_agent: \"x\"\n");
}

TEST_CASE("the list's own indentation is kept") {
    CHECK(add_feed_entries("feeds:\n- id: a\n  url: x\n", k_entry) ==
          "feeds:\n- id: a\n  url: x\n- id: new\n  url: \"https://example.com/feed\"\n");
    CHECK(add_feed_entries("feeds:\n    - id: a\n      url: x", k_entry) ==
          "feeds:\n    - id: a\n      url: x\n    - id: new\n      url: \"https://example.com/feed\"\n");
}

TEST_CASE("a file without feeds gets the key; a one-line list is refused") {
    CHECK(add_feed_entries("interval: 1h", k_entry) == "interval: 1h\nfeeds:\n" + std::string(k_entry));
    CHECK(add_feed_entries("feeds:\n", k_entry) == "feeds:\n" + std::string(k_entry));
    CHECK(add_feed_entries("feeds: []\n", k_entry).error() ==
          "'feeds:' is written on one line; add the entries by hand");
}
