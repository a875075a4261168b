// What the signalctl subcommands that run the live rules share: finding, loading and compiling them.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "feed/item.hpp"

#include "cli/command.hpp"
#include "rules/compile.hpp"

namespace signalmon::cli {

// The config's rules_dir when the config loads, else ./rules.
std::string default_rules_dir(const GlobalOptions& global);

// The ids of the rules' briefs, in file order.
std::vector<std::string> brief_ids(const rules::RuleSet& rules);

// Prints a warning to stderr when signals are still marked draft: true.
void warn_about_drafts(const rules::RuleSet& rules);

// Loads and compiles dir (default_rules_dir when absent), warning on stderr about draft signals.
// Throws RuleError, which the command table prints as "signalctl CMD: FILE:LINE:COL: message".
std::shared_ptr<const rules::CompiledRules> load_live_rules(const GlobalOptions& global,
                                                            const std::optional<std::string>& dir);

// The text of every shared concepts file in dir (`concepts:` without `brief:`), by name order.
std::vector<std::string> concept_files(const std::filesystem::path& dir);

// Stories to calibrate rules on: the store's retained items when it holds at least a few
// hundred, else the background corpus (`background` or the default one). `what` says which.
struct CalibrationStories {
    std::vector<feed::Item> items;
    std::string what;  // "the store's 5,120 retained items" / "the background corpus DIR (6,000 stories)"
    double days = 0;   // the time the items span (store only; 0 for a background corpus)
};
CalibrationStories calibration_stories(const GlobalOptions& global, const std::optional<std::string>& background);

// --noise-budget: a share of items in (0, 1), default 0.001; -1 when the text is not one.
double parse_noise_budget(const std::optional<std::string>& text);

// The background corpus shipped with signalmon: $SIGNALMON_BACKGROUND, the installed copy, or the
// source tree's (tests/data/eval/background) for a build that is not installed.
std::filesystem::path default_background();

}  // namespace signalmon::cli
