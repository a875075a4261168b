// Pattern translation (phrase → literal or regex) and per-pattern validation in Hyperscan and RE2.
#include "rules/pattern.hpp"

#include <hs/hs.h>
#include <re2/re2.h>

#include <memory>
#include <vector>

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
                return std::unexpected("'*' is only allowed at the end of a word, in phrase '" +
                                       std::string(written) + "'");
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

PatternSpec phrase_spec(const std::vector<Word>& words) {
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

}  // namespace

std::string PatternSpec::key() const {
    std::string key;
    key += engine == PatternEngine::literal ? 'L' : 'R';
    key += std::to_string(flags);
    key += check_left ? '<' : '-';
    key += check_right ? '>' : '-';
    key += ':';
    key += expression;
    return key;
}

std::expected<PatternSpec, std::string> translate_pattern(std::string_view written) {
    if (written.empty()) {
        return std::unexpected(std::string("empty pattern"));
    }
    if (written.front() != '/') {
        auto words = split_phrase(written);
        if (!words) {
            return std::unexpected(std::move(words.error()));
        }
        return phrase_spec(*words);
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
        return "pattern '" + std::string(written) + "' is rejected by RE2 (Hyperscan accepts it; use syntax both support): " +
               re2.error();
    }
    return std::nullopt;
}

}  // namespace signalmon::rules
