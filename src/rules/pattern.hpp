// The pattern language of rule files: phrases become caseless literals (or, with an inner '*', a
// small regex), /regex/ and /regex/c go to Hyperscan as written. Validation against both engines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::rules {

// Limits that keep a rule file from making the compiler hang or the database explode: the length
// of a pattern as written, and the product of nested bounded repeats ("{m,n}") in a regex.
inline constexpr std::size_t k_max_pattern_bytes = 1000;
inline constexpr std::uint64_t k_max_repeat = 1000;

enum class PatternEngine : unsigned char { literal, regex };

// What one written pattern compiles to.
struct PatternSpec {
    PatternEngine engine = PatternEngine::literal;
    std::string expression;    // literal bytes (folded, lower-case) or a Hyperscan regex
    unsigned flags = 0;        // HS_FLAG_*
    bool check_left = false;   // the byte before a match must not be a word byte
    bool check_right = false;  // the byte after a match must not be a word byte
    // Literals only: every form the phrase matches (inflections and spelling variants of its words,
    // `expression` first). Each is its own literal in the database, all reporting this pattern.
    std::vector<std::string> variants;

    // Equal keys compile to the same database entry.
    std::string key() const;
};

// A phrase expands to at most this many forms (the product of its words' forms is cut here).
inline constexpr std::size_t k_max_variants = 256;

// Translates a pattern as written; the error is a message without location. A phrase's words
// expand through the lexicon into their inflections and spelling variants, unless the phrase
// starts with '=' (exact words) or the word ends with '*' (an explicit prefix).
std::expected<PatternSpec, std::string> translate_pattern(std::string_view written);

// Compiles a regex spec alone in Hyperscan and in RE2; returns why it is rejected, if it is.
std::optional<std::string> check_regex(const PatternSpec& spec, std::string_view written);

}  // namespace signalmon::rules
