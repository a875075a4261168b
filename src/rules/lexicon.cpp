// The WordNet lexicon: the embedded data file, its in-place index, morphy and inflection.
#include "rules/lexicon.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <iterator>
#include <span>
#include <stdexcept>
#include <utility>

// The data file's bytes, embedded by the assembler (src/CMakeLists.txt passes its absolute path and
// keeps this file out of unity batches so that the symbols are defined once).
#ifndef SIGNALMON_LEXICON_FILE  // always defined by the build; this is for tools that read the source alone
#define SIGNALMON_LEXICON_FILE "data/lexicon/wordnet-lexicon.txt"
#endif
asm(".pushsection .rodata.signalmon_lexicon, \"a\"\n"
    ".p2align 4\n"
    ".globl signalmon_lexicon\n"
    ".hidden signalmon_lexicon\n"
    "signalmon_lexicon:\n"
    ".incbin \"" SIGNALMON_LEXICON_FILE
    "\"\n"
    "signalmon_lexicon_end:\n"
    ".byte 0\n"
    ".p2align 3\n"
    ".globl signalmon_lexicon_size\n"
    ".hidden signalmon_lexicon_size\n"
    "signalmon_lexicon_size:\n"
    ".quad signalmon_lexicon_end - signalmon_lexicon\n"
    ".popsection\n");
extern "C" const char signalmon_lexicon[];
extern "C" const std::uint64_t signalmon_lexicon_size;

namespace signalmon::rules {

namespace {

// Bumped when the generation below changes, so that version() changes with it.
constexpr std::string_view k_generation_revision = "lexicon-generation-2\n";

// The first field of the line at offset: up to a space or the end of the line.
std::string_view field_at(std::string_view text, std::size_t offset) {
    std::size_t end = offset;
    while (end < text.size() && text[end] != ' ' && text[end] != '\n') ++end;
    return text.substr(offset, end - offset);
}

std::string_view line_at(std::string_view text, std::size_t offset) {
    const std::size_t end = text.find('\n', offset);
    return text.substr(offset, (end == std::string_view::npos ? text.size() : end) - offset);
}

std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    while (!line.empty()) {
        const std::size_t space = line.find(' ');
        if (space != 0) out.push_back(line.substr(0, space));
        if (space == std::string_view::npos) break;
        line.remove_prefix(space + 1);
    }
    return out;
}

// Binary search over line offsets sorted by their first field.
std::uint32_t const* find_line(std::string_view text, const std::vector<std::uint32_t>& lines, std::string_view word) {
    const auto it =
        std::lower_bound(lines.begin(), lines.end(), word,
                         [text](std::uint32_t offset, std::string_view w) { return field_at(text, offset) < w; });
    if (it == lines.end() || field_at(text, *it) != word) return nullptr;
    return &*it;
}

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }
bool is_consonant(char c) { return c >= 'a' && c <= 'z' && !is_vowel(c); }

// Ends consonant-vowel-consonant, the last not w, x or y ("qu" counts as a consonant): stop, travel.
bool ends_cvc(std::string_view w) {
    const std::size_t n = w.size();
    if (n < 3) return false;
    const char last = w[n - 1];
    if (!is_consonant(last) || last == 'w' || last == 'x' || last == 'y' || !is_vowel(w[n - 2])) return false;
    return is_consonant(w[n - 3]) || (n >= 4 && w[n - 3] == 'u' && w[n - 4] == 'q');
}

int syllables(std::string_view w) {
    int groups = 0;
    bool in_vowels = false;
    for (std::size_t i = 0; i < w.size(); ++i) {
        const bool vowel = is_vowel(w[i]) || (w[i] == 'y' && i > 0);
        if (vowel && !in_vowels) ++groups;
        in_vowels = vowel;
    }
    return groups;
}

// Consonant doubling before -ed/-ing: always for one syllable (stop → stopped), and for a final l
// both ways (travelled, traveled); other stressed endings (refer → referred) are in verb.exc.
enum class Doubling { none, only, both };
Doubling doubling(std::string_view verb) {
    if (!ends_cvc(verb)) return Doubling::none;
    if (syllables(verb) == 1) return Doubling::only;
    return verb.back() == 'l' ? Doubling::both : Doubling::none;
}

bool ends_with_any(std::string_view w, std::initializer_list<std::string_view> endings) {
    return std::ranges::any_of(endings, [w](std::string_view e) { return w.ends_with(e); });
}

bool consonant_y(std::string_view w) { return w.size() >= 2 && w.back() == 'y' && is_consonant(w[w.size() - 2]); }
bool consonant_o(std::string_view w) { return w.size() >= 2 && w.back() == 'o' && is_consonant(w[w.size() - 2]); }

std::string cat(std::string_view a, std::string_view b) {
    std::string out(a);
    out += b;
    return out;
}

// -s for nouns and verbs alike.
void add_s(std::string_view w, std::vector<std::string>& out) {
    if (ends_with_any(w, {"s", "x", "z", "ch", "sh"})) {
        out.push_back(cat(w, "es"));
    } else if (consonant_y(w)) {
        out.push_back(cat(w.substr(0, w.size() - 1), "ies"));
    } else if (consonant_o(w)) {
        out.push_back(cat(w, "s"));
        out.push_back(cat(w, "es"));
    } else {
        out.push_back(cat(w, "s"));
    }
}

// WordNet's morphy detachment rules (morph.c): suffix → ending.
struct Detachment {
    std::string_view suffix, ending;
};
constexpr std::array k_noun_rules{Detachment{"s", ""},      Detachment{"ses", "s"},   Detachment{"xes", "x"},
                                  Detachment{"zes", "z"},   Detachment{"ches", "ch"}, Detachment{"shes", "sh"},
                                  Detachment{"men", "man"}, Detachment{"ies", "y"}};
constexpr std::array k_verb_rules{Detachment{"s", ""},    Detachment{"ies", "y"}, Detachment{"es", "e"},
                                  Detachment{"es", ""},   Detachment{"ed", "e"},  Detachment{"ed", ""},
                                  Detachment{"ing", "e"}, Detachment{"ing", ""}};

std::vector<std::string> detach(std::string_view word, char pos) {
    std::vector<std::string> out;
    if (pos == 'n' && (word.size() <= 2 || word.ends_with("ss"))) return out;  // morphy leaves these alone
    for (const Detachment& rule :
         pos == 'n' ? std::span<const Detachment>(k_noun_rules) : std::span<const Detachment>(k_verb_rules)) {
        if (word.size() > rule.suffix.size() && word.ends_with(rule.suffix)) {
            out.push_back(cat(word.substr(0, word.size() - rule.suffix.size()), rule.ending));
        }
    }
    return out;
}

enum class Slot { s, ed, ing };
struct Candidate {
    std::string form;
    Slot slot;
};

// The regular inflections of a lemma by spelling rules alone. stem_is_verb tells whether the verb
// minus a final e is itself a verb inflected plainly (singe → singeing, since singing is sing's).
std::vector<Candidate> regular(std::string_view lemma, char pos, bool stem_is_plain_verb) {
    std::vector<Candidate> out;
    out.reserve(8);  // -s forms, then -ed and -ing ones: a handful
    std::vector<std::string> s;
    add_s(lemma, s);
    if (pos == 'n' && lemma.ends_with("man") && lemma.size() > 3)
        s.push_back(cat(lemma.substr(0, lemma.size() - 3), "men"));
    for (std::string& form : s) out.push_back({std::move(form), Slot::s});
    if (pos != 'v') return out;
    const std::string_view all_but_last = lemma.substr(0, lemma.size() - 1);
    const Doubling twice = doubling(lemma);
    const std::string doubled = cat(lemma, lemma.substr(lemma.size() - 1));
    if (lemma.ends_with('e')) {
        out.push_back({cat(lemma, "d"), Slot::ed});
    } else if (consonant_y(lemma)) {
        out.push_back({cat(all_but_last, "ied"), Slot::ed});
    } else {
        if (twice != Doubling::only) out.push_back({cat(lemma, "ed"), Slot::ed});
        if (twice != Doubling::none) out.push_back({cat(doubled, "ed"), Slot::ed});
    }
    if (lemma.ends_with("ie")) {
        out.push_back({cat(lemma.substr(0, lemma.size() - 2), "ying"), Slot::ing});
    } else if (ends_with_any(lemma, {"ee", "oe", "ye"}) || (lemma.ends_with('e') && stem_is_plain_verb)) {
        out.push_back({cat(lemma, "ing"), Slot::ing});
    } else if (lemma.ends_with('e') && lemma.size() > 2) {
        out.push_back({cat(all_but_last, "ing"), Slot::ing});
    } else {
        if (twice != Doubling::only) out.push_back({cat(lemma, "ing"), Slot::ing});
        if (twice != Doubling::none) out.push_back({cat(doubled, "ing"), Slot::ing});
    }
    return out;
}

Slot slot_of(std::string_view irregular) {
    if (irregular.ends_with("ing")) return Slot::ing;
    return irregular.ends_with('s') ? Slot::s : Slot::ed;
}

struct SectionLines {
    std::vector<std::uint32_t>* lemmas;
    std::vector<std::uint32_t>* noun_exceptions;
    std::vector<std::uint32_t>* verb_exceptions;
    std::vector<std::uint32_t>* function_words;
};

std::vector<std::uint32_t>* section_lines(std::string_view header, const SectionLines& sections) {
    if (header == "[lemmas]") return sections.lemmas;
    if (header == "[noun.exc]") return sections.noun_exceptions;
    if (header == "[verb.exc]") return sections.verb_exceptions;
    if (header == "[function]") return sections.function_words;
    return nullptr;
}

}  // namespace

const Lexicon& Lexicon::shared() {
    static const Lexicon lexicon(std::string_view(signalmon_lexicon, signalmon_lexicon_size), Embedded{});
    return lexicon;
}

Lexicon::Lexicon(std::string_view data) : owned_(data) { index(); }

Lexicon::Lexicon(std::string_view data, Embedded) : embedded_(data) { index(); }

void Lexicon::index() {
    const std::string_view data = text();
    if (data.size() > UINT32_MAX) throw std::invalid_argument("lexicon data is larger than 4 GiB");
    std::vector<std::uint32_t>* section = nullptr;
    const SectionLines sections{&lemmas_, &noun_exceptions_, &verb_exceptions_, &function_words_};
    lemmas_.reserve(data.size() / 14);
    for (std::size_t at = 0; at < data.size();) {
        std::size_t end = data.find('\n', at);
        if (end == std::string_view::npos) end = data.size();
        const std::string_view line = data.substr(at, end - at);
        if (line.starts_with('[')) {
            section = section_lines(line, sections);
        } else if (section != nullptr && !line.empty() && !line.starts_with('#') && !line.starts_with(' ')) {
            section->push_back(static_cast<std::uint32_t>(at));
        }
        at = end + 1;
    }
    lemmas_.shrink_to_fit();
    const auto by_field = [data](std::uint32_t a, std::uint32_t b) { return field_at(data, a) < field_at(data, b); };
    for (auto* lines : {&lemmas_, &noun_exceptions_, &verb_exceptions_, &function_words_}) {
        if (!std::ranges::is_sorted(*lines, by_field)) std::ranges::stable_sort(*lines, by_field);
    }
    const auto reverse = [data](const std::vector<std::uint32_t>& lines, std::vector<Irregular>& out) {
        for (const std::uint32_t line : lines) {
            std::size_t at = line + field_at(data, line).size();
            while (at < data.size() && data[at] == ' ') {
                ++at;
                out.push_back({static_cast<std::uint32_t>(at), line});
                at += field_at(data, at).size();
            }
        }
        std::ranges::sort(out, [data](const Irregular& a, const Irregular& b) {
            return std::pair(field_at(data, a.lemma), a.line) < std::pair(field_at(data, b.lemma), b.line);
        });
    };
    reverse(noun_exceptions_, noun_irregulars_);
    reverse(verb_exceptions_, verb_irregulars_);
    std::array<char, 17> hex{};
    std::snprintf(hex.data(), hex.size(), "%016llx",
                  static_cast<unsigned long long>(fnv1a(fnv1a(0xcbf29ce484222325ULL, k_generation_revision), data)));
    version_ = hex.data();
}

std::string_view Lexicon::version() const { return version_; }

bool Lexicon::is_function_word(std::string_view word) const {
    return find_line(text(), function_words_, word) != nullptr;
}

std::string_view Lexicon::lemma_line(std::string_view word) const {
    const std::uint32_t* line = find_line(text(), lemmas_, word);
    return line == nullptr ? std::string_view() : line_at(text(), *line);
}

bool Lexicon::is_lemma(std::string_view word, char pos) const {
    const std::string_view line = lemma_line(word);
    if (line.empty()) return false;
    const std::vector<std::string_view> parts = fields(line);
    return parts.size() >= 2 && parts[1].find(pos) != std::string_view::npos;
}

std::vector<std::string_view> Lexicon::exception_lemmas(std::string_view form, char pos) const {
    const std::uint32_t* line = find_line(text(), pos == 'n' ? noun_exceptions_ : verb_exceptions_, form);
    if (line == nullptr) return {};
    std::vector<std::string_view> parts = fields(line_at(text(), *line));
    parts.erase(parts.begin());
    return parts;
}

std::vector<std::string_view> Lexicon::irregular_forms(std::string_view lemma, char pos) const {
    const std::string_view data = text();
    const std::vector<Irregular>& list = pos == 'n' ? noun_irregulars_ : verb_irregulars_;
    auto it = std::ranges::lower_bound(list, lemma, {}, [data](const Irregular& i) { return field_at(data, i.lemma); });
    std::vector<std::string_view> out;
    for (; it != list.end() && field_at(data, it->lemma) == lemma; ++it) out.push_back(field_at(data, it->line));
    return out;
}

// The inflections of lemma as part of speech pos: its irregular forms from WordNet's exception list
// and the regular ones, except a regular form that is another word's (an exception form of another
// lemma, or when the lemma is irregular in that slot, another lemma's regular form: sing's "singed"
// is singe's, since sing's past is sang).
std::vector<std::string> Lexicon::inflections(std::string_view lemma, char pos) const {
    const std::vector<std::string_view> irregular = irregular_forms(lemma, pos);
    const auto plain_verb = [this](std::string_view verb) {
        return verb.size() > 1 && verb.ends_with('e') && is_lemma(verb.substr(0, verb.size() - 1), 'v') &&
               doubling(verb.substr(0, verb.size() - 1)) != Doubling::only;
    };
    std::vector<std::string> out(irregular.begin(), irregular.end());
    for (Candidate& candidate : regular(lemma, pos, pos == 'v' && plain_verb(lemma))) {
        const std::vector<std::string_view> owners = exception_lemmas(candidate.form, pos);
        if (!owners.empty() && std::ranges::find(owners, lemma) == owners.end()) continue;
        const bool irregular_slot =
            std::ranges::any_of(irregular, [&](std::string_view f) { return slot_of(f) == candidate.slot; });
        const auto anothers = [&](const std::string& other) {
            if (other == lemma || !is_lemma(other, pos)) return false;
            return std::ranges::any_of(regular(other, pos, pos == 'v' && plain_verb(other)),
                                       [&](const Candidate& c) { return c.form == candidate.form; });
        };
        // With an irregular form in the slot, a regular candidate that is a word of its own is not
        // this lemma's (see → saw, so "seed" is the noun or verb seed).
        if (irregular_slot && (is_lemma(candidate.form, 'n') || is_lemma(candidate.form, 'v') ||
                               std::ranges::any_of(detach(candidate.form, pos), anothers))) {
            continue;
        }
        out.push_back(std::move(candidate.form));
    }
    return out;
}

// morphy, per part of speech (nouns and verbs): the word if it is a lemma, else the lemmas of an
// exception form, else the lemmas its detachment rules give, kept only if inflecting them gives the
// word back ("hoped" is hope's, not hop's); adjectives and adverbs as lemmas only. Unlike WordNet's
// morphy, a word that is a lemma itself is not also taken as an exception form: a rule's "found"
// or "saw" means that verb, not find or see.
std::string Lexicon::parts_of_speech(std::string_view word) const {
    std::string out;
    for (const char pos : {'n', 'v'}) {
        bool reads = is_lemma(word, pos) || !exception_lemmas(word, pos).empty();
        for (const std::string& base : reads ? std::vector<std::string>{} : detach(word, pos)) {
            if (!is_lemma(base, pos)) continue;
            const std::vector<std::string> back = inflections(base, pos);
            reads = reads || std::ranges::find(back, word) != back.end();
        }
        if (reads) out += pos;
    }
    if (is_lemma(word, 'a')) out += 'a';
    if (is_lemma(word, 'r')) out += 'r';
    return out;
}

// The lemmas of the word read as part of speech pos (morphy, as in lemmas_of).
std::vector<std::string> Lexicon::lemmas_as(std::string_view word, char pos) const {
    if (is_lemma(word, pos)) return {std::string(word)};
    std::vector<std::string> out;
    for (const std::string_view lemma : exception_lemmas(word, pos)) out.emplace_back(lemma);
    if (!out.empty()) return out;
    for (std::string& base : detach(word, pos)) {
        if (!is_lemma(base, pos)) continue;
        const std::vector<std::string> back = inflections(base, pos);
        if (std::ranges::find(back, word) != back.end()) out.push_back(std::move(base));
    }
    return out;
}

bool Lexicon::names_a_thing(std::string_view word) const {
    return std::ranges::any_of(lemmas_as(word, 'n'), [this](const std::string& lemma) {
        const std::vector<std::string_view> parts = fields(lemma_line(lemma));
        return parts.size() >= 2 && parts[1].find('c') != std::string_view::npos;
    });
}

std::vector<std::string> Lexicon::lemmas_of(std::string_view word) const {
    std::vector<std::string> out = lemmas_as(word, 'n');
    for (std::string& lemma : lemmas_as(word, 'v')) out.push_back(std::move(lemma));
    if (is_lemma(word, 'a') || is_lemma(word, 'r')) out.emplace_back(word);
    return out;
}

std::vector<std::string> Lexicon::forms(std::string_view word) const {
    std::vector<std::string> out{std::string(word)};
    if (word.empty() || is_function_word(word)) return out;
    std::vector<std::string> lemmas = lemmas_of(word);
    if (lemmas.empty()) {
        out.push_back(cat(word, "s"));
        return out;
    }
    // Spelling variants, nominalizations and a place's other names, and theirs (nationalize →
    // nationalisation; china → chinese, beijing).
    for (std::size_t i = 0; i < lemmas.size() && lemmas.size() < 64; ++i) {
        const std::vector<std::string_view> parts = fields(lemma_line(lemmas[i]));
        for (std::size_t f = 2; f < parts.size(); ++f) {
            const std::string_view linked = parts[f].substr(1);
            const bool linking = parts[f][0] == '~' || parts[f][0] == '+' || parts[f][0] == '=';
            if (linking && std::ranges::find(lemmas, linked) == lemmas.end()) {
                lemmas.emplace_back(linked);
            }
        }
    }
    for (const std::string& lemma : lemmas) {
        out.push_back(lemma);
        for (const char pos : {'n', 'v'}) {
            if (!is_lemma(lemma, pos)) continue;
            std::vector<std::string> inflected = inflections(lemma, pos);
            std::ranges::move(inflected, std::back_inserter(out));
        }
    }
    std::sort(out.begin() + 1, out.end());
    out.erase(std::unique(out.begin() + 1, out.end()), out.end());
    if (const auto self = std::find(out.begin() + 1, out.end(), out.front()); self != out.end()) out.erase(self);
    return out;
}

}  // namespace signalmon::rules
