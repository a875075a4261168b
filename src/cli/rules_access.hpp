// What the signalctl subcommands that run the live rules share: finding, loading and compiling them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/command.hpp"
#include "rules/compile.hpp"

namespace signalmon::cli {

// The config's rules_dir when the config loads, else ./rules.
std::string default_rules_dir(const GlobalOptions& global);

// Prints a warning to stderr when signals are still marked draft: true.
void warn_about_drafts(const rules::RuleSet& rules);

// Loads and compiles dir (default_rules_dir when absent), warning on stderr about draft signals.
// Throws RuleError, which the command table prints as "signalctl CMD: FILE:LINE:COL: message".
std::shared_ptr<const rules::CompiledRules> load_live_rules(const GlobalOptions& global,
                                                            const std::optional<std::string>& dir);

}  // namespace signalmon::cli
