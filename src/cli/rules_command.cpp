// signalctl rules check [DIR]: loads and compiles the rule files, prints what each brief uses,
// runs the files' examples and, with --calibrate, each signal's rate on real stories.
#include <algorithm>
#include <cstdio>
#include <set>
#include <string>

#include "brief/calibrate.hpp"
#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "cli/rules_access.hpp"
#include "rules/compile.hpp"
#include "score/explain.hpp"

namespace signalmon::cli {

namespace {

constexpr std::string_view k_rules_usage = "rules check [DIR] [--calibrate] [--background PATH] [--noise-budget SHARE]";

std::string kinds_text(const std::vector<rules::Kind>& kinds) {
    std::string out;
    for (const rules::Kind kind : kinds) out += (out.empty() ? "" : " and ") + std::string(rules::kind_name(kind));
    return out.empty() ? "nothing" : out;
}

// The closest near miss of the brief for a story, for a failed `fires` example.
std::string near_miss(const std::shared_ptr<const rules::CompiledRules>& compiled, const rules::Brief& brief,
                      const feed::Item& story) {
    match::Matcher matcher(compiled);
    const auto explained = score::explain(*compiled, story, matcher.scan(story), {}, brief.id);
    if (explained.empty() || explained.front().near_misses.empty()) return "no signal came close";
    const score::SignalExplanation& closest = explained.front().near_misses.front();
    return closest.signal->id + " " + std::string(score::status_name(closest.status)) + ": " + closest.reason;
}

// Runs every brief's examples; prints each failure as FILE:LINE and returns how many failed.
std::size_t run_examples(const std::shared_ptr<const rules::CompiledRules>& compiled, std::size_t& total) {
    std::size_t failed = 0;
    for (const rules::Brief& brief : compiled->rules().briefs) {
        for (const rules::Example& example : brief.examples) {
            ++total;
            feed::Item story;
            story.title = example.title;
            story.summary = example.summary;
            const std::vector<rules::Kind> kinds = brief::alerting_kinds(compiled, brief.id, story);
            const bool ok = example.expect ? std::ranges::find(kinds, *example.expect) != kinds.end() : kinds.empty();
            if (ok) continue;
            ++failed;
            const std::string quoted = example.title.size() > 70 ? example.title.substr(0, 67) + "..." : example.title;
            std::printf("%s:%d: example \"%s\" expected %s, got %s", example.where.file.c_str(), example.where.line,
                        quoted.c_str(), example.expect ? rules::kind_name(*example.expect).data() : "quiet",
                        kinds_text(kinds).c_str());
            if (example.expect) std::printf(" (near miss: %s)", near_miss(compiled, brief, story).c_str());
            std::printf("\n");
        }
    }
    return failed;
}

// Each signal's hits on the stories; a signal over the budget is flagged (a draft is tightened by
// `brief import`; a hand-written one is the analyst's to change).
std::size_t calibrate(const std::shared_ptr<const rules::CompiledRules>& compiled, const CalibrationStories& stories,
                      double budget) {
    std::printf("calibration on %s, noise budget %g of items:\n", stories.what.c_str(), budget);
    std::size_t noisy = 0;
    const double count = static_cast<double>(stories.items.size());
    for (const brief::SignalNoise& entry : brief::signal_noise(compiled, stories.items)) {
        const rules::Brief& brief = compiled->rules().briefs[entry.brief];
        const rules::Signal& signal = brief.signals[entry.signal];
        const double share = count == 0 ? 0 : static_cast<double>(entry.hits) / count;
        std::printf("  %s/%s: %zu hits (%.2f per 1,000 items", brief.id.c_str(), signal.id.c_str(), entry.hits,
                    1000 * share);
        if (stories.days > 0) std::printf(", %.2f alerts per day", static_cast<double>(entry.hits) / stories.days);
        std::printf(")%s\n", share > budget ? " OVER BUDGET" : "");
        for (const std::string& title : entry.titles) std::printf("      e.g. %s\n", title.c_str());
        noisy += share > budget ? 1 : 0;
    }
    return noisy;
}

int check(const GlobalOptions& global, const std::string& dir, const Arguments& arguments) {
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
        for (const rules::Group* group : {&brief.unless, &brief.about}) {
            for (const rules::PatternRef& ref : *group) ids.insert(ref.id);
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
        "total: %zu briefs, %zu signals, %zu distinct patterns (%zu literals, %zu regexes), %zu bytes compiled, "
        "rules %s\n",
        set.briefs.size(), signals, set.patterns.size(), compiled->literal_count(), compiled->regex_count(),
        compiled->database_bytes(), set.content_hash.c_str());
    std::size_t examples = 0;
    const std::size_t failed = run_examples(compiled, examples);
    if (examples > 0) std::printf("examples: %zu of %zu pass\n", examples - failed, examples);
    if (arguments.has("--calibrate")) {
        const double budget = parse_noise_budget(arguments.value("--noise-budget"));
        if (budget <= 0)
            return usage_error("--noise-budget must be a share between 0 and 1, e.g. 0.001", k_rules_usage);
        const std::size_t noisy =
            calibrate(compiled, calibration_stories(global, arguments.value("--background")), budget);
        if (noisy > 0) std::printf("%zu signals over the noise budget\n", noisy);
    }
    warn_about_drafts(set);
    return failed > 0 ? k_exit_failure : k_exit_ok;
}

}  // namespace

int run_rules(const GlobalOptions& global, std::span<const std::string_view> args) {
    if (args.empty() || args[0] != "check") return usage_error("expected 'rules check'", k_rules_usage);
    const auto parsed = parse_arguments(args.subspan(1), {"--calibrate"}, {"--background", "--noise-budget"});
    if (!parsed) return usage_error(parsed.error(), k_rules_usage);
    if (parsed->positionals.size() > 1) return usage_error("give at most one DIR", k_rules_usage);
    return check(global, parsed->positionals.empty() ? default_rules_dir(global) : parsed->positionals.front(),
                 *parsed);
}

}  // namespace signalmon::cli
