// Pattern translation (phrase → literal or regex) and per-pattern validation in Hyperscan and RE2.
#include "rules/pattern.hpp"

#include <hs/hs.h>
#include <re2/re2.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "rules/lexicon.hpp"
#include "text/fold.hpp"

namespace signalmon::rules {

namespace {

// Phrase words may end with one '*'; the rest must be free of it.
struct Word {
    std::string text;
    bool suffix = false;
};

std::expected<std::vector<Word>, std::string> split_phrase(std::string_view written) {
    std::string folded = text::fold(written).text;
    for (char& c : folded) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    std::vector<Word> words;
    std::size_t at = 0;
    while (at < folded.size()) {
        const std::size_t space = folded.find(' ', at);
        const std::size_t end = space == std::string::npos ? folded.size() : space;
        if (end > at) {
            Word word{folded.substr(at, end - at), false};
            if (word.text.back() == '*') {
                word.text.pop_back();
                word.suffix = true;
            }
            if (word.text.empty() || word.text.find('*') != std::string::npos) {
                return std::unexpected("'*' is only allowed at the end of a word, in phrase '" + std::string(written) +
                                       "'");
            }
            words.push_back(std::move(word));
        }
        at = end + 1;
    }
    if (words.empty()) {
        return std::unexpected("phrase '" + std::string(written) + "' has no words");
    }
    return words;
}

// Escapes ASCII punctuation so a phrase word is matched literally inside a regex.
void append_escaped(std::string& out, std::string_view word) {
    for (const char c : word) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80 && !text::is_word_byte(byte)) {
            out.push_back('\\');
        }
        out.push_back(c);
    }
}

// Every combination of the words' forms, the phrase as written first, at most k_max_variants.
std::vector<std::string> expand_words(const std::vector<Word>& words) {
    std::vector<std::string> phrases{""};
    for (const Word& word : words) {
        const std::vector<std::string> forms = Lexicon::shared().forms(word.text);
        std::vector<std::string> longer;
        for (const std::string& form : forms) {
            for (const std::string& phrase : phrases) {
                if (longer.size() == k_max_variants) break;
                std::string longer_phrase = phrase;
                if (!longer_phrase.empty()) longer_phrase += ' ';
                longer_phrase += form;
                longer.push_back(std::move(longer_phrase));
            }
        }
        phrases = std::move(longer);
    }
    return phrases;
}

PatternSpec phrase_spec(const std::vector<Word>& words, bool exact) {
    PatternSpec spec;
    bool inner_suffix = false;
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        inner_suffix = inner_suffix || words[i].suffix;
    }
    const std::string_view first = words.front().text;
    const std::string_view last = words.back().text;
    spec.check_left = text::is_word_byte(static_cast<unsigned char>(first.front()));
    spec.check_right = !words.back().suffix && text::is_word_byte(static_cast<unsigned char>(last.back()));
    if (!inner_suffix) {
        // Start = end − length, so the literal database needs no start-of-match tracking.
        spec.engine = PatternEngine::literal;
        spec.flags = HS_FLAG_CASELESS;
        for (const Word& word : words) {
            spec.expression += (spec.expression.empty() ? "" : " ") + word.text;
        }
        if (!exact && !words.back().suffix) {
            spec.variants = expand_words(words);
            if (spec.variants.size() == 1) spec.variants.clear();
        }
        return spec;
    }
    // The regex database tracks start of match, so the same boundary checks apply in the callback.
    spec.engine = PatternEngine::regex;
    spec.flags = HS_FLAG_CASELESS | HS_FLAG_SOM_LEFTMOST;
    for (const Word& word : words) {
        if (!spec.expression.empty()) {
            spec.expression += ' ';
        }
        append_escaped(spec.expression, word.text);
        if (word.suffix) {
            spec.expression += R"([\w\x80-\xff]*)";
        }
    }
    return spec;
}

// The repeat bound of a "{m}", "{m,}" or "{m,n}" at regex[at] (the largest count it allows, m for
// an open range), and where it ends; std::nullopt if this '{' is a literal brace.
struct Repeat {
    std::uint64_t bound = 0;
    std::size_t end = 0;
};

std::optional<Repeat> bounded_repeat(std::string_view regex, std::size_t at) {
    Repeat repeat;
    std::uint64_t number = 0;
    bool digits = false;
    for (std::size_t i = at + 1; i < regex.size(); ++i) {
        const char c = regex[i];
        if (c >= '0' && c <= '9') {
            number = std::min<std::uint64_t>(number * 10 + static_cast<std::uint64_t>(c - '0'), k_max_repeat + 1);
            digits = true;
        } else if (c == ',' && digits) {
            repeat.bound = number;
            number = 0;
            digits = false;
        } else if (c == '}') {
            repeat.bound = std::max(repeat.bound, number);
            repeat.end = i;
            return repeat;
        } else {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// Hyperscan unrolls bounded repeats, so "(a{999}){999}" compiles for minutes into a huge
// database: the product of nested bounds is capped. Escapes and classes are skipped as atoms.
std::optional<std::string> check_repeats(std::string_view regex) {
    // Per open group: the largest repeat product seen inside it.
    std::vector<std::uint64_t> groups{1};
    std::uint64_t last_atom = 1;  // the product inside the atom a quantifier would apply to
    for (std::size_t i = 0; i < regex.size(); ++i) {
        const char c = regex[i];
        if (c == '\\') {
            ++i;
            last_atom = 1;
        } else if (c == '[') {
            // A ']' right after '[' or '[^' is a member, not the end.
            std::size_t first = i + 1;
            if (first < regex.size() && regex[first] == '^') ++first;
            i = regex.find(']', first + 1);
            if (i == std::string_view::npos) return std::nullopt;  // the engines report the syntax error
            last_atom = 1;
        } else if (c == '(') {
            groups.push_back(1);
            last_atom = 1;
        } else if (c == ')' && groups.size() > 1) {
            last_atom = groups.back();
            groups.pop_back();
        } else if (c == '{') {
            if (const auto repeat = bounded_repeat(regex, i)) {
                const std::uint64_t product = std::max<std::uint64_t>(repeat->bound, 1) * last_atom;
                if (product > k_max_repeat) {
                    const std::string count = repeat->bound > k_max_repeat ? "more than " + std::to_string(k_max_repeat)
                                                                           : std::to_string(product);
                    return "bounded repeats allow " + count + " repetitions (nested repeats multiply); at most " +
                           std::to_string(k_max_repeat) + " are allowed";
                }
                groups.back() = std::max(groups.back(), product);
                last_atom = product;
                i = repeat->end;
                continue;
            }
            last_atom = 1;
        } else {
            last_atom = 1;
        }
        groups.back() = std::max(groups.back(), last_atom);
    }
    return std::nullopt;
}

}  // namespace

std::string PatternSpec::key() const {
    std::string key;
    key += engine == PatternEngine::literal ? 'L' : 'R';
    key += std::to_string(flags);
    key += check_left ? '<' : '-';
    key += check_right ? '>' : '-';
    key += ':';
    key += expression;
    for (const std::string& variant : variants) {
        key += '|';
        key += variant;
    }
    return key;
}

std::expected<PatternSpec, std::string> translate_pattern(std::string_view written) {
    if (written.empty()) {
        return std::unexpected(std::string("empty pattern"));
    }
    if (written.size() > k_max_pattern_bytes) {
        return std::unexpected("pattern is " + std::to_string(written.size()) + " bytes long; at most " +
                               std::to_string(k_max_pattern_bytes) + " are allowed");
    }
    if (written.front() != '/') {
        const bool exact = written.front() == '=';
        auto words = split_phrase(exact ? written.substr(1) : written);
        if (!words) {
            return std::unexpected(std::move(words.error()));
        }
        return phrase_spec(*words, exact);
    }
    const bool case_sensitive = written.size() >= 3 && written.ends_with("/c");
    const std::size_t close = case_sensitive ? written.size() - 2 : written.size() - 1;
    if (written.size() < 2 || written[close] != '/' || close == 0) {
        return std::unexpected("regex '" + std::string(written) + "' must end with '/' (or '/c' for case-sensitive)");
    }
    if (close == 1) {
        return std::unexpected(std::string("empty regex '") + std::string(written) + "'");
    }
    PatternSpec spec;
    spec.engine = PatternEngine::regex;
    spec.expression = std::string(written.substr(1, close - 1));
    if (auto too_many = check_repeats(spec.expression)) {
        return std::unexpected("regex '" + std::string(written) + "': " + std::move(*too_many));
    }
    spec.flags = HS_FLAG_SOM_LEFTMOST | (case_sensitive ? 0U : HS_FLAG_CASELESS);
    return spec;
}

std::optional<std::string> check_regex(const PatternSpec& spec, std::string_view written) {
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile(spec.expression.c_str(), spec.flags, HS_MODE_BLOCK, nullptr, &database, &error) != HS_SUCCESS) {
        std::string reason = "pattern '" + std::string(written) + "' is rejected by Hyperscan: " +
                             (error != nullptr && error->message != nullptr ? error->message : "unknown error");
        hs_free_compile_error(error);
        return reason;
    }
    hs_free_database(database);
    // RE2 must agree so spans and explanations can be recomputed outside Hyperscan; Latin-1 makes
    // it see bytes as Hyperscan does without HS_FLAG_UTF8.
    RE2::Options options;
    options.set_encoding(RE2::Options::EncodingLatin1);
    options.set_case_sensitive((spec.flags & HS_FLAG_CASELESS) == 0);
    options.set_log_errors(false);
    const RE2 re2(spec.expression, options);
    if (!re2.ok()) {
        return "pattern '" + std::string(written) +
               "' is rejected by RE2 (Hyperscan accepts it; use syntax both support): " + re2.error();
    }
    return std::nullopt;
}

}  // namespace signalmon::rules
