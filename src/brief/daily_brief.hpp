// The Daily Brief text format (a header with publication, issue and date; titled sections of "•"
// bullets) read into its parts, and turned into a draft rule file for `signalctl brief import`.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::brief {

struct DailyBrief {
    std::string publication;  // "Rosa Del Mar"
    int issue = 0;
    std::string date;   // YYYY-MM-DD
    std::string title;  // as the header writes it: "Open-Weights-As-Governance-And-Access-Hedge"
    std::vector<std::string> watchlist;
    std::vector<std::string> confirm;  // "What would confirm"
    std::vector<std::string> kill;     // "What would kill"
    std::vector<std::string> notes;    // what was ignored: "line 40: unknown section 'Analyst notes' ignored"
};

// Reads the text of a brief; the error says why the text is not a Daily Brief.
std::expected<DailyBrief, std::string> parse_daily_brief(std::string_view text);

// Candidate patterns for one brief line: multi-word noun phrases (the last word with a '*' suffix
// for its inflections), named entities and long domain terms; never a phrase of stop words only.
std::vector<std::string> draft_patterns(std::string_view line);

// "rdm-065-open-weights-as-governance": publication initials, issue, the title's first words.
std::string brief_id(const DailyBrief& brief);

// A rule file (YAML) for the brief: one draft signal per watchlist, confirm and kill line.
std::string draft_rule_file(const DailyBrief& brief, std::string_view source_name);

}  // namespace signalmon::brief
