// Replays every saved fuzz input (tests/data/regressions/TARGET/*) through its target's properties.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../../fuzz/properties.hpp"

namespace signalmon::fuzz {
namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

// Runs check on every file under regressions/target; returns how many there were.
int replay(std::string_view target, Violation (*check)(std::string_view)) {
    const std::filesystem::path folder = std::filesystem::path(SIGNALMON_TEST_DATA) / "regressions" / target;
    int count = 0;
    if (!std::filesystem::exists(folder)) return count;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        const Violation violation = check(read_file(entry.path()));
        INFO(entry.path().string());
        CHECK_MESSAGE(!violation, violation.value_or(""));
        ++count;
    }
    return count;
}

TEST_CASE("saved fuzz inputs keep every property") {
    CHECK(replay("feed_parse", check_feed) >= 2);
    CHECK(replay("html_text", check_html_text) >= 1);
    replay("json_feed", check_json_feed);
    CHECK(replay("date", check_date) >= 1);
    replay("url", check_url);
    replay("rules", check_rules);
    CHECK(replay("brief", check_brief) >= 1);
}

TEST_CASE("an inherited feed author and a long xml:base are capped in every item") {
    const std::string atom = read_file(std::filesystem::path(SIGNALMON_TEST_DATA) /
                                       "regressions/feed_parse/inherited_author_amplification.xml");
    const auto parsed = feed::parse(atom, {});
    REQUIRE(parsed);
    REQUIRE(parsed->items.size() == 2000);
    CHECK(parsed->items.front().author.size() == feed::k_max_author_bytes);
    const std::string rss =
        read_file(std::filesystem::path(SIGNALMON_TEST_DATA) / "regressions/feed_parse/xml_base_amplification.xml");
    const auto linked = feed::parse(rss, {});
    REQUIRE(linked);
    CHECK(linked->items.back().link.size() <= feed::k_max_link_bytes);
    CHECK(linked->items.back().link.starts_with("http://example.org/bbb"));
}

TEST_CASE("plain_text and html_to_text never end in a cut character at exactly the cap") {
    // "é" is two bytes; a cap of 3 bytes after "ab" falls inside it.
    CHECK(feed::plain_text("ab\xC3\xA9", 3) == "ab");
    CHECK(feed::html_to_text("<p>ab\xC3\xA9</p>", 3) == "ab");
    CHECK(feed::plain_text("ab\xFF", 4) == "ab");  // U+FFFD (3 bytes) does not fit after "ab"
}

}  // namespace
}  // namespace signalmon::fuzz
