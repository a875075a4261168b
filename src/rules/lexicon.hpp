// Word forms from WordNet, so that a rule phrase matches a word's inflections, British/American
// spellings and nominalizations. The data (data/lexicon/wordnet-lexicon.txt, written by
// scripts/make_lexicon.py) is embedded in the binary and indexed in place: sorted line offsets,
// binary-searched, no map of strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::rules {

// Word forms from WordNet: inflections, British/American spellings and nominalizations.
class Lexicon {
public:
    static const Lexicon& shared();           // the lexicon built into the binary (parsed once, thread-safe)
    explicit Lexicon(std::string_view data);  // parses the data file's text (for tests)
    // Every surface form that means the same word as `word` (lower-case ASCII input), the word
    // itself first, the rest sorted, no duplicates. Generation: lemmas of `word` by WordNet's morphy
    // (exception lists, then its detachment rules checked against the lemma list), then each lemma's
    // spelling variants and nominalizations, then every inflection of each (nouns: plural; verbs:
    // -s, -ed, -ing with WordNet exceptions and the usual e-drop / consonant-doubling / y→i rules;
    // over-generating an impossible spelling is harmless, generating a different real word is not).
    std::vector<std::string> forms(std::string_view word) const;
    bool is_function_word(std::string_view word) const;
    // How the word can read: 'n' (a noun or its plural), 'v' (a verb or one of its forms), 'a'
    // (adjective), 'r' (adverb), in that order; "" for a word WordNet does not know.
    std::string parts_of_speech(std::string_view word) const;
    // Whether a noun reading of the word names something one can point at (a thing, place, group,
    // person or possession: "turbine", "campus", "tariff") in its commonest sense, rather than an
    // act, event, state or idea ("outcome", "attempt"), which says little without its phrase.
    bool names_a_thing(std::string_view word) const;
    // Identifies the data for cache keys: a hash of the embedded data's bytes.
    std::string_view version() const;

private:
    struct Embedded {};
    Lexicon(std::string_view data, Embedded);
    void index();
    std::string_view text() const { return owned_.empty() ? embedded_ : std::string_view(owned_); }

    // Lookups; P is 'n' or 'v' where a part of speech is asked for.
    std::string_view lemma_line(std::string_view word) const;  // "" if not a lemma
    bool is_lemma(std::string_view word, char pos) const;
    std::vector<std::string_view> exception_lemmas(std::string_view form, char pos) const;
    std::vector<std::string_view> irregular_forms(std::string_view lemma, char pos) const;
    std::vector<std::string> inflections(std::string_view lemma, char pos) const;
    std::vector<std::string> lemmas_of(std::string_view word) const;
    std::vector<std::string> lemmas_as(std::string_view word, char pos) const;

    struct Irregular {
        std::uint32_t lemma;  // offset of the lemma field in an exception line
        std::uint32_t line;   // offset of that line
    };
    std::string owned_;
    std::string_view embedded_;
    std::vector<std::uint32_t> lemmas_;  // line offsets, sorted by their first field
    std::vector<std::uint32_t> noun_exceptions_, verb_exceptions_, function_words_;
    std::vector<Irregular> noun_irregulars_, verb_irregulars_;  // sorted by lemma
    std::string version_;
};

}  // namespace signalmon::rules
