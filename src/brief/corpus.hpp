// Stories read from files, for calibration and evaluation: JSON-lines corpora of ordinary news
// (the background) and labelled case files (stories a brief's rules must or must not alert on).
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "feed/item.hpp"
#include "rules/rule_set.hpp"

namespace signalmon::brief {

// One JSON object per line with "title" and "summary" (other members ignored); a .jsonl file, or
// every .jsonl file of a folder. Throws std::runtime_error "FILE:LINE: message" on a bad line.
std::vector<feed::Item> load_stories(const std::filesystem::path& path);

// A labelled story: what the brief's rules must do with it.
struct Case {
    std::optional<rules::Kind> expect;  // absent: `quiet`, the story must not alert
    std::string line;                   // the brief line it reports on, when it should fire
    feed::Item item;
    int source_line = 0;
};

// A case file: `brief_file` (the Daily Brief text, relative to the case file), optional `brief`
// (the id of hand-written rules for it) and `cases`.
struct CaseFile {
    std::filesystem::path path;
    std::filesystem::path brief_file;
    std::string brief_id;
    std::vector<Case> cases;
};

// Throws rules::RuleError "FILE:LINE:COL: message" for a malformed file.
CaseFile load_case_file(const std::filesystem::path& path);

// The document frequency of words in a corpus: the share of stories a word occurs in.
class WordShares {
public:
    explicit WordShares(std::span<const feed::Item> stories);
    // Share of stories (0..1) whose title or summary holds the folded, lower-case word.
    double share(std::string_view word) const;
    std::size_t stories() const { return m_stories; }

private:
    std::unordered_map<std::string, std::uint32_t> m_counts;
    std::size_t m_stories = 0;
};

// Lower-case words of text as the matcher separates them (letters, digits, non-ASCII bytes).
std::vector<std::string> words_of(std::string_view text);

}  // namespace signalmon::brief
