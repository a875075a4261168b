// signalctl eval CASES…: recall by kind, look-alike alarms and background alarms of a brief's rules,
// for the hand-written rules or for drafts compiled from the briefs with no hand edits.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "brief/calibrate.hpp"
#include "brief/compiler.hpp"
#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "cli/input.hpp"
#include "cli/rules_access.hpp"
#include "score/evaluate.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_eval_usage =
    "eval [--draft] [--rules DIR] [--background PATH] [--noise-budget SHARE] [--verbose] CASES.yaml|DIR…";

constexpr rules::Kind k_kinds[] = {rules::Kind::confirm, rules::Kind::kill, rules::Kind::watch};

std::vector<std::filesystem::path> case_files(const std::vector<std::string>& inputs) {
    std::vector<std::filesystem::path> files;
    for (const std::string& input : inputs) {
        if (!std::filesystem::is_directory(input)) {
            files.emplace_back(input);
            continue;
        }
        std::vector<std::filesystem::path> found;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(input)) {
            if (entry.path().extension() == ".yaml" && entry.path().parent_path().filename() == "cases") {
                found.push_back(entry.path());
            }
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

double percent(int part, int whole) { return whole == 0 ? 0 : 100.0 * part / whole; }

struct Totals {
    int expected = 0;
    int recalled = 0;
    int lookalikes = 0;
    int lookalike_alarms = 0;
    std::size_t background = 0;
    std::size_t background_alarms = 0;
};

void print_score(const std::string& label, const brief::CaseScore& score, bool verbose, Totals& totals) {
    std::printf("%s\n  recall:", label.c_str());
    int expected = 0;
    int recalled = 0;
    for (const rules::Kind kind : k_kinds) {
        const std::size_t index = score::kind_index(kind);
        if (score.expected[index] == 0) continue;
        std::printf(" %s %d/%d", rules::kind_name(kind).data(), score.recalled[index], score.expected[index]);
        expected += score.expected[index];
        recalled += score.recalled[index];
    }
    std::printf(" = %d/%d (%.1f%%)\n", recalled, expected, percent(recalled, expected));
    std::printf("  confirm and kill both alerted: %d\n", score.both_kinds);
    std::printf("  look-alike alarms: %d/%d (%.1f%%)\n", score.lookalike_alarms, score.lookalikes,
                percent(score.lookalike_alarms, score.lookalikes));
    const double per_10k = score.background == 0 ? 0
                                                 : 1e4 * static_cast<double>(score.background_alarms) /
                                                       static_cast<double>(score.background);
    std::printf("  background alarms: %zu of %zu stories (%.1f per 10,000)\n", score.background_alarms,
                score.background, per_10k);
    if (verbose) {
        for (const std::string& failure : score.failures) std::printf("    %s\n", failure.c_str());
    }
    totals.expected += expected;
    totals.recalled += recalled;
    totals.lookalikes += score.lookalikes;
    totals.lookalike_alarms += score.lookalike_alarms;
    totals.background += score.background;
    totals.background_alarms += score.background_alarms;
}

// Every other story: drafts are calibrated on one half of the background and judged on the
// other, so the figures do not grade the calibration on its own data.
std::pair<std::vector<feed::Item>, std::vector<feed::Item>> halves(std::vector<feed::Item> stories) {
    std::pair<std::vector<feed::Item>, std::vector<feed::Item>> out;
    for (std::size_t i = 0; i < stories.size(); ++i)
        (i % 2 == 0 ? out.first : out.second).push_back(std::move(stories[i]));
    return out;
}

}  // namespace

int run_eval(const GlobalOptions& global, std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, {"--draft", "--verbose"}, {"--rules", "--background", "--noise-budget"});
    if (!parsed) return usage_error(parsed.error(), k_eval_usage);
    if (parsed->positionals.empty()) return usage_error("give case files or folders of them", k_eval_usage);
    const bool draft_mode = parsed->has("--draft");
    const double budget = parse_noise_budget(parsed->value("--noise-budget"));
    if (budget <= 0) return usage_error("--noise-budget must be a share between 0 and 1, e.g. 0.001", k_eval_usage);
    const std::string rules_dir = parsed->value("--rules").value_or(default_rules_dir(global));
    const std::filesystem::path background_path = parsed->value("--background").value_or(default_background().string());
    std::vector<feed::Item> background = brief::load_stories(background_path);
    const auto [calibration, judged] = halves(background);
    const std::vector<std::string> concepts = concept_files(rules_dir);
    std::shared_ptr<const rules::CompiledRules> shipped;
    if (!draft_mode) shipped = rules::compile(rules::load_rules_dir(rules_dir));
    std::printf("%s, background %s\n", draft_mode ? "drafts with no hand edits" : ("rules " + rules_dir).c_str(),
                background_path.c_str());
    // Drafts of every brief read the same concept library and calibration half: built once.
    const brief::WordShares shares(calibration);
    const auto concept_library = brief::with_concepts(concepts).concepts;
    Totals totals;
    for (const std::filesystem::path& path : case_files(parsed->positionals)) {
        const brief::CaseFile cases = brief::load_case_file(path);
        const auto text = read_input(cases.brief_file.string());
        const auto daily = text ? brief::parse_daily_brief(*text) : std::unexpected(std::string("cannot read it"));
        if (!daily) throw rules::RuleError(cases.brief_file.string() + ": " + daily.error());
        std::shared_ptr<const rules::CompiledRules> compiled = shipped;
        std::string brief_id = cases.brief_id.empty() ? brief::brief_id(*daily) : cases.brief_id;
        if (draft_mode) {
            brief::Draft draft = brief::compile_brief(*daily, {&concept_library, &shares});
            brief::calibrate_draft(draft, concepts, calibration, shares, budget);
            compiled = rules::compile(brief::with_concepts(concepts, &draft));
            brief_id = draft.brief_id;
        } else if (std::ranges::find(shipped->rules().briefs, brief_id, &rules::Brief::id) ==
                   shipped->rules().briefs.end()) {
            std::printf("%s: no rules for brief %s in %s, skipped\n", path.c_str(), brief_id.c_str(),
                        rules_dir.c_str());
            continue;
        }
        const brief::CaseScore score = brief::score_cases(compiled, brief_id, cases, draft_mode ? judged : background);
        print_score("brief " + brief_id + " (" + path.string() + ")", score, parsed->has("--verbose"), totals);
    }
    const double per_10k = totals.background == 0 ? 0
                                                  : 1e4 * static_cast<double>(totals.background_alarms) /
                                                        static_cast<double>(totals.background);
    std::printf("total: recall %d/%d (%.1f%%), look-alike alarms %d/%d (%.1f%%), background %.1f per 10,000\n",
                totals.recalled, totals.expected, percent(totals.recalled, totals.expected), totals.lookalike_alarms,
                totals.lookalikes, percent(totals.lookalike_alarms, totals.lookalikes), per_10k);
    return k_exit_ok;
}

}  // namespace signalmon::cli
