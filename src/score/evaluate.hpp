// Turns the patterns an item matched into one Verdict per brief. CONTRACT (app-facing, keep):
// SignalHit, Verdict and evaluate() as declared here; more members may be added.
#pragma once

#include <string>
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

}  // namespace signalmon::score
