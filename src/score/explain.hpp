// Why an item scored what it did for each brief: matched signals with the patterns and fields that
// fired, and the near misses (a missing group, a `near` too far, a veto, a daily cap) with reasons.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "feed/item.hpp"
#include "match/matcher.hpp"
#include "rules/compile.hpp"
#include "score/evaluate.hpp"

namespace signalmon::score {

// One occurrence of one pattern as an explanation shows it.
struct PatternMatch {
    std::string pattern;  // as written in the rule file
    rules::Field field = rules::Field::title;
    std::string text;  // the matched text as it is in the item
};

enum class ExplainedStatus { matched, missing_group, too_far, vetoed, capped, brief_vetoed };
std::string_view status_name(ExplainedStatus status);  // "matched", "missing_group", ...

struct SignalExplanation {
    const rules::Signal* signal = nullptr;
    ExplainedStatus status = ExplainedStatus::matched;
    int weight = 0;  // what it adds (or would add) to the score, title_bonus included
    bool title_bonus = false;
    std::vector<PatternMatch> matches;  // the groups' occurrences, text order
    std::string snippet;                // around the first match, every match in view marked «…»
    std::string reason;                 // for near misses: why it did not count
};

struct BriefExplanation {
    const rules::Brief* brief = nullptr;
    KindScores scores{};    // per kind, of the signals that count
    bool alerting = false;  // some kind reached its threshold
    std::vector<rules::Kind> alerting_kinds;
    std::optional<std::string> skipped;     // the brief's feeds:/tags: filter excluded the item
    std::optional<PatternMatch> vetoed_by;  // the brief-level `unless` that fired
    std::vector<SignalExplanation> matched;
    std::vector<SignalExplanation> near_misses;
};

// Explanations for the briefs with something to say about the item (a matched signal or a near
// miss), in rule-file order; with only_brief, that brief alone, always.
std::vector<BriefExplanation> explain(const rules::CompiledRules& compiled, const feed::Item& item,
                                      const match::MatchSet& matches, const ItemContext& context,
                                      std::string_view only_brief = {});

// Text around [begin, end) of one field (as snippet()) with each given occurrence in view marked «…».
std::string marked_snippet(std::string_view text, std::span<const match::Occurrence> occurrences,
                           std::size_t width = 200);

// The human-readable report for one item; the exact layout is documented in the README.
std::string format_explanation(const feed::Item& item, std::span<const BriefExplanation> briefs);
nlohmann::ordered_json explanation_json(const feed::Item& item, std::span<const BriefExplanation> briefs);

}  // namespace signalmon::score
