// Loading the live rules for signalctl subcommands.
#include "cli/rules_access.hpp"

#include <cstdio>

#include "config/config.hpp"

namespace signalmon::cli {

std::string default_rules_dir(const GlobalOptions& global) {
    try {
        return config::load_config(global.config_path).rules_dir.string();
    } catch (const config::ConfigError&) {
        return "rules";
    }
}

void warn_about_drafts(const rules::RuleSet& rules) {
    if (const std::size_t drafts = rules.draft_signal_count(); drafts > 0) {
        std::fprintf(stderr,
                     "warning: %zu signals are marked draft: true; review their patterns, then remove the key\n",
                     drafts);
    }
}

std::shared_ptr<const rules::CompiledRules> load_live_rules(const GlobalOptions& global,
                                                            const std::optional<std::string>& dir) {
    auto compiled = rules::compile(rules::load_rules_dir(dir.value_or(default_rules_dir(global))));
    warn_about_drafts(compiled->rules());
    return compiled;
}

}  // namespace signalmon::cli
