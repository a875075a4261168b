// Ledger arithmetic: stories from hit rows (copies joined through alert clusters and canonical
// links), counts per period, the strongest stories and the verdict line.
#include "ledger/ledger.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "alert/cluster.hpp"
#include "score/evaluate.hpp"

namespace signalmon::ledger {
namespace {

constexpr UnixTime k_day = 86'400;

// Items of one brief joined into stories: two items are one story when they share an alert
// cluster (the store's record of wire copies) or a canonical link.
class StoryIndex {
public:
    explicit StoryIndex(std::span<const store::LedgerHit* const> rows) {
        std::map<std::string, std::size_t> first_with_key;
        for (const store::LedgerHit* row : rows) {
            const std::size_t item = item_slot(row->item_row);
            std::vector<std::string> keys;
            if (row->cluster) keys.push_back("cluster " + std::to_string(*row->cluster));
            if (std::string link = alert::canonical_link(row->link); !link.empty()) keys.push_back("link " + link);
            for (const std::string& key : keys) {
                const auto [found, inserted] = first_with_key.try_emplace(key, item);
                if (!inserted) join(found->second, item);
            }
        }
    }

    // The story of an item: the same number for every copy.
    std::size_t story_of(std::int64_t item_row) { return root(m_slots.at(item_row)); }

private:
    std::size_t item_slot(std::int64_t item_row) {
        const auto [found, inserted] = m_slots.try_emplace(item_row, m_parent.size());
        if (inserted) m_parent.push_back(m_parent.size());
        return found->second;
    }
    std::size_t root(std::size_t slot) {
        while (m_parent[slot] != slot) slot = m_parent[slot] = m_parent[m_parent[slot]];
        return slot;
    }
    void join(std::size_t a, std::size_t b) { m_parent[root(b)] = root(a); }

    std::map<std::int64_t, std::size_t> m_slots;  // item row → slot
    std::vector<std::size_t> m_parent;
};

std::vector<PeriodCounts> empty_periods(const Options& options) {
    std::vector<PeriodCounts> periods;
    for (UnixTime start = period_start(options.since, options.by); start <= options.now;) {
        using namespace std::chrono;
        const sys_days day{days{start / k_day}};
        sys_days next = day + days{1};
        if (options.by == Period::week) next = day + days{7};
        if (options.by == Period::month) next = sys_days{year_month_day{day} + months{1}};
        const UnixTime end = next.time_since_epoch().count() * k_day;
        periods.push_back({.start = start, .end = end, .stories = {}});
        start = end;
    }
    return periods;
}

BriefLedger brief_ledger(std::string brief, std::span<const store::LedgerHit* const> rows, const Options& options) {
    BriefLedger ledger{.brief = std::move(brief), .periods = empty_periods(options)};
    StoryIndex index(rows);
    // (kind, story) → the story's evidence of that kind; rows come oldest first.
    std::map<std::pair<std::size_t, std::size_t>, Story> stories;
    for (const store::LedgerHit* row : rows) {
        const auto kind = rules::kind_named(row->kind);
        if (!kind) continue;
        const auto [found, inserted] = stories.try_emplace({score::kind_index(*kind), index.story_of(row->item_row)},
                                                           Story{.feed = row->feed,
                                                                 .item_key = row->item_key,
                                                                 .title = row->title,
                                                                 .link = row->link,
                                                                 .evidence_at = row->evidence_at,
                                                                 .score = row->score,
                                                                 .copies = 0});
        Story& story = found->second;
        ++story.copies;
        story.evidence_at = std::min(story.evidence_at, row->evidence_at);
        story.score = std::max(story.score, row->score);
    }
    for (auto& [key, story] : stories) {
        const std::size_t kind = key.first;
        ++ledger.totals[kind];
        const auto period = std::ranges::find_if(
            ledger.periods, [&](const PeriodCounts& counts) { return story.evidence_at < counts.end; });
        if (period != ledger.periods.end()) ++period->stories[kind];
        ledger.last[kind] = std::max(ledger.last[kind].value_or(story.evidence_at), story.evidence_at);
        ledger.strongest[kind].push_back(std::move(story));
    }
    for (auto& strongest : ledger.strongest) {
        std::ranges::sort(strongest, [](const Story& a, const Story& b) {
            return a.score != b.score ? a.score > b.score : a.evidence_at > b.evidence_at;
        });
        if (strongest.size() > options.strongest) strongest.resize(options.strongest);
    }
    ledger.verdict = verdict(ledger, options);
    return ledger;
}

std::string days_ago(UnixTime then, UnixTime now) {
    const UnixTime days = std::max<UnixTime>(0, (now - then) / k_day);
    if (days == 0) return "today";
    return std::to_string(days) + (days == 1 ? " day ago" : " days ago");
}

}  // namespace

std::optional<Period> period_named(std::string_view name) {
    if (name == "day") return Period::day;
    if (name == "week") return Period::week;
    if (name == "month") return Period::month;
    return std::nullopt;
}

std::string_view period_name(Period period) {
    switch (period) {
        case Period::day: return "day";
        case Period::week: return "week";
        case Period::month: return "month";
    }
    return "week";
}

UnixTime period_start(UnixTime t, Period by) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_seconds{seconds{t}});
    sys_days start = day;
    if (by == Period::week) start = day - days{weekday{day}.iso_encoding() - 1};
    if (by == Period::month) {
        const year_month_day date{day};
        start = sys_days{date.year() / date.month() / 1};
    }
    return start.time_since_epoch().count() * k_day;
}

std::vector<BriefLedger> compute(std::span<const store::LedgerHit> rows, std::span<const std::string> briefs,
                                 const Options& options) {
    std::map<std::string, std::vector<const store::LedgerHit*>> by_brief;
    for (const store::LedgerHit& row : rows) by_brief[row.brief].push_back(&row);
    std::vector<BriefLedger> ledgers;
    for (const std::string& brief : briefs) {
        const auto found = by_brief.find(brief);
        ledgers.push_back(brief_ledger(
            brief, found == by_brief.end() ? std::span<const store::LedgerHit* const>{} : std::span(found->second),
            options));
    }
    for (const auto& [brief, brief_rows] : by_brief) {
        if (std::ranges::find(briefs, brief) == briefs.end())
            ledgers.push_back(brief_ledger(brief, brief_rows, options));
    }
    return ledgers;
}

std::string verdict(const BriefLedger& ledger, const Options& options) {
    const std::int64_t confirm = ledger.totals[score::kind_index(rules::Kind::confirm)];
    const std::int64_t kill = ledger.totals[score::kind_index(rules::Kind::kill)];
    const UnixTime window_days = std::max<UnixTime>(1, (options.now - options.since + k_day - 1) / k_day);
    const std::string over = " over " + std::to_string(window_days) + (window_days == 1 ? " day" : " days");
    if (confirm == 0 && kill == 0) return "no confirm or kill evidence" + over;
    std::string line;
    rules::Kind trailing = rules::Kind::kill;
    if (confirm > kill) {
        line = "confirm evidence leads " + std::to_string(confirm) + "–" + std::to_string(kill) + over;
    } else if (kill > confirm) {
        line = "kill evidence leads " + std::to_string(kill) + "–" + std::to_string(confirm) + over;
        trailing = rules::Kind::confirm;
    } else {
        line = "confirm and kill evidence are level at " + std::to_string(confirm) + "–" + std::to_string(kill) + over;
    }
    const auto& last = ledger.last[score::kind_index(trailing)];
    const std::string kind(rules::kind_name(trailing));
    line += last ? "; last " + kind + " evidence " + days_ago(*last, options.now) : "; no " + kind + " evidence";
    return line;
}

}  // namespace signalmon::ledger
