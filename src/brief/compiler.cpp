// Brief lines → signals: concepts found through the lexicon, specific terms ranked by how rare
// they are in ordinary news, groups joined by `near`; then calibration on real stories.
#include "brief/compiler.hpp"

#include <algorithm>
#include <cmath>
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
    "able",      "about",     "above",      "across",     "actual",     "actually",    "additional", "after",
    "again",     "against",   "all",        "already",    "also",       "although",    "among",      "another",
    "any",       "because",   "before",     "being",      "between",    "both",        "broad",      "can",
    "cannot",    "certain",   "clear",      "closer",     "comparable", "could",       "despite",    "due",
    "during",    "each",      "early",      "effectively","either",     "enough",      "even",       "evidence",
    "explicitly","extreme",   "far",        "few",        "fully",      "further",     "however",    "implies",
    "including", "indicating","instead",    "into",       "less",       "like",        "likely",     "main",
    "many",      "may",       "meaningful", "meaningfully","might",     "more",        "most",       "much",
    "must",      "near",      "next",       "no",         "not",        "now",         "often",      "once",
    "only",      "other",     "otherwise",  "over",       "per",        "persistent",  "possible",   "primary",
    "publicly",  "rather",    "real",       "really",     "same",       "several",     "should",     "significant",
    "since",     "some",      "such",       "suggesting", "sufficient", "than",        "that",       "their",
    "them",      "then",      "there",      "these",      "they",       "this",        "those",      "through",
    "thus",      "tied",      "today",      "too",        "toward",     "towards",     "under",      "until",
    "upon",      "very",      "via",        "what",       "when",       "where",       "whether",    "which",
    "while",     "who",       "whose",      "why",        "will",       "within",      "without",    "would",
    "yet",       "emergence", "rising",     "growing",    "increasingly","broader",    "wider",      "summary",
    "way",       "ways",      "thing",      "things",     "kind",       "part",        "set",        "lot",
};

// One word of a brief line; `starts_chunk` marks punctuation or a skipped word before it.
struct Token {
    std::string text;
    bool skipped = false;   // a function or analyst word
    bool covered = false;   // part of a concept's phrase
    bool starts_chunk = false;
};

std::vector<Token> tokens_of(std::string_view line) {
    std::vector<Token> tokens;
    std::string word;
    bool pending_break = true;
    const auto flush = [&] {
        if (word.empty()) return;
        Token token{word, false, false, pending_break};
        token.skipped = rules::Lexicon::shared().is_function_word(word) || k_analyst_words.contains(word) ||
                        word.size() < 2 || std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
        tokens.push_back(std::move(token));
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
        const bool ok = words.prefixes[i].empty() ? words.forms[i].contains(token) : token.starts_with(words.prefixes[i]);
        if (!ok) return false;
    }
    return true;
}

struct FoundConcept {
    std::string name;
    std::size_t at = 0;
    std::size_t length = 0;
};

// Concepts the line expresses, in line order; overlapping finds keep the longest phrase.
std::vector<FoundConcept> find_concepts(std::vector<Token>& tokens,
                                        const std::unordered_map<std::string, rules::Concept>& library) {
    std::vector<FoundConcept> found;
    std::vector<std::string> names;
    for (const auto& [name, unused] : library) names.push_back(name);
    std::sort(names.begin(), names.end());  // unordered_map order must not decide a draft
    for (const std::string& name : names) {
        for (const std::string& pattern : library.at(name).patterns) {
            const PatternWords words = pattern_words(pattern);
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
        const bool repeated = std::ranges::any_of(kept, [&](const FoundConcept& other) { return other.name == concept_.name; });
        if (overlaps) continue;
        for (std::size_t i = 0; i < concept_.length; ++i) tokens[concept_.at + i].covered = true;
        if (!repeated) kept.push_back(concept_);
    }
    std::sort(kept.begin(), kept.end(), [](const FoundConcept& a, const FoundConcept& b) { return a.at < b.at; });
    return kept;
}

// Runs of content words between skipped words, concept phrases and punctuation.
std::vector<std::vector<std::string>> chunks_of(const std::vector<Token>& tokens) {
    std::vector<std::vector<std::string>> chunks;
    bool open = false;
    for (const Token& token : tokens) {
        if (token.skipped || token.covered) {
            open = false;
            continue;
        }
        if (!open || token.starts_chunk) chunks.emplace_back();
        chunks.back().push_back(token.text);
        open = true;
    }
    return chunks;
}

struct Term {
    std::string text;
    double share = 0;  // the rarest word's share: an upper bound on the phrase's own
    std::size_t chunk = 0;
};

double share_of(const WordShares* shares, std::string_view word) { return shares ? shares->share(word) : 0; }

// Candidate terms of the line: whole short chunks, the adjacent pairs of longer ones, and words
// rare enough in ordinary news to stand alone.
std::vector<Term> terms_of(const std::vector<std::vector<std::string>>& chunks, const WordShares* shares) {
    constexpr double k_rare_word_share = 0.004;
    std::vector<Term> terms;
    const auto add = [&](std::span<const std::string> words, std::size_t chunk) {
        std::string text;
        double rarest = 1;
        double commonest = 0;
        for (const std::string& word : words) {
            text += (text.empty() ? "" : " ") + word;
            rarest = std::min(rarest, share_of(shares, word));
            commonest = std::max(commonest, share_of(shares, word));
        }
        if (words.size() == 1 && (rarest > k_rare_word_share || words[0].size() < 4)) return;
        if (rarest > k_max_term_share) return;  // a phrase of common words only
        if (std::ranges::find(terms, text, &Term::text) != terms.end()) return;
        terms.push_back({text, words.size() == 1 ? rarest : rarest * std::max(commonest, 0.01), chunk});
    };
    for (std::size_t chunk = 0; chunk < chunks.size(); ++chunk) {
        const std::vector<std::string>& words = chunks[chunk];
        if (words.size() <= 3) add(words, chunk);
        for (std::size_t i = 0; words.size() > 2 && i + 1 < words.size(); ++i) {
            add(std::span(words).subspan(i, 2), chunk);
        }
        for (std::size_t i = 0; i < words.size(); ++i) add(std::span(words).subspan(i, 1), chunk);
    }
    return terms;
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

void draft_line(Draft& draft, rules::Kind kind, const std::string& line, const CompilerInput& input) {
    constexpr std::size_t k_max_terms = 8;
    constexpr std::size_t k_max_concepts = 2;
    std::vector<Token> tokens = tokens_of(line);
    const std::vector<FoundConcept> concepts =
        input.concepts ? find_concepts(tokens, *input.concepts) : std::vector<FoundConcept>{};
    std::vector<Term> terms = terms_of(chunks_of(tokens), input.shares);
    std::stable_sort(terms.begin(), terms.end(), [](const Term& a, const Term& b) { return a.share < b.share; });
    if (terms.size() > k_max_terms) terms.resize(k_max_terms);
    const int weight = kind == rules::Kind::watch ? 1 : draft.threshold;
    const auto add_signal = [&](std::string id_words, std::vector<std::vector<std::string>> groups) {
        DraftSignal signal{unique_id(draft, std::string(rules::kind_name(kind)) + "-" + slug(id_words, 4)),
                           kind, weight, line, std::move(groups), k_draft_near, {}, {}};
        draft.signals.push_back(std::move(signal));
    };
    if (terms.empty()) {
        if (concepts.size() >= 2) {
            add_signal(concepts[0].name + " " + concepts[1].name, {{"@" + concepts[0].name}, {"@" + concepts[1].name}});
        }
        return;
    }
    if (!concepts.empty()) {
        for (std::size_t i = 0; i < concepts.size() && i < k_max_concepts; ++i) {
            add_signal(concepts[i].name + " " + terms.front().text, {texts_of(terms), {"@" + concepts[i].name}});
        }
        return;
    }
    // No concept: the line's actor and object are its first and later chunks.
    std::vector<Term> first;
    std::vector<Term> rest;
    const std::size_t first_chunk = std::ranges::min(terms, {}, &Term::chunk).chunk;
    for (const Term& term : terms) (term.chunk == first_chunk ? first : rest).push_back(term);
    if (!rest.empty()) {
        add_signal(first.front().text + " " + rest.front().text, {texts_of(first), texts_of(rest)});
        return;
    }
    std::vector<std::string> phrases;
    for (const Term& term : terms) {
        if (term.text.find(' ') != std::string::npos) phrases.push_back(term.text);
    }
    if (!phrases.empty()) add_signal(phrases.front(), {phrases});
}

void append_list(std::string& out, std::string_view indent, const std::vector<std::string>& items) {
    out += "[";
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_quoted(items[i]);
    out += "]";
    (void)indent;
}

}  // namespace

Draft compile_brief(const DailyBrief& brief, const CompilerInput& input) {
    Draft draft;
    draft.brief_id = brief_id(brief);
    for (const char c : brief.title) draft.title += c == '-' ? ' ' : c;
    draft.source = brief.publication + " Daily Brief, issue " + std::to_string(brief.issue) + ", " + brief.date;
    draft.date = brief.date;
    const std::pair<const std::vector<std::string>*, rules::Kind> parts[] = {
        {&brief.watchlist, rules::Kind::watch}, {&brief.confirm, rules::Kind::confirm}, {&brief.kill, rules::Kind::kill}};
    for (const auto& [lines, kind] : parts) {
        for (const std::string& line : *lines) {
            draft_line(draft, kind, line, input);
            draft.examples.push_back({line, {}, kind, {}});
        }
    }
    return draft;
}

std::string draft_yaml(const Draft& draft, std::string_view source_name) {
    std::string out = "# Drafted by `signalctl brief import` from " + std::string(source_name) +
                      ".\n# Every signal is `draft: true`: check it on real items (signalctl match, rules check\n"
                      "# --calibrate), adjust it, then remove the draft key. `@name` is a concept of rules/concepts.yaml.\n";
    out += "brief:\n  id: " + draft.brief_id + "\n  title: " + yaml_quoted(draft.title) + "\n  source: " +
           yaml_quoted(draft.source) + "\n  date: " + draft.date + "\n  threshold: " + std::to_string(draft.threshold) +
           "\n\nsignals:\n";
    for (const DraftSignal& signal : draft.signals) {
        for (const std::string& note : signal.notes) out += "  # " + note + "\n";
        out += "  - id: " + signal.id + "\n    kind: " + std::string(rules::kind_name(signal.kind)) +
               "\n    weight: " + std::to_string(signal.weight) + "\n    draft: true\n    says: " + yaml_quoted(signal.says) +
               "\n    all:\n";
        for (const auto& group : signal.groups) {
            out += "      - ";
            append_list(out, "", group);
            out += "\n";
        }
        if (signal.groups.size() > 1) out += "    near: " + std::to_string(signal.near) + "\n";
        if (!signal.unless.empty()) {
            out += "    unless: ";
            append_list(out, "", signal.unless);
            out += "\n";
        }
    }
    if (!draft.examples.empty()) out += "\nexamples:\n";
    for (const rules::Example& example : draft.examples) {
        out += "  - expect: " + std::string(example.expect ? rules::kind_name(*example.expect) : "quiet") +
               "\n    title: " + yaml_quoted(example.title) + "\n";
        if (!example.summary.empty()) out += "    summary: " + yaml_quoted(example.summary) + "\n";
    }
    return out;
}

std::vector<std::string> calibrate_draft(Draft& draft, std::span<const std::string> concept_files,
                                         std::span<const feed::Item> stories, double budget) {
    constexpr int k_rounds = 4;
    constexpr int k_min_near = 6;
    std::vector<std::string> report;
    if (stories.empty()) return report;
    const auto allowed = static_cast<std::size_t>(std::floor(budget * static_cast<double>(stories.size())));
    std::vector<std::size_t> first_hits(draft.signals.size(), 0);
    const WordShares shares(stories);
    for (int round = 0; round < k_rounds; ++round) {
        rules::RuleSetBuilder builder;
        for (std::size_t i = 0; i < concept_files.size(); ++i) builder.add_file(concept_files[i], "concepts-" + std::to_string(i) + ".yaml");
        builder.add_file(draft_yaml(draft, "calibration"), draft.brief_id + ".yaml");
        const auto compiled = rules::compile(std::move(builder).finish());
        const std::vector<SignalNoise> noise = signal_noise(compiled, stories, draft.brief_id);
        bool changed = false;
        for (const SignalNoise& entry : noise) {
            DraftSignal& signal = draft.signals[entry.signal];
            if (round == 0) first_hits[entry.signal] = entry.hits;
            if (entry.hits <= allowed) continue;
            const std::string count = std::to_string(entry.hits) + " of " + std::to_string(stories.size()) + " stories";
            if (signal.groups.size() > 1 && signal.near > k_min_near) {
                const int narrower = std::max(k_min_near, signal.near * 3 / 5);
                signal.notes.push_back("calibration: " + count + " over the budget; near " + std::to_string(signal.near) +
                                       " -> " + std::to_string(narrower));
                signal.near = narrower;
                changed = true;
            } else if (signal.groups.front().size() > 1) {
                auto& terms = signal.groups.front();
                // The term whose rarest word is commonest is the likeliest cause of the noise.
                const auto commonest = std::ranges::max_element(terms, {}, [&](const std::string& term) {
                    double rarest = 1;
                    for (const std::string& word : words_of(term)) rarest = std::min(rarest, shares.share(word));
                    return rarest;
                });
                signal.notes.push_back("calibration: " + count + " over the budget; dropped the term '" + *commonest + "'");
                terms.erase(commonest);
                changed = true;
            } else if (round == k_rounds - 1 || signal.notes.empty()) {
                signal.notes.push_back("calibration: " + count + " over the budget and nothing left to tighten: review it");
            }
        }
        if (!changed) break;
    }
    for (std::size_t i = 0; i < draft.signals.size(); ++i) {
        const DraftSignal& signal = draft.signals[i];
        std::string line = signal.id + ": " + std::to_string(first_hits[i]) + " of " + std::to_string(stories.size()) +
                           " stories";
        for (const std::string& note : signal.notes) line += "; " + note.substr(note.find(':') + 2);
        report.push_back(std::move(line));
    }
    return report;
}

}  // namespace signalmon::brief
