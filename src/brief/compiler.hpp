// The brief compiler: each Watchlist, "What would confirm" and "What would kill" line becomes
// signals of `all:` groups joined by `near`, built from the notions that carry the line's meaning:
// the concepts of the shared library it expresses (an action or condition: require, cancel,
// nationalize…) and its most specific terms (the actor or object: "open weights", "cable repair
// ship"), each expanded by the lexicon. Calibration then tightens any signal that is too noisy.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "brief/corpus.hpp"
#include "brief/daily_brief.hpp"
#include "rules/rule_set.hpp"

namespace signalmon::brief {

// A term (or a concept's pattern) in a drafted group occurs in at most this share of background
// stories, so no common word can satisfy a group alone.
inline constexpr double k_max_term_share = 0.02;
// Words between the groups of a drafted signal: a headline and its first sentence.
inline constexpr int k_draft_near = 20;
// Different `about` entries a story must name before a draft's signals count: a single topic word
// is as often another story's word ("plants", "load"); measured in docs/architecture.md.
inline constexpr int k_draft_about_min = 2;

struct DraftSignal {
    std::string id;
    rules::Kind kind = rules::Kind::watch;
    int weight = 0;
    std::string says;                              // the brief line
    std::vector<std::vector<std::string>> groups;  // patterns or `@concept`s, one list per `all:` group
    int near = 0;
    std::vector<std::string> unless;
    std::vector<std::string> notes;   // what calibration did, for the file's comments and the report
    std::size_t background_hits = 0;  // stories calibration found it hitting before tightening
};

struct Draft {
    std::string brief_id;
    std::string title;
    std::string source;
    std::string date;
    int threshold = 5;
    std::vector<DraftSignal> signals;
    std::vector<DraftSignal> left_out;     // signals calibration could not bring under the budget
    std::vector<std::string> subject;      // words the brief keeps coming back to ("ai", "compute")
    std::vector<std::string> unless;       // the brief's `unless`: opinion and denials
    std::vector<std::string> about;        // the brief's `about`: its topic's words...
    int about_min = k_draft_about_min;     // ...of which a story must name this many
    std::vector<rules::Example> examples;  // the brief's own lines as `fires` examples
};

struct CompilerInput {
    const std::unordered_map<std::string, rules::Concept>* concepts = nullptr;  // the shared library
    const WordShares* shares = nullptr;  // word shares of a background corpus (terms above the cap are left out)
};

Draft compile_brief(const DailyBrief& brief, const CompilerInput& input);

// The rules a draft compiles against: the shared concept files' texts, then the draft (absent: the
// concepts alone). Throws RuleError like any rule file.
rules::RuleSet with_concepts(std::span<const std::string> concept_files, const Draft* draft = nullptr,
                             const std::string& draft_path = {});

// The rule file for a draft, `draft: true` on every signal, its notes as comments.
std::string draft_yaml(const Draft& draft, std::string_view source_name);

// Calibration against stories (the store's retained items or the background corpus): while the
// brief's signals together hit more than `budget` of them (a share: 0.001 = one alert per 1,000
// items), each signal that hits any is tightened one step: without the brief's subject words, then
// with a narrower `near`, then without its most frequent term; one with nothing left to tighten
// moves to `left_out`. Returns one report line per signal. concept_files: the YAML of the shared concept files the
// draft refers to. shares: the word shares of the same stories (the compiler's input has them already).
std::vector<std::string> calibrate_draft(Draft& draft, std::span<const std::string> concept_files,
                                         std::span<const feed::Item> stories, const WordShares& shares, double budget);

}  // namespace signalmon::brief
