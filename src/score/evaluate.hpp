// Turns the patterns an item matched into one Verdict per brief. CONTRACT (app-facing, keep):
// SignalHit, Verdict and evaluate() as declared here; more members may be added.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "feed/item.hpp"
#include "match/matcher.hpp"
#include "rules/compile.hpp"

namespace signalmon::score {

struct SignalHit {
    std::string signal_id;
    rules::Kind kind = rules::Kind::watch;
    int weight = 0;
    std::vector<std::string> terms;  // the matched text of each pattern that fired, as in the item
    std::string snippet;             // ~200 bytes of original text around the first match
    // The occurrences terms and snippet are read from, text order (describe()).
    std::vector<match::Occurrence> evidence;
};

// Per kind, indexed by rules::Kind: confirm and kill evidence are weighed apart, never summed.
using KindScores = std::array<int, 3>;
constexpr std::size_t kind_index(rules::Kind kind) { return static_cast<std::size_t>(kind); }

struct Verdict {
    std::string brief_id;
    KindScores scores{};  // per kind, the sum of the weights of its matched signals
    int threshold = 0;    // confirm and kill each alert at this score
    int watch_threshold = 0;
    bool alerting = false;  // some kind reached its threshold
    std::vector<SignalHit> hits;

    int score(rules::Kind kind) const { return scores[kind_index(kind)]; }
    int threshold_for(rules::Kind kind) const { return kind == rules::Kind::watch ? watch_threshold : threshold; }
    bool alerting_for(rules::Kind kind) const { return score(kind) >= threshold_for(kind) && score(kind) > 0; }
    // The highest score of an alerting kind (else of any kind): the one figure a subject line shows.
    int top_score() const;
};

// Where an item came from and what was found already today, for the rules that depend on it.
struct ItemContext {
    std::optional<std::string_view> feed_id;  // absent: briefs' feeds:/tags: filters are not applied
    std::span<const std::string> feed_tags;
    // Hits the (brief, signal) already has in the current UTC day; empty: max_per_day not applied.
    std::function<std::int64_t(std::string_view brief, std::string_view signal)> hits_today;
};

// What evaluate() gives each hit besides its score: `text` fills terms and snippet; `evidence` leaves
// them empty for describe() to fill on the hits that are stored or shown (a replay re-scores items
// whose hits the store mostly has already).
enum class HitDetail { text, evidence };

// One Verdict per brief that has at least one matched signal, in rule-file order. Without a
// context no feed filter or daily cap applies.
std::vector<Verdict> evaluate(const rules::CompiledRules& compiled, const feed::Item& item,
                              const match::MatchSet& matches);
std::vector<Verdict> evaluate(const rules::CompiledRules& compiled, const feed::Item& item,
                              const match::MatchSet& matches, const ItemContext& context,
                              HitDetail detail = HitDetail::text);

// Fills hit.terms and hit.snippet from hit.evidence, as evaluate(…, HitDetail::text) does.
void describe(const rules::CompiledRules& compiled, const feed::Item& item, SignalHit& hit);

// Why the brief ignores items of this feed ("feed x is not in feeds: [a, b]"), if it does.
std::optional<std::string> filtered_out(const rules::Brief& brief, const ItemContext& context);
// The first occurrence of one of the brief's `unless` patterns, which vetoes the whole brief.
std::optional<match::Occurrence> brief_veto(const rules::Brief& brief, const match::MatchSet& matches);
// The first of a brief's or signal's `where:` filters the item does not pass; nullptr when it passes all.
const rules::FieldFilter* failed_filter(const std::vector<rules::FieldFilter>& filters, const feed::Item& item);
// True when the signal already has max_per_day hits today.
bool capped(const rules::Brief& brief, const rules::Signal& signal, const ItemContext& context);

// Why a signal did or did not match: the structured answer `evaluate` is built on, kept whole so
// "almost matched" explanations (a missing group, a `near` too far, a veto) can be shown.
enum class SignalStatus { matched, no_match, missing_group, too_far, vetoed };

struct SignalOutcome {
    SignalStatus status = SignalStatus::no_match;
    std::vector<bool> groups_matched;           // per group, in any of the signal's fields
    std::optional<std::uint32_t> closest_span;  // `near`: smallest word span with every group in one field
    std::vector<match::Occurrence> evidence;    // the groups' occurrences in the signal's fields, text order
    std::optional<match::Occurrence> veto;      // the `unless` occurrence that cancelled the signal
    bool in_title = false;                      // a group pattern matched in the title (title_bonus)

    // The signal's weight plus its title_bonus when it applies.
    int weight(const rules::Signal& signal) const { return signal.weight + (in_title ? signal.title_bonus : 0); }
};

SignalOutcome evaluate_signal(const rules::Signal& signal, const match::MatchSet& matches);

// The whole evaluation of one item for one brief, signal by signal: scoring (evaluate) and
// explanations (explain) are both read off it, so they cannot disagree.
struct SignalTrace {
    const rules::Signal* signal = nullptr;
    SignalOutcome outcome;
    bool capped = false;  // matched, but max_per_day was reached today

    bool counts(bool brief_vetoed) const { return outcome.status == SignalStatus::matched && !capped && !brief_vetoed; }
};

struct BriefTrace {
    const rules::Brief* brief = nullptr;
    std::optional<std::string> skipped;     // the feed filter or the brief's `where:` exclude the item
    std::optional<match::Occurrence> veto;  // the brief-level `unless` occurrence
    std::vector<SignalTrace> signals;       // every signal with a group matched, rule-file order
    KindScores scores{};                    // of the signals that count

    bool alerting_for(rules::Kind kind) const;
    bool alerting() const;
};

// Traces for the briefs with at least one matched pattern (all of them, or only_brief alone and
// always, when it is given), in rule-file order.
std::vector<BriefTrace> trace(const rules::CompiledRules& compiled, const feed::Item& item,
                              const match::MatchSet& matches, const ItemContext& context,
                              std::string_view only_brief = {});

// The occurrence with a phrase's trailing `*` widened to the end of the word it matched ("open
// weight*" → "open weights"); other occurrences unchanged.
match::Occurrence whole_word(const rules::CompiledRules& compiled, const feed::Item& item,
                             match::Occurrence occurrence);

// About `width` bytes of text around [begin, end), cut on UTF-8 boundaries, "…" at each cut end.
std::string snippet(std::string_view text, std::uint32_t begin, std::uint32_t end, std::size_t width = 200);

// The byte range of text that snippet() quotes.
struct SnippetWindow {
    std::size_t from = 0;
    std::size_t to = 0;
};
SnippetWindow snippet_window(std::string_view text, std::uint32_t begin, std::uint32_t end, std::size_t width = 200);

}  // namespace signalmon::score
