// The thesis ledger: per brief and period, how many distinct stories brought confirm, kill and
// watch evidence, the strongest of them, and the balance in one line. Computed from stored hits
// only, so a replay after a rule change is reflected at once.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "feed/item.hpp"
#include "rules/rule_set.hpp"
#include "store/store.hpp"

namespace signalmon::ledger {

using feed::UnixTime;

enum class Period { day, week, month };  // UTC days; weeks start on Monday (ISO 8601)

std::optional<Period> period_named(std::string_view name);
std::string_view period_name(Period period);

// Kinds in the ledger's order: the two that weigh a thesis, then watch.
inline constexpr std::array<rules::Kind, 3> k_ledger_kinds{rules::Kind::confirm, rules::Kind::kill, rules::Kind::watch};

// One story's evidence of one kind: its copies (items of one alert cluster or one canonical link)
// counted once; the strongest copy's score; the first copy's time, title and link.
struct Story {
    std::string feed;
    std::string item_key;
    std::string title;
    std::string link;
    UnixTime evidence_at = 0;
    std::int64_t score = 0;
    std::int64_t copies = 1;
};

struct PeriodCounts {
    UnixTime start = 0;                     // first second of the period
    UnixTime end = 0;                       // first second of the next one
    std::array<std::int64_t, 3> stories{};  // by score::kind_index
};

struct BriefLedger {
    std::string brief;
    std::vector<PeriodCounts> periods;            // every period from since to now, oldest first
    std::array<std::int64_t, 3> totals{};         // distinct stories by score::kind_index
    std::array<std::vector<Story>, 3> strongest;  // by score::kind_index, strongest first
    std::array<std::optional<UnixTime>, 3> last;  // newest evidence by score::kind_index
    std::string verdict;
};

struct Options {
    UnixTime since = 0;
    UnixTime now = 0;
    Period by = Period::week;
    std::size_t strongest = 3;
};

// The start of the period holding t.
UnixTime period_start(UnixTime t, Period by);

// Rows as Store::ledger_hits returns them; a ledger for each brief in `briefs` (in that order, even
// without evidence) followed by any other brief that has rows, in name order.
std::vector<BriefLedger> compute(std::span<const store::LedgerHit> rows, std::span<const std::string> briefs,
                                 const Options& options);

// "confirm evidence leads 7–2 over 90 days; last kill evidence 12 days ago".
std::string verdict(const BriefLedger& ledger, const Options& options);

}  // namespace signalmon::ledger
