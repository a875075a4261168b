// signalctl brief import: a Daily Brief text → a calibrated draft rule file that passes `rules check`.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "brief/compiler.hpp"
#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "cli/input.hpp"
#include "cli/rules_access.hpp"
#include "rules/compile.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_brief_usage =
    "brief import BRIEF.txt [-o rules/NAME.yaml] [--force] [--rules DIR] [--background PATH] [--noise-budget SHARE]";

}  // namespace

int run_brief(const GlobalOptions& global, std::span<const std::string_view> args) {
    if (args.empty() || args[0] != "import") return usage_error("expected 'brief import'", k_brief_usage);
    const auto parsed_args =
        parse_arguments(args.subspan(1), {"--force"}, {"-o", "--output", "--rules", "--background", "--noise-budget"});
    if (!parsed_args) return usage_error(parsed_args.error(), k_brief_usage);
    if (parsed_args->positionals.size() != 1) return usage_error("give one BRIEF.txt", k_brief_usage);
    const std::string input = parsed_args->positionals.front();
    const std::optional<std::string> output =
        parsed_args->value("-o") ? parsed_args->value("-o") : parsed_args->value("--output");
    const double budget = parse_noise_budget(parsed_args->value("--noise-budget"));
    if (budget <= 0) return usage_error("--noise-budget must be a share between 0 and 1, e.g. 0.001", k_brief_usage);
    const auto text = read_input(input);
    if (!text) {
        std::fprintf(stderr, "signalctl brief import: cannot read %s\n", input.c_str());
        return k_exit_failure;
    }
    const auto parsed = brief::parse_daily_brief(*text);
    if (!parsed) {
        std::fprintf(stderr, "signalctl brief import: %s: %s\n", input.c_str(), parsed.error().c_str());
        return k_exit_failure;
    }
    for (const std::string& note : parsed->notes) std::fprintf(stderr, "note: %s: %s\n", input.c_str(), note.c_str());
    const std::string rules_dir = parsed_args->value("--rules").value_or(default_rules_dir(global));
    const std::vector<std::string> concepts = concept_files(rules_dir);
    if (concepts.empty()) {
        std::fprintf(stderr, "warning: no shared concepts file in %s: drafts use the brief's own terms only\n",
                     rules_dir.c_str());
    }
    const auto library = brief::with_concepts(concepts).concepts;
    const CalibrationStories stories = calibration_stories(global, parsed_args->value("--background"));
    const brief::WordShares shares(stories.items);
    brief::Draft draft = brief::compile_brief(*parsed, {&library, &shares});
    const std::vector<std::string> report = brief::calibrate_draft(draft, concepts, stories.items, shares, budget);
    std::fprintf(stderr, "calibrated on %s, noise budget %g of items:\n", stories.what.c_str(), budget);
    for (const std::string& line : report) std::fprintf(stderr, "  %s\n", line.c_str());
    const std::string name = std::filesystem::path(input).filename().string();
    const std::string yaml = brief::draft_yaml(draft, name);
    // The draft must be a valid rule file; if drafting ever produced a bad one, say so rather than write it.
    rules::compile(brief::with_concepts(concepts, &draft, output.value_or(draft.brief_id + ".yaml")));
    if (!output) {
        std::fputs(yaml.c_str(), stdout);
        return k_exit_ok;
    }
    if (std::filesystem::exists(*output) && !parsed_args->has("--force")) {
        std::fprintf(stderr, "signalctl brief import: %s exists (use --force to replace it)\n", output->c_str());
        return k_exit_failure;
    }
    std::ofstream out(*output, std::ios::binary | std::ios::trunc);
    out << yaml;
    if (!out.flush()) {
        std::fprintf(stderr, "signalctl brief import: cannot write %s\n", output->c_str());
        return k_exit_failure;
    }
    std::fprintf(stderr, "wrote %s: brief %s, %zu draft signals; review them, then `signalctl rules check`\n",
                 output->c_str(), draft.brief_id.c_str(), draft.signals.size());
    return k_exit_ok;
}

}  // namespace signalmon::cli
