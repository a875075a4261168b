// Brief lines → signals: concepts found through the lexicon, specific terms ranked by how rare
// they are in ordinary news, groups joined by `near`; then calibration on real stories.
#include "brief/compiler.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <unordered_set>

#include "brief/calibrate.hpp"
#include "rules/compile.hpp"
#include "rules/lexicon.hpp"
#include "text/fold.hpp"

namespace signalmon::brief {
namespace {

// Words an analyst's line uses to hedge, qualify or connect, which a news story rarely repeats:
// never a term, and they end a noun-phrase chunk.
const std::set<std::string, std::less<>> k_analyst_words{
    "able",       "about",      "above",      "across",       "actual",       "actually",   "additional", "after",
    "again",      "against",    "all",        "already",      "also",         "although",   "among",      "another",
    "any",        "because",    "before",     "being",        "between",      "both",       "broad",      "can",
    "cannot",     "certain",    "clear",      "closer",       "comparable",   "could",      "despite",    "due",
    "during",     "each",       "early",      "effectively",  "either",       "enough",     "even",       "evidence",
    "explicitly", "extreme",    "far",        "few",          "fully",        "further",    "however",    "implies",
    "including",  "indicating", "instead",    "into",         "less",         "like",       "likely",     "main",
    "many",       "may",        "meaningful", "meaningfully", "might",        "more",       "most",       "much",
    "must",       "near",       "next",       "no",           "not",          "now",        "often",      "once",
    "only",       "other",      "otherwise",  "over",         "per",          "persistent", "possible",   "primary",
    "publicly",   "rather",     "real",       "really",       "same",         "several",    "should",     "significant",
    "since",      "some",       "such",       "suggesting",   "sufficient",   "than",       "that",       "their",
    "them",       "then",       "there",      "these",        "they",         "this",       "those",      "through",
    "thus",       "tied",       "today",      "too",          "toward",       "towards",    "under",      "until",
    "upon",       "very",       "via",        "what",         "when",         "where",      "whether",    "which",
    "while",      "who",        "whose",      "why",          "will",         "within",     "without",    "would",
    "yet",        "emergence",  "rising",     "growing",      "increasingly", "broader",    "wider",      "summary",
    "way",        "ways",       "thing",      "things",       "kind",         "part",       "set",        "lot",
};

// Concepts that name who acts rather than what happens.
const std::set<std::string, std::less<>> k_actor_concepts{"government", "regulator", "regulation"};

// Concepts that name a topic rather than an action: part of a brief's `about` when its lines use them.
const std::set<std::string, std::less<>> k_topic_concepts{"compute", "ai-model", "procurement", "trading"};

// Stories that argue or deny rather than report: no drafted signal counts them (brief `unless`).
constexpr std::string_view k_opinion_concept = "opinion";

// Concepts that turn a line against its thesis: a kill line with one is drafted around it.
const std::set<std::string, std::less<>> k_negative_concepts{"fail",   "rarely",       "cancel",
                                                             "parity", "fall-sharply", "decrease"};

// One word of a brief line, with how it can read.
enum class Role { skipped, noun, modifier, action };

struct Token {
    std::string text;
    Role role = Role::noun;
    bool covered = false;  // part of a concept's phrase
    bool starts_chunk = false;
};

// Nouns and words WordNet does not know (names, acronyms) make noun phrases; adjectives modify
// them; a word that reads only as a verb is an action; adverbs and function words are skipped.
Role role_of(const std::string& word) {
    const rules::Lexicon& lexicon = rules::Lexicon::shared();
    if (lexicon.is_function_word(word) || k_analyst_words.contains(word) || word.size() < 2 ||
        std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return Role::skipped;
    }
    const std::string pos = lexicon.parts_of_speech(word);
    if (pos.empty()) return Role::noun;
    const bool noun = pos.find('n') != std::string::npos;
    const bool verb = pos.find('v') != std::string::npos;
    const bool participle = verb && (word.ends_with("ing") || word.ends_with("ed"));
    if (noun && !participle) return Role::noun;
    if (verb) return Role::action;
    if (pos.find('a') != std::string::npos) return Role::modifier;
    return Role::skipped;  // an adverb
}

std::vector<Token> tokens_of(std::string_view line) {
    std::vector<Token> tokens;
    std::string word;
    bool pending_break = true;
    const auto flush = [&] {
        if (word.empty()) return;
        tokens.push_back({word, role_of(word), false, pending_break});
        pending_break = false;
        word.clear();
    };
    const std::string folded = text::fold(line).text;
    for (const char c : folded) {
        const auto byte = static_cast<unsigned char>(c);
        if (text::is_word_byte(byte)) {
            word.push_back(byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte - 'A' + 'a') : c);
            continue;
        }
        flush();
        if (c != ' ' && c != '\'') pending_break = true;  // punctuation ends a chunk; a hyphen folds to ' '
    }
    flush();
    return tokens;
}

// A concept pattern's words, for finding it in a line: each word's lexicon forms, or a prefix.
struct PatternWords {
    std::vector<std::unordered_set<std::string>> forms;
    std::vector<std::string> prefixes;  // non-empty where the word ends with '*'
};

PatternWords pattern_words(std::string_view pattern) {
    PatternWords out;
    if (pattern.starts_with('/')) return out;  // regexes are for matching, not for reading lines
    const bool exact = pattern.starts_with('=');
    std::string text(exact ? pattern.substr(1) : pattern);
    std::string word;
    const auto flush = [&] {
        if (word.empty()) return;
        const bool prefix = word.back() == '*';
        if (prefix) word.pop_back();
        std::unordered_set<std::string> forms;
        if (!prefix) {
            for (std::string& form : exact ? std::vector<std::string>{word} : rules::Lexicon::shared().forms(word)) {
                forms.insert(std::move(form));
            }
        }
        out.forms.push_back(std::move(forms));
        out.prefixes.push_back(prefix ? word : std::string());
        word.clear();
    };
    for (const char c : text::fold(text).text) {
        const auto byte = static_cast<unsigned char>(c);
        if (text::is_word_byte(byte) || c == '*') {
            word.push_back(byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte - 'A' + 'a') : c);
        } else {
            flush();
        }
    }
    flush();
    return out;
}

bool matches_at(const PatternWords& words, const std::vector<Token>& tokens, std::size_t at) {
    if (words.forms.empty() || at + words.forms.size() > tokens.size()) return false;
    for (std::size_t i = 0; i < words.forms.size(); ++i) {
        const std::string& token = tokens[at + i].text;
        const bool ok =
            words.prefixes[i].empty() ? words.forms[i].contains(token) : token.starts_with(words.prefixes[i]);
        if (!ok) return false;
    }
    return true;
}

struct FoundConcept {
    std::string name;
    std::size_t at = 0;
    std::size_t length = 0;
};

// The concept library read once per brief: every pattern's words with their lexicon forms, by
// concept name (sorted: unordered_map order must not decide a draft).
using ConceptWords = std::vector<std::pair<std::string, std::vector<PatternWords>>>;

ConceptWords concept_words(const std::unordered_map<std::string, rules::Concept>* library) {
    ConceptWords out;
    if (library == nullptr) return out;
    for (const auto& [name, concept_] : *library) {
        std::vector<PatternWords> patterns;
        patterns.reserve(concept_.patterns.size());
        for (const std::string& pattern : concept_.patterns) patterns.push_back(pattern_words(pattern));
        out.emplace_back(name, std::move(patterns));
    }
    std::ranges::sort(out, {}, &ConceptWords::value_type::first);
    return out;
}

// Concepts the line expresses, in line order; overlapping finds keep the longest phrase.
std::vector<FoundConcept> find_concepts(std::vector<Token>& tokens, const ConceptWords& library) {
    std::vector<FoundConcept> found;
    for (const auto& [name, patterns] : library) {
        for (const PatternWords& words : patterns) {
            for (std::size_t at = 0; at < tokens.size(); ++at) {
                if (matches_at(words, tokens, at)) found.push_back({name, at, words.forms.size()});
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const FoundConcept& a, const FoundConcept& b) {
        return a.length != b.length ? a.length > b.length : a.at < b.at;
    });
    std::vector<FoundConcept> kept;
    for (const FoundConcept& concept_ : found) {
        const bool overlaps = std::ranges::any_of(kept, [&](const FoundConcept& other) {
            return concept_.at < other.at + other.length && other.at < concept_.at + concept_.length;
        });
        const bool repeated =
            std::ranges::any_of(kept, [&](const FoundConcept& other) { return other.name == concept_.name; });
        if (overlaps) continue;
        for (std::size_t i = 0; i < concept_.length; ++i) tokens[concept_.at + i].covered = true;
        if (!repeated) kept.push_back(concept_);
    }
    std::sort(kept.begin(), kept.end(), [](const FoundConcept& a, const FoundConcept& b) { return a.at < b.at; });
    return kept;
}

// Noun phrases: runs of modifiers and nouns, ended by anything else.
std::vector<std::vector<std::string>> noun_phrases(const std::vector<Token>& tokens) {
    std::vector<std::vector<std::string>> phrases;
    std::vector<std::string> current;
    const auto close = [&] {
        // A phrase ends with its head noun: trailing modifiers belong to nothing.
        while (!current.empty() && role_of(current.back()) == Role::modifier) current.pop_back();
        if (!current.empty()) phrases.push_back(std::move(current));
        current.clear();
    };
    for (const Token& token : tokens) {
        const bool in_phrase = !token.covered && (token.role == Role::noun || token.role == Role::modifier);
        if (!in_phrase || token.starts_chunk) close();
        if (in_phrase) current.push_back(token.text);
    }
    close();
    return phrases;
}

struct Term {
    std::string text;
    double share = 0;  // the rarest word's share: an upper bound on the phrase's own
};

double share_of(const WordShares* shares, std::string_view word) { return shares ? shares->share(word) : 0; }

// A noun phrase's terms: the phrase when short, the head with the word before it, the first two
// words; single words only when they are names or jargon (unknown to WordNet), or when the head
// names a thing (not an act or an idea: "turbines", not "outcomes") rarely named in ordinary news.
std::vector<Term> terms_of(const std::vector<std::string>& phrase, const WordShares* shares) {
    constexpr double k_specific_thing_share = 0.003;
    constexpr double k_rare_word_share = 0.0005;
    constexpr std::size_t k_min_single_word = 5;
    const rules::Lexicon& lexicon = rules::Lexicon::shared();
    std::vector<Term> terms;
    const auto add = [&](std::size_t from, std::size_t count) {
        std::string text;
        double rarest = 1;
        bool has_noun = false;
        for (std::size_t i = from; i < from + count; ++i) {
            text += (text.empty() ? "" : " ") + phrase[i];
            rarest = std::min(rarest, share_of(shares, phrase[i]));
            has_noun = has_noun || role_of(phrase[i]) == Role::noun;
        }
        if (!has_noun || rarest > k_max_term_share) return;
        if (std::ranges::find(terms, text, &Term::text) != terms.end()) return;
        terms.push_back({text, count == 1 ? rarest : rarest / 4});
    };
    const std::size_t size = phrase.size();
    if (size >= 2 && size <= 3) add(0, size);
    if (size >= 2) add(size - 2, 2);
    if (size >= 3) add(0, 2);
    for (std::size_t i = 0; i < size; ++i) {
        const std::string& word = phrase[i];
        const bool jargon = lexicon.parts_of_speech(word).empty() && word.size() >= 3;
        if (size == 1 ? jargon : (jargon && word.size() >= 4)) add(i, 1);
        if (i + 1 < size || word.size() < k_min_single_word || role_of(word) != Role::noun) continue;
        const double share = share_of(shares, word);
        if (share <= k_rare_word_share || (share <= k_specific_thing_share && lexicon.names_a_thing(word))) add(i, 1);
    }
    return terms;
}

bool is_phrase(const Term& term) { return term.text.find(' ') != std::string::npos; }

// The line's actions that no concept covers ("pausing", "relocating"): an action group of their own.
std::vector<std::string> actions_of(const std::vector<Token>& tokens, const WordShares* shares) {
    constexpr double k_max_action_share = 0.002;
    std::vector<std::string> actions;
    for (const Token& token : tokens) {
        if (token.role != Role::action || token.covered || token.text.size() < 5) continue;
        if (share_of(shares, token.text) > k_max_action_share) continue;
        if (std::ranges::find(actions, token.text) == actions.end()) actions.push_back(token.text);
    }
    return actions;
}

std::vector<std::string> texts_of(std::span<const Term> terms) {
    std::vector<std::string> out;
    for (const Term& term : terms) out.push_back(term.text);
    return out;
}

std::string unique_id(const Draft& draft, std::string id) {
    const std::string base = id;
    for (int n = 2; std::ranges::any_of(draft.signals, [&](const DraftSignal& s) { return s.id == id; }); ++n) {
        id = base + "-" + std::to_string(n);
    }
    return id;
}

// The brief's subject: nouns and names its title and at least two of its lines share ("ai",
// "compute", "grid"). A line that expresses a specific concept (nationalize, cancel…) is evidence
// when that concept meets the subject, even if the story names the line's object another way.
std::vector<std::string> subject_of(const DailyBrief& brief, const WordShares* shares) {
    constexpr double k_max_subject_share = 0.005;
    std::map<std::string, int> lines_with;
    std::vector<const std::string*> lines{&brief.title};
    for (const auto* part : {&brief.watchlist, &brief.confirm, &brief.kill}) {
        for (const std::string& line : *part) lines.push_back(&line);
    }
    for (const std::string* line : lines) {
        std::set<std::string> seen;
        for (const Token& token : tokens_of(*line)) {
            if (token.role == Role::noun && token.text.size() >= 2) seen.insert(token.text);
        }
        for (const std::string& word : seen) ++lines_with[word];
    }
    std::vector<std::string> subject;
    for (const auto& [word, count] : lines_with) {
        if (count >= 2 && share_of(shares, word) <= k_max_subject_share) subject.push_back(word);
    }
    return subject;
}

// The brief's topic: the phrases and jargon of its title, lines and other bullets (key takeaways,
// sections, unknowns: the analyst's own wider vocabulary for it), the names of things its lines use
// that ordinary news rarely does, the topic concepts they express and the things of the brief's subject. A story
// about the topic names two of these (`about_min`); one alone is no sign ("drops" and "comments"
// in a festival story are no kill evidence, nor is "plants" in a botany paper).
std::vector<std::string> topic_of(const DailyBrief& brief, const std::vector<std::string>& subject,
                                  const ConceptWords& library, const WordShares* shares) {
    constexpr double k_max_topic_share = 0.001;
    std::vector<std::string> about;
    const auto add = [&](std::string term) {
        if (std::ranges::find(about, term) == about.end()) about.push_back(std::move(term));
    };
    std::vector<const std::string*> lines{&brief.title};
    for (const auto* part : {&brief.watchlist, &brief.confirm, &brief.kill}) {
        for (const std::string& line : *part) lines.push_back(&line);
    }
    const std::size_t own_lines = lines.size();
    for (const std::string& line : brief.context) lines.push_back(&line);
    for (std::size_t at = 0; at < lines.size(); ++at) {
        const std::string* line = lines[at];
        // The other bullets lend their phrases and jargon only: their plain nouns range wider than
        // the thesis (measured: they doubled look-alike alarms on one held-out brief set).
        const bool context = at >= own_lines;
        std::vector<Token> tokens = tokens_of(*line);
        for (const FoundConcept& found : find_concepts(tokens, library)) {
            if (k_topic_concepts.contains(found.name)) add("@" + found.name);
        }
        for (const std::vector<std::string>& phrase : noun_phrases(tokens)) {
            for (Term& term : terms_of(phrase, shares)) {
                if (is_phrase(term) || rules::Lexicon::shared().parts_of_speech(term.text).empty()) {
                    add(std::move(term.text));
                }
            }
        }
        for (const Token& token : tokens) {
            const bool named = rules::Lexicon::shared().parts_of_speech(token.text).empty() ||
                               rules::Lexicon::shared().names_a_thing(token.text);
            if (!context && token.role == Role::noun && !token.covered && token.text.size() >= 4 && named &&
                share_of(shares, token.text) <= k_max_topic_share) {
                add(token.text);
            }
        }
    }
    for (const std::string& word : subject) {
        if (rules::Lexicon::shared().parts_of_speech(word).empty() || rules::Lexicon::shared().names_a_thing(word)) {
            add(word);
        }
    }
    return about;
}

void draft_line(Draft& draft, rules::Kind kind, const std::string& line, const std::vector<std::string>& subject,
                const ConceptWords& library, const CompilerInput& input) {
    constexpr std::size_t k_max_terms = 10;
    constexpr std::size_t k_max_concepts = 8;
    constexpr std::size_t k_max_phrase_pairs = 8;
    std::vector<Token> tokens = tokens_of(line);
    std::vector<FoundConcept> concepts = find_concepts(tokens, library);
    // A kill line's polarity (fail, rarely, cancel…) is what tells it from the confirm line on the
    // same objects: when it has one, its signals need it.
    const bool negative = kind == rules::Kind::kill && std::ranges::any_of(concepts, [](const FoundConcept& c) {
                              return k_negative_concepts.contains(c.name);
                          });
    if (negative) {
        std::erase_if(concepts, [](const FoundConcept& c) { return !k_negative_concepts.contains(c.name); });
    }
    // The line's objects: every noun phrase's terms, most specific first.
    std::vector<Term> objects;
    std::vector<std::vector<Term>> by_phrase;
    for (const std::vector<std::string>& phrase : noun_phrases(tokens)) {
        std::vector<Term> terms = terms_of(phrase, input.shares);
        if (terms.empty()) continue;
        for (const Term& term : terms) {
            if (std::ranges::find(objects, term.text, &Term::text) == objects.end()) objects.push_back(term);
        }
        by_phrase.push_back(std::move(terms));
    }
    std::stable_sort(objects.begin(), objects.end(), [](const Term& a, const Term& b) { return a.share < b.share; });
    if (objects.size() > k_max_terms) objects.resize(k_max_terms);
    const int weight = kind == rules::Kind::watch ? 1 : draft.threshold;
    const auto add_signal = [&](const std::string& id_words, std::vector<std::vector<std::string>> groups) {
        DraftSignal signal{unique_id(draft, std::string(rules::kind_name(kind)) + "-" + slug(id_words, 4)),
                           kind,
                           weight,
                           line,
                           std::move(groups),
                           k_draft_near,
                           {},
                           {}};
        draft.signals.push_back(std::move(signal));
    };
    if (objects.empty()) {
        if (concepts.size() >= 2) {
            add_signal(concepts[0].name + " " + concepts[1].name, {{"@" + concepts[0].name}, {"@" + concepts[1].name}});
        }
        return;
    }
    const std::vector<std::string> object_texts = texts_of(objects);
    std::vector<Term> phrases;
    std::ranges::copy_if(objects, std::back_inserter(phrases), is_phrase);
    const std::string& object_name = objects.front().text;
    for (std::size_t i = 0; i < concepts.size() && i < k_max_concepts; ++i) {
        // An actor (government, regulator) says little on its own: it goes with whole phrases only.
        const bool actor = k_actor_concepts.contains(concepts[i].name);
        if (actor && phrases.empty()) continue;
        std::vector<std::string> targets = actor ? texts_of(phrases) : object_texts;
        if (!actor) {
            for (const std::string& word : subject) {
                if (std::ranges::find(targets, word) == targets.end()) targets.push_back(word);
            }
        }
        add_signal(concepts[i].name + " " + object_name, {std::move(targets), {"@" + concepts[i].name}});
    }
    if (negative) return;
    // A watchlist line names what to keep an eye on more than an event: a story naming one of its
    // phrases ("capacity auction prices"), on the brief's topic, is watch evidence by itself.
    if (kind == rules::Kind::watch && !phrases.empty()) {
        add_signal(phrases.front().text, {texts_of(phrases)});
    }
    if (const std::vector<std::string> actions = actions_of(tokens, input.shares); !actions.empty()) {
        add_signal(actions.front() + " " + object_name, {object_texts, actions});
    }
    // Two noun phrases of the line, actor and object, may carry it without any action word.
    const auto specific = [](const std::vector<Term>& terms) { return std::ranges::any_of(terms, is_phrase); };
    for (std::size_t i = 0; i < by_phrase.size() && i < k_max_phrase_pairs; ++i) {
        for (std::size_t k = i + 1; k < by_phrase.size() && k < k_max_phrase_pairs; ++k) {
            if (!specific(by_phrase[i]) || !specific(by_phrase[k])) continue;
            add_signal(by_phrase[i].front().text + " " + by_phrase[k].front().text,
                       {texts_of(by_phrase[i]), texts_of(by_phrase[k])});
        }
    }
    // Two actions or conditions together ("extend" and "restrict") say it as well as an object.
    for (std::size_t i = 0; i < concepts.size() && i < k_max_concepts; ++i) {
        for (std::size_t k = i + 1; k < concepts.size() && k < k_max_concepts; ++k) {
            if (k_actor_concepts.contains(concepts[i].name) || k_actor_concepts.contains(concepts[k].name)) continue;
            add_signal(concepts[i].name + " " + concepts[k].name, {{"@" + concepts[i].name}, {"@" + concepts[k].name}});
        }
    }
}

void append_list(std::string& out, const std::vector<std::string>& items) {
    out += "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_quoted(items[i]);
    out += "]";
}

// A confirm signal about the same objects as a kill signal built on a negative concept ("rarely
// demand open weights") steps aside when that concept is in the story: the story is the kill.
void veto_opposites(Draft& draft) {
    for (const DraftSignal& kill : draft.signals) {
        if (kill.kind != rules::Kind::kill || kill.groups.size() < 2 || kill.groups[1].size() != 1) continue;
        const std::string& concept_ref = kill.groups[1].front();
        if (!concept_ref.starts_with('@') || !k_negative_concepts.contains(concept_ref.substr(1))) continue;
        for (DraftSignal& confirm : draft.signals) {
            if (confirm.kind != rules::Kind::confirm) continue;
            const bool shared = std::ranges::any_of(confirm.groups.front(), [&](const std::string& term) {
                return std::ranges::find(kill.groups.front(), term) != kill.groups.front().end() &&
                       std::ranges::find(draft.subject, term) == draft.subject.end();
            });
            if (shared && std::ranges::find(confirm.unless, concept_ref) == confirm.unless.end()) {
                confirm.unless.push_back(concept_ref);
            }
        }
    }
}

}  // namespace

Draft compile_brief(const DailyBrief& brief, const CompilerInput& input) {
    Draft draft;
    draft.brief_id = brief_id(brief);
    for (const char c : brief.title) draft.title += c == '-' ? ' ' : c;
    draft.source = brief.publication + " Daily Brief, issue " + std::to_string(brief.issue) + ", " + brief.date;
    draft.date = brief.date;
    const std::pair<const std::vector<std::string>*, rules::Kind> parts[] = {{&brief.watchlist, rules::Kind::watch},
                                                                             {&brief.confirm, rules::Kind::confirm},
                                                                             {&brief.kill, rules::Kind::kill}};
    draft.subject = subject_of(brief, input.shares);
    const std::vector<std::string>& subject = draft.subject;
    const ConceptWords library = concept_words(input.concepts);
    for (const auto& [lines, kind] : parts) {
        for (const std::string& line : *lines) {
            draft_line(draft, kind, line, subject, library, input);
            draft.examples.push_back({line, {}, kind, {}});
        }
    }
    veto_opposites(draft);
    draft.about = topic_of(brief, subject, library, input.shares);
    if (input.concepts && input.concepts->contains(std::string(k_opinion_concept))) {
        draft.unless.push_back("@" + std::string(k_opinion_concept));
    }
    return draft;
}

std::string draft_yaml(const Draft& draft, std::string_view source_name) {
    std::string out =
        "# Drafted by `signalctl brief import` from " + std::string(source_name) +
        ".\n# Every signal is `draft: true`: check it on real items (signalctl match, rules check\n"
        "# --calibrate), adjust it, then remove the draft key. `@name` is a concept of rules/concepts.yaml.\n";
    out += "brief:\n  id: " + draft.brief_id + "\n  title: " + yaml_quoted(draft.title) +
           "\n  source: " + yaml_quoted(draft.source) + "\n  date: " + draft.date +
           "\n  threshold: " + std::to_string(draft.threshold) + "\n";
    if (!draft.unless.empty()) {
        out += "  unless: ";
        append_list(out, draft.unless);
        out += "\n";
    }
    if (!draft.about.empty()) {
        out += "  about: ";
        append_list(out, draft.about);
        out += "\n  about_min: " + std::to_string(draft.about_min) + "\n";
    }
    out += "\nsignals:\n";
    for (const DraftSignal& signal : draft.signals) {
        for (const std::string& note : signal.notes) out += "  # " + note + "\n";
        out += "  - id: " + signal.id + "\n    kind: " + std::string(rules::kind_name(signal.kind)) +
               "\n    weight: " + std::to_string(signal.weight) +
               "\n    draft: true\n    says: " + yaml_quoted(signal.says) + "\n    all:\n";
        for (const auto& group : signal.groups) {
            out += "      - ";
            append_list(out, group);
            out += "\n";
        }
        if (signal.groups.size() > 1) out += "    near: " + std::to_string(signal.near) + "\n";
        if (!signal.unless.empty()) {
            out += "    unless: ";
            append_list(out, signal.unless);
            out += "\n";
        }
    }
    for (const DraftSignal& signal : draft.left_out) {
        out +=
            "  # left out: " + signal.id + " (" + signal.notes.back().substr(signal.notes.back().find(':') + 2) + ")\n";
    }
    if (!draft.examples.empty()) out += "\nexamples:\n";
    for (const rules::Example& example : draft.examples) {
        out += "  - expect: " + std::string(example.expect ? rules::kind_name(*example.expect) : "quiet") +
               "\n    title: " + yaml_quoted(example.title) + "\n";
        if (!example.summary.empty()) out += "    summary: " + yaml_quoted(example.summary) + "\n";
    }
    return out;
}

rules::RuleSet with_concepts(std::span<const std::string> concept_files, const Draft* draft,
                             const std::string& draft_path) {
    rules::RuleSetBuilder builder;
    for (std::size_t i = 0; i < concept_files.size(); ++i) {
        builder.add_file(concept_files[i], "concepts-" + std::to_string(i) + ".yaml");
    }
    if (draft != nullptr) {
        builder.add_file(draft_yaml(*draft, "calibration"),
                         draft_path.empty() ? draft->brief_id + ".yaml" : draft_path);
    }
    return std::move(builder).finish();
}

namespace {

// One step tighter for a signal over the budget, or false when nothing is left to tighten: first
// without the brief's subject words, then a narrower window, then without its commonest term.
bool tighten(DraftSignal& signal, const Draft& draft, const WordShares& shares, const std::string& count) {
    constexpr int k_min_near = 6;
    const auto is_subject = [&](const std::string& term) {
        return std::ranges::find(draft.subject, term) != draft.subject.end();
    };
    std::vector<std::string>& terms = signal.groups.front();
    if (terms.size() > 1 && std::ranges::any_of(terms, is_subject) && !std::ranges::all_of(terms, is_subject)) {
        signal.notes.push_back("calibration: " + count + "; without the brief's subject words");
        std::erase_if(terms, is_subject);
        return true;
    }
    if (signal.groups.size() > 1 && signal.near > k_min_near) {
        const int narrower = std::max(k_min_near, signal.near * 3 / 5);
        signal.notes.push_back("calibration: " + count + "; near " + std::to_string(signal.near) + " -> " +
                               std::to_string(narrower));
        signal.near = narrower;
        return true;
    }
    if (terms.size() > 1) {
        // The term whose rarest word is commonest is the likeliest cause of the noise.
        const auto commonest = std::ranges::max_element(terms, {}, [&](const std::string& term) {
            double rarest = 1;
            for (const std::string& word : words_of(term)) rarest = std::min(rarest, shares.share(word));
            return rarest;
        });
        signal.notes.push_back("calibration: " + count + "; dropped the term '" + *commonest + "'");
        terms.erase(commonest);
        return true;
    }
    return false;
}

}  // namespace

std::vector<std::string> calibrate_draft(Draft& draft, std::span<const std::string> concept_files,
                                         std::span<const feed::Item> stories, const WordShares& shares, double budget) {
    constexpr int k_rounds = 12;
    std::vector<std::string> report;
    if (stories.empty()) return report;
    const auto allowed = static_cast<std::size_t>(std::floor(budget * static_cast<double>(stories.size())));
    for (int round = 0; round < k_rounds; ++round) {
        const auto compiled = rules::compile(with_concepts(concept_files, &draft));
        const std::vector<SignalNoise> noise = signal_noise(compiled, stories, draft.brief_id);
        std::size_t total = 0;
        for (const SignalNoise& entry : noise) total += entry.hits;
        if (round == 0) {
            for (const SignalNoise& entry : noise) draft.signals[entry.signal].background_hits = entry.hits;
        }
        // The budget is the brief's: all its signals together. While they exceed it, every signal
        // that hit anything is tightened one step, and one with nothing left to tighten goes.
        if (total <= allowed) break;
        bool changed = false;
        std::vector<bool> spent(draft.signals.size(), false);
        for (const SignalNoise& entry : noise) {
            if (entry.hits == 0) continue;
            const std::string count = std::to_string(entry.hits) + " of " + std::to_string(stories.size()) +
                                      " stories with the brief over its budget (" + std::to_string(total) + ")";
            const bool tightened = tighten(draft.signals[entry.signal], draft, shares, count);
            changed = changed || tightened;
            spent[entry.signal] = !tightened;
        }
        // A brief keeps one signal at least: the last, however noisy, stays for the analyst to review.
        for (std::size_t i = draft.signals.size(); i-- > 0;) {
            if (!spent[i]) continue;
            if (draft.signals.size() == 1) {
                draft.signals[i].notes.push_back(
                    "calibration: nothing left to tighten in the brief's only signal: review it");
                break;
            }
            draft.signals[i].notes.push_back("calibration: nothing left to tighten, so the signal is left out");
            draft.left_out.push_back(std::move(draft.signals[i]));
            draft.signals.erase(draft.signals.begin() + static_cast<std::ptrdiff_t>(i));
            changed = true;
        }
        if (!changed) break;
    }
    for (const auto* signals : {&draft.signals, &draft.left_out}) {
        for (const DraftSignal& signal : *signals) {
            std::string line = signal.id + ": " + std::to_string(signal.background_hits) + " of " +
                               std::to_string(stories.size()) + " stories";
            for (const std::string& note : signal.notes) line += "; " + note.substr(note.find(':') + 2);
            report.push_back(std::move(line));
        }
    }
    return report;
}

}  // namespace signalmon::brief
