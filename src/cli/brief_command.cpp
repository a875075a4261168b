// signalctl brief import: a Daily Brief text file → a draft rule file that passes `rules check`.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "brief/daily_brief.hpp"
#include "cli/command.hpp"
#include "cli/input.hpp"
#include "rules/compile.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_brief_usage = "usage: signalctl brief import BRIEF.txt [-o rules/NAME.yaml] [--force]\n";

int usage() {
    std::fputs(k_brief_usage.data(), stderr);
    return k_exit_usage;
}

}  // namespace

int run_brief(const GlobalOptions&, std::span<const std::string_view> args) {
    if (args.empty() || args[0] != "import") return usage();
    std::optional<std::string> input;
    std::optional<std::string> output;
    bool force = false;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if ((args[i] == "-o" || args[i] == "--output") && i + 1 < args.size()) {
            output = std::string(args[++i]);
        } else if (args[i] == "--force") {
            force = true;
        } else if (!input && !args[i].starts_with("-")) {
            input = std::string(args[i]);
        } else {
            return usage();
        }
    }
    if (!input) return usage();
    const auto text = read_input(*input);
    if (!text) {
        std::fprintf(stderr, "signalctl brief import: cannot read %s\n", input->c_str());
        return k_exit_failure;
    }
    const auto parsed = brief::parse_daily_brief(*text);
    if (!parsed) {
        std::fprintf(stderr, "signalctl brief import: %s: %s\n", input->c_str(), parsed.error().c_str());
        return k_exit_failure;
    }
    for (const std::string& note : parsed->notes) std::fprintf(stderr, "note: %s: %s\n", input->c_str(), note.c_str());
    const std::string yaml = brief::draft_rule_file(*parsed, std::filesystem::path(*input).filename().string());
    // The draft must be a valid rule file; if drafting ever produced a bad one, say so rather than write it.
    rules::RuleSetBuilder check;
    check.add_file(yaml, output.value_or(brief::brief_id(*parsed) + ".yaml"));
    rules::compile(std::move(check).finish());
    if (!output) {
        std::fputs(yaml.c_str(), stdout);
        return k_exit_ok;
    }
    if (std::filesystem::exists(*output) && !force) {
        std::fprintf(stderr, "signalctl brief import: %s exists (use --force to replace it)\n", output->c_str());
        return k_exit_failure;
    }
    std::ofstream out(*output, std::ios::binary | std::ios::trunc);
    out << yaml;
    if (!out.flush()) {
        std::fprintf(stderr, "signalctl brief import: cannot write %s\n", output->c_str());
        return k_exit_failure;
    }
    const std::size_t signals = parsed->watchlist.size() + parsed->confirm.size() + parsed->kill.size();
    std::fprintf(stderr, "wrote %s: brief %s, %zu draft signals; review them, then `signalctl rules check`\n",
                 output->c_str(), brief::brief_id(*parsed).c_str(), signals);
    return k_exit_ok;
}

}  // namespace signalmon::cli
