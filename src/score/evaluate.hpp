// Turns the patterns an item matched into one Verdict per brief. CONTRACT (app-facing, keep):
// SignalHit, Verdict and evaluate() as declared here; more members may be added.
#pragma once

#include <cstdint>
#include <optional>
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
};

struct Verdict {
    std::string brief_id;
    int score = 0;  // sum of the weights of the matched signals
    int threshold = 0;
    bool alerting = false;  // score >= threshold
    std::vector<SignalHit> hits;
};

// One Verdict per brief that has at least one matched signal, in rule-file order.
std::vector<Verdict> evaluate(const rules::CompiledRules& compiled, const feed::Item& item,
                              const match::MatchSet& matches);

// Why a signal did or did not match: the structured answer `evaluate` is built on, kept whole so
// "almost matched" explanations (a missing group, a `near` too far, a veto) can be shown.
enum class SignalStatus { matched, no_match, missing_group, too_far, vetoed };

struct SignalOutcome {
    SignalStatus status = SignalStatus::no_match;
    std::vector<bool> groups_matched;           // per group, in any of the signal's fields
    std::optional<std::uint32_t> closest_span;  // `near`: smallest word span with every group in one field
    std::vector<match::Occurrence> evidence;    // the groups' occurrences in the signal's fields, text order
    std::optional<match::Occurrence> veto;      // the `unless` occurrence that cancelled the signal
};

SignalOutcome evaluate_signal(const rules::Signal& signal, const match::MatchSet& matches);

// About `width` bytes of text around [begin, end), cut on UTF-8 boundaries, "…" at each cut end.
std::string snippet(std::string_view text, std::uint32_t begin, std::uint32_t end, std::size_t width = 200);

}  // namespace signalmon::score
