// Running rules over stories to see what they would do: per-signal noise on a corpus (for
// calibration) and recall / false alarms on labelled cases (for `signalctl eval` and examples).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "brief/corpus.hpp"
#include "rules/compile.hpp"

namespace signalmon::brief {

// How often one signal counted on a corpus, with a few of the stories it hit.
struct SignalNoise {
    std::uint32_t brief = 0;   // RuleSet::briefs index
    std::uint32_t signal = 0;  // Brief::signals index
    std::size_t hits = 0;
    std::vector<std::string> titles;  // the first few stories hit
};

// One entry per signal of every brief (or of the brief `only_brief`), rule-file order.
std::vector<SignalNoise> signal_noise(const std::shared_ptr<const rules::CompiledRules>& compiled,
                                      std::span<const feed::Item> stories, std::string_view only_brief = {});

// The kinds that alert for the brief on one story.
std::vector<rules::Kind> alerting_kinds(const std::shared_ptr<const rules::CompiledRules>& compiled,
                                        std::string_view brief_id, const feed::Item& story);

// Recall and false alarms of one brief's rules.
struct CaseScore {
    std::array<int, 3> expected{};  // fires cases per kind (index: rules::Kind)
    std::array<int, 3> recalled{};  // of which the expected kind alerted
    int both_kinds = 0;             // fires cases where confirm and kill both alerted
    int lookalikes = 0;             // quiet cases
    int lookalike_alarms = 0;       // quiet cases that alerted
    std::size_t background = 0;     // background stories
    std::size_t background_alarms = 0;
    std::vector<std::string> failures;  // "FILE:LINE: expected confirm, got nothing: Title"
};

CaseScore score_cases(const std::shared_ptr<const rules::CompiledRules>& compiled, std::string_view brief_id,
                      const CaseFile& cases, std::span<const feed::Item> background);

}  // namespace signalmon::brief
