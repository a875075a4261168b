// Tests for brief/daily_brief: reading the sample brief and a second one of the same format, and
// non-brief errors (drafting is brief/compiler: test_brief_compiler.cpp).
#include <doctest/doctest.h>
#include <algorithm>

#include <string>

#include "brief/daily_brief.hpp"
#include "test_feed_fixture.hpp"

using namespace signalmon;

namespace {

std::string read_brief(const std::string& name) { return feed::test::read_fixture("../brief/" + name); }

constexpr const char* k_sample = "rosa-del-mar-2026-03-06-issue-65.txt";
constexpr const char* k_second = "kestrel-point-2026-04-14-issue-12.txt";

}  // namespace

TEST_CASE("the sample brief's header, watchlist, confirm and kill lines are read") {
    const auto parsed = brief::parse_daily_brief(read_brief(k_sample));
    REQUIRE(parsed);
    CHECK(parsed->publication == "Rosa Del Mar");
    CHECK(parsed->issue == 65);
    CHECK(parsed->date == "2026-03-06");
    CHECK(parsed->title == "Open-Weights-As-Governance-And-Access-Hedge");
    CHECK(parsed->watchlist.size() == 2);
    CHECK(parsed->confirm.size() == 3);
    CHECK(parsed->kill.size() == 3);
    CHECK(parsed->kill[2] ==
          "Compute market attempts fail to standardize contracts or guarantee performance for training "
          "and inference, leaving access constrained and preventing meaningful financialization.");
    CHECK(parsed->notes.empty());
    CHECK(brief::brief_id(*parsed) == "rdm-065-open-weights-as-governance");
    // Key takeaways, Sections, Unknowns and Read-throughs are the brief's context, not its lines.
    REQUIRE(!parsed->context.empty());
    CHECK(parsed->context.front().starts_with("Rash government reactions to AI"));
    CHECK(std::ranges::none_of(parsed->context, [&](const std::string& line) { return line == parsed->kill[2]; }));
}

TEST_CASE("a second brief of the format is read, its unknown section noted and skipped") {
    const auto parsed = brief::parse_daily_brief(read_brief(k_second));
    REQUIRE(parsed);
    CHECK(parsed->publication == "Kestrel Point");
    CHECK(parsed->issue == 12);
    CHECK(brief::brief_id(*parsed) == "kp-012-subsea-cable-repair-capacity");
    CHECK(parsed->watchlist.size() == 2);
    CHECK(parsed->confirm.size() == 2);
    CHECK(parsed->kill.size() == 2);
    CHECK(parsed->notes == std::vector<std::string>{"line 34: unknown section 'Analyst notes' ignored"});
}

TEST_CASE("text that is not a Daily Brief is a clear error") {
    CHECK(brief::parse_daily_brief(read_brief("not_a_brief.txt")).error() ==
          "not a Daily Brief: no 'Daily Brief' line near the top");
    CHECK(brief::parse_daily_brief("X\n\nDaily Brief\n\nIssue twelve\n").error() ==
          "not a Daily Brief: no 'Issue N YYYY-MM-DD' line after 'Daily Brief'");
    CHECK(brief::parse_daily_brief("X\nDaily Brief\nIssue 3 2026-01-02\nTitle\n\nKey takeaways\n  • only this\n")
              .error() == "the brief has no Watchlist, What would confirm or What would kill lines to import");
}
