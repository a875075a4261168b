// The ledger: copies joined into one story (by alert cluster or canonical link), counts per
// period, the strongest stories, the verdict line, and period boundaries.
#include <doctest/doctest.h>

#include "ledger/ledger.hpp"
#include "score/evaluate.hpp"

using namespace signalmon;

namespace {

constexpr feed::UnixTime k_ledger_day = 86'400;
// 2026-11-30 12:00 UTC, a Monday.
constexpr feed::UnixTime k_ledger_now = 1'796'040'000;

store::LedgerHit ledger_row(std::int64_t item, std::string kind, std::int64_t score, feed::UnixTime at,
                            std::string link, std::optional<std::int64_t> cluster = std::nullopt) {
    return {.item_row = item,
            .brief = "thesis",
            .kind = std::move(kind),
            .score = score,
            .evidence_at = at,
            .feed = "f",
            .item_key = "k" + std::to_string(item),
            .title = "Story " + std::to_string(item),
            .link = std::move(link),
            .cluster = cluster};
}

std::int64_t ledger_total(const ledger::BriefLedger& ledger, rules::Kind kind) {
    return ledger.totals[score::kind_index(kind)];
}

}  // namespace

TEST_CASE("period starts: UTC day, ISO week from Monday, calendar month") {
    // 2026-11-26 is a Thursday.
    const feed::UnixTime thursday_noon = k_ledger_now - 4 * k_ledger_day;
    CHECK(ledger::period_start(thursday_noon, ledger::Period::day) == thursday_noon - 12 * 3600);
    CHECK(ledger::period_start(thursday_noon, ledger::Period::week) == thursday_noon - 12 * 3600 - 3 * k_ledger_day);
    CHECK(ledger::period_start(thursday_noon, ledger::Period::month) == thursday_noon - 12 * 3600 - 25 * k_ledger_day);
}

TEST_CASE("wire copies count once: joined by their alert cluster or by their canonical link") {
    const std::vector<store::LedgerHit> rows{
        ledger_row(1, "confirm", 4, k_ledger_now - 10 * k_ledger_day, "https://wire.example/a?utm_source=x", 7),
        ledger_row(2, "confirm", 6, k_ledger_now - 9 * k_ledger_day, "https://paper.example/copy-of-a",
                   7),  // same cluster
        ledger_row(3, "confirm", 3, k_ledger_now - 9 * k_ledger_day,
                   "https://www.wire.example/a/"),  // same canonical link
        ledger_row(4, "confirm", 2, k_ledger_now - 3 * k_ledger_day, "https://other.example/b"),
        ledger_row(5, "kill", 5, k_ledger_now - 12 * k_ledger_day, "https://other.example/c"),
        ledger_row(4, "watch", 1, k_ledger_now - 3 * k_ledger_day, "https://other.example/b"),
    };
    const ledger::Options options{
        .since = k_ledger_now - 90 * k_ledger_day, .now = k_ledger_now, .by = ledger::Period::week};
    const auto ledgers = ledger::compute(rows, {}, options);
    REQUIRE(ledgers.size() == 1);
    const ledger::BriefLedger& thesis = ledgers[0];
    CHECK(ledger_total(thesis, rules::Kind::confirm) == 2);
    CHECK(ledger_total(thesis, rules::Kind::kill) == 1);
    CHECK(ledger_total(thesis, rules::Kind::watch) == 1);
    const auto& strongest = thesis.strongest[score::kind_index(rules::Kind::confirm)];
    REQUIRE(strongest.size() == 2);
    CHECK(strongest[0].score == 6);  // the story's best copy
    CHECK(strongest[0].copies == 3);
    CHECK(strongest[0].title == "Story 1");  // named by its first copy
    CHECK(strongest[0].evidence_at == k_ledger_now - 10 * k_ledger_day);
    CHECK(thesis.verdict == "confirm evidence leads 2–1 over 90 days; last kill evidence 12 days ago");

    // 13 full weeks and the current one; each story lands in the week of its first copy.
    CHECK(thesis.periods.size() == 14);
    std::int64_t counted = 0;
    for (const auto& period : thesis.periods) {
        counted += period.stories[score::kind_index(rules::Kind::confirm)];
        CHECK(period.end - period.start == 7 * k_ledger_day);
    }
    CHECK(counted == 2);
    // Friday 2026-11-27 is in the week of Monday 2026-11-23, the one before the current week.
    CHECK(thesis.periods[thesis.periods.size() - 2].stories[score::kind_index(rules::Kind::watch)] == 1);
}

TEST_CASE("verdict lines for kill leading, a tie, and no evidence; named briefs are listed even without rows") {
    const ledger::Options options{
        .since = k_ledger_now - 30 * k_ledger_day, .now = k_ledger_now, .by = ledger::Period::month};
    const std::vector<store::LedgerHit> kill_leads{
        ledger_row(1, "kill", 3, k_ledger_now - 2 * k_ledger_day, "https://a.example/1"),
        ledger_row(2, "kill", 3, k_ledger_now - 1 * k_ledger_day, "https://a.example/2")};
    CHECK(ledger::compute(kill_leads, {}, options)[0].verdict ==
          "kill evidence leads 2–0 over 30 days; no confirm evidence");
    const std::vector<store::LedgerHit> level{
        ledger_row(1, "kill", 3, k_ledger_now - 2 * k_ledger_day, "https://a.example/1"),
        ledger_row(2, "confirm", 3, k_ledger_now, "https://a.example/2")};
    CHECK(ledger::compute(level, {}, options)[0].verdict ==
          "confirm and kill evidence are level at 1–1 over 30 days; last kill evidence 2 days ago");
    const std::vector<std::string> named{"quiet"};
    const auto ledgers = ledger::compute(kill_leads, named, options);
    REQUIRE(ledgers.size() == 2);
    CHECK(ledgers[0].brief == "quiet");
    CHECK(ledgers[0].verdict == "no confirm or kill evidence over 30 days");
    CHECK(ledgers[1].brief == "thesis");
}
