// The Daily Brief text format (a header with publication, issue and date; titled sections of "•"
// bullets) read into its parts; brief/compiler.hpp turns them into rules.
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
    std::vector<std::string> context;  // the other bullets: Key takeaways, Sections, Unknowns, Read-throughs
    std::vector<std::string> notes;    // what was ignored: "line 40: unknown section 'Analyst notes' ignored"
};

// Reads the text of a brief; the error says why the text is not a Daily Brief.
std::expected<DailyBrief, std::string> parse_daily_brief(std::string_view text);

// "rdm-065-open-weights-as-governance": publication initials, issue, the title's first words.
std::string brief_id(const DailyBrief& brief);

// "open-weights-local": lower-case words of text joined by '-', at most max_words whole words.
std::string slug(std::string_view text, std::size_t max_words);
// text as a double-quoted YAML scalar.
std::string yaml_quoted(std::string_view text);

}  // namespace signalmon::brief
