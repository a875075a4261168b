// signalctl rules check [DIR]: loads and compiles the rule files and prints what each brief uses.
#include <cstdio>
#include <set>
#include <string>

#include "cli/command.hpp"
#include "cli/rules_access.hpp"
#include "rules/compile.hpp"

namespace signalmon::cli {

namespace {

int check(const std::string& dir) {
    std::shared_ptr<const rules::CompiledRules> compiled;
    try {
        compiled = rules::compile(rules::load_rules_dir(dir));
    } catch (const rules::RuleError& error) {
        std::fprintf(stderr, "%s\n", error.what());
        return k_exit_failure;
    }
    const rules::RuleSet& set = compiled->rules();
    std::size_t signals = 0;
    for (const rules::Brief& brief : set.briefs) {
        // Distinct patterns of this brief, counted once however many signals share them.
        std::set<std::uint32_t> ids;
        for (const rules::PatternRef& ref : brief.unless) {
            ids.insert(ref.id);
        }
        for (const rules::Signal& signal : brief.signals) {
            for (const rules::Group& group : signal.groups) {
                for (const rules::PatternRef& ref : group) {
                    ids.insert(ref.id);
                }
            }
            for (const rules::PatternRef& ref : signal.unless) {
                ids.insert(ref.id);
            }
        }
        std::size_t literals = 0;
        for (const std::uint32_t id : ids) {
            literals += set.patterns[id].spec.engine == rules::PatternEngine::literal ? 1 : 0;
        }
        signals += brief.signals.size();
        std::printf("%s: %zu signals, %zu patterns (%zu literals, %zu regexes)\n", brief.id.c_str(),
                    brief.signals.size(), ids.size(), literals, ids.size() - literals);
    }
    std::printf(
        "total: %zu briefs, %zu signals, %zu distinct patterns (%zu literals, %zu regexes), %zu bytes compiled\n",
        set.briefs.size(), signals, set.patterns.size(), compiled->literal_count(), compiled->regex_count(),
        compiled->database_bytes());
    warn_about_drafts(set);
    return k_exit_ok;
}

}  // namespace

int run_rules(const GlobalOptions& global, std::span<const std::string_view> args) {
    if (args.empty() || args[0] != "check" || args.size() > 2) {
        std::fputs("usage: signalctl rules check [DIR]\n", stderr);
        return k_exit_usage;
    }
    return check(args.size() == 2 ? std::string(args[1]) : default_rules_dir(global));
}

}  // namespace signalmon::cli
