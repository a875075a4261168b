// Daily Brief reading and pattern drafting. The drafting is deliberately simple and predictable
// (stop words split a line into noun-phrase chunks), because a human reviews every draft.
#include "brief/daily_brief.hpp"
#include "text/ascii.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>
#include <span>

namespace signalmon::brief {

namespace {

// A bullet line's text, without its marker ("•", "-", "*"); empty if the line is not a bullet.
std::string_view bullet_text(std::string_view line) {
    for (const std::string_view marker : {std::string_view("•"), std::string_view("- "), std::string_view("* ")}) {
        if (line.starts_with(marker)) return text::trim_ascii_space(line.substr(marker.size()));
    }
    return {};
}

enum class Section { none, ignored, sections, sources, watchlist, confirm, kill };

// The headings of the format and what each holds for import.
Section section_of(std::string_view heading) {
    const std::string name = text::ascii_lowercase(heading);
    if (name == "watchlist") return Section::watchlist;
    if (name == "what would confirm") return Section::confirm;
    if (name == "what would kill") return Section::kill;
    if (name == "sections") return Section::sections;
    if (name == "sources") return Section::sources;
    for (const char* known : {"key takeaways", "unknowns", "investor overlay", "read-throughs"}) {
        if (name == known) return Section::ignored;
    }
    return Section::none;
}

// "Issue 65 2026-03-06" → (65, "2026-03-06").
bool parse_issue_line(std::string_view line, int& issue, std::string& date) {
    if (!line.starts_with("Issue ")) return false;
    line.remove_prefix(6);
    const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), issue);
    if (error != std::errc() || end == line.data()) return false;
    const std::string_view rest =
        text::trim_ascii_space(std::string_view(end, static_cast<std::size_t>(line.data() + line.size() - end)));
    const bool is_date = rest.size() == 10 && rest[4] == '-' && rest[7] == '-' &&
                         std::all_of(rest.begin(), rest.end(),
                                     [](char c) { return c == '-' || std::isdigit(static_cast<unsigned char>(c)); });
    if (!is_date) return false;
    date = std::string(rest);
    return true;
}

// Function words and verbs: they end a noun-phrase chunk and never start a pattern.
const std::set<std::string, std::less<>> k_stop_words{
    "a",          "about",       "above",        "across",  "after",     "again",      "against",   "all",
    "almost",     "alone",       "along",        "also",    "although",  "among",      "an",        "and",
    "any",        "are",         "as",           "at",      "be",        "because",    "been",      "before",
    "being",      "below",       "between",      "both",    "but",       "by",         "can",       "cannot",
    "could",      "despite",     "did",          "do",      "does",      "due",        "during",    "each",
    "early",      "effectively", "either",       "else",    "enough",    "even",       "ever",      "every",
    "explicitly", "far",         "few",          "for",     "from",      "fully",      "further",   "had",
    "has",        "have",        "how",          "however", "if",        "in",         "into",      "is",
    "it",         "its",         "just",         "largely", "less",      "like",       "likely",    "many",
    "may",        "meaningful",  "meaningfully", "might",   "more",      "most",       "much",      "must",
    "near",       "next",        "no",           "nor",     "not",       "of",         "often",     "on",
    "once",       "only",        "or",           "other",   "otherwise", "our",        "out",       "over",
    "per",        "persistent",  "rarely",       "rather",  "same",      "several",    "should",    "since",
    "so",         "some",        "such",         "than",    "that",      "the",        "their",     "them",
    "then",       "there",       "these",        "they",    "this",      "those",      "through",   "thus",
    "to",         "too",         "toward",       "towards", "under",     "until",      "up",        "upon",
    "very",       "via",         "was",          "we",      "were",      "what",       "when",      "where",
    "whether",    "which",       "while",        "who",     "whose",     "why",        "will",      "with",
    "within",     "without",     "would",        "yet",     "closer",    "comparable", "emergence", "evidence",
    "attempts",   "worse",       "better",       "primary", "today",     "already",    "now",       "sufficient",
};

// Verbs whose forms (base, -s, -ed, -ing) end a chunk like stop words.
const std::set<std::string, std::less<>> k_verbs{
    "achieve",   "allow",      "alter",     "appear",   "ask",      "become",     "build",    "catch",   "continue",
    "create",    "demand",     "describe",  "disable",  "distrust", "emerge",     "escalate", "execute", "expect",
    "fail",      "fear",       "finance",   "gain",     "get",      "give",       "help",     "imply",   "improve",
    "include",   "increase",   "indicate",  "keep",     "lead",     "leave",      "make",     "match",   "mean",
    "need",      "outperform", "own",       "perceive", "prevent",  "prioritize", "produce",  "reduce",  "reinforce",
    "rely",      "remain",     "replicate", "require",  "restrict", "rise",       "say",      "seem",    "serve",
    "shape",     "show",       "start",     "stop",     "suggest",  "take",       "tend",     "tie",     "trade",
    "undermine", "use",        "want",
};

// Words too common to be a pattern alone, or in a phrase made only of such words.
const std::set<std::string, std::less<>> k_generic_words{
    "access",      "adoption", "advantage", "approach",    "approaches",   "concern",     "concerns", "data",
    "enterprise",  "future",   "gap",       "gaps",        "government",   "governments", "group",    "groups",
    "large",       "level",    "long",      "new",         "market",       "markets",     "outcome",  "outcomes",
    "performance", "players",  "real",      "requirement", "requirements", "risk",        "scale",    "step",
    "summary",     "system",   "systems",   "value",       "world",        "year",        "years",    "ai",
};

// Adverbs ("publicly", "technically") end a chunk; "supply" or "monopoly" do not.
bool is_adverb(const std::string& word) {
    return word.size() >= 6 && word.ends_with("ly") && !word.ends_with("ply") && !word.ends_with("oly") &&
           !word.ends_with("bly");
}

// "-ed"/"-ing" words: adjectives before a noun ("integrated stacks"), verbs after one
// ("vessels placed"), so a chunk breaks before them unless they start it.
bool is_participle(const std::string& word) {
    return word.size() >= 6 && (word.ends_with("ed") || word.ends_with("ing"));
}

bool is_verb_form(const std::string& word) {
    if (k_verbs.contains(word)) return true;
    for (const std::string_view suffix : {"ing", "ed", "es", "s", "d"}) {
        if (!word.ends_with(suffix) || word.size() <= suffix.size() + 2) continue;
        const std::string stem = word.substr(0, word.size() - suffix.size());
        if (k_verbs.contains(stem) || k_verbs.contains(stem + "e")) return true;
        // "tied" → "tie", "relies" → "rely"
        if (stem.ends_with('i') && k_verbs.contains(stem.substr(0, stem.size() - 1) + "y")) return true;
    }
    return false;
}

struct Word {
    std::string text;  // as written, punctuation stripped
    std::string folded;
    bool entity = false;  // a name or acronym: kept as written, no suffix wildcard
    bool stop = false;
    bool generic = false;
};

// Words of a line in order; an empty Word marks a chunk break (punctuation or a stop word).
std::vector<Word> words_of(std::string_view line) {
    std::vector<Word> words;
    bool first = true;
    std::size_t at = 0;
    while (at < line.size()) {
        const std::size_t space = line.find_first_of(" \t", at);
        std::string_view token = line.substr(at, space == std::string_view::npos ? std::string_view::npos : space - at);
        at = space == std::string_view::npos ? line.size() : space + 1;
        if (token.empty()) continue;
        const bool opens = token.find_first_of("(\"“'‘") == 0;
        const bool acronym = token.size() >= 3 && token.find('.') != std::string_view::npos &&
                             std::isupper(static_cast<unsigned char>(token.front()));
        bool breaks = false;
        while (!token.empty() && std::string_view(",;:.!?)\"'").find(token.back()) != std::string_view::npos &&
               !(acronym && token.back() == '.' && token.size() <= 5)) {
            breaks = breaks || token.back() != '"';
            token.remove_suffix(1);
        }
        for (const std::string_view quote : {std::string_view("”"), std::string_view("’")}) {
            if (token.ends_with(quote)) token.remove_suffix(quote.size());
        }
        while (!token.empty() && std::string_view("(\"'").find(token.front()) != std::string_view::npos)
            token.remove_prefix(1);
        for (const std::string_view quote : {std::string_view("“"), std::string_view("‘")}) {
            if (token.starts_with(quote)) token.remove_prefix(quote.size());
        }
        for (const std::string_view possessive : {std::string_view("'s"), std::string_view("’s")}) {
            if (token.ends_with(possessive)) token.remove_suffix(possessive.size());
        }
        if (opens && !words.empty()) words.push_back({});
        // Hyphens are spaces to the matcher: "on-prem" is the words "on" and "prem". A '*' inside a
        // word would be the pattern language's suffix mark, so it separates words too.
        std::size_t part_at = 0;
        while (part_at <= token.size() && !token.empty()) {
            const std::size_t dash = acronym ? std::string_view::npos : token.find_first_of("-/*", part_at);
            const std::string_view part =
                token.substr(part_at, dash == std::string_view::npos ? std::string_view::npos : dash - part_at);
            part_at = dash == std::string_view::npos ? token.size() + 1 : dash + 1;
            if (part.empty() || !std::isalnum(static_cast<unsigned char>(part.front()))) continue;
            Word word{std::string(part), text::ascii_lowercase(part), false, false, false};
            const bool upper_start = std::isupper(static_cast<unsigned char>(part.front())) != 0;
            const auto capitals =
                std::count_if(part.begin(), part.end(), [](unsigned char c) { return std::isupper(c); });
            word.stop = k_stop_words.contains(word.folded) || is_verb_form(word.folded) || is_adverb(word.folded);
            word.entity = !word.stop && (acronym || capitals >= 2 || (upper_start && !first));
            word.generic = k_generic_words.contains(word.folded);
            const bool after_content = !words.empty() && !words.back().text.empty() && !words.back().stop;
            if (!word.stop && !word.entity && after_content && is_participle(word.folded)) {
                word.stop = true;
            }
            words.push_back(std::move(word));
            first = false;
        }
        if (breaks) words.push_back({});
    }
    // A capitalized first word is a name when a name follows it ("Yann LeCun expects").
    if (words.size() >= 2 && !words[0].stop && std::isupper(static_cast<unsigned char>(words[0].text.front())) &&
        words[1].entity) {
        words[0].entity = true;
    }
    return words;
}

// The word with a '*' for its inflections: "contracts" → "contract*", "commodity" → "commodit*".
std::string with_suffix(const std::string& word) {
    if (!std::isalpha(static_cast<unsigned char>(word.back()))) return word;
    std::string stem = word;
    const auto strip = [&](std::string_view suffix, std::size_t keep) {
        if (stem.ends_with(suffix) && stem.size() >= suffix.size() + keep) {
            stem.resize(stem.size() - suffix.size());
            return true;
        }
        return false;
    };
    // "financialization" → "financializ*" (not "financial*", which is another word).
    ((stem.ends_with("ization") || stem.ends_with("isation")) && strip("ation", 6)) || strip("ies", 3) ||
        strip("ing", 4) || strip("ed", 4) || (stem.ends_with("sses") && strip("es", 4)) ||
        (!stem.ends_with("ss") && strip("s", 3)) || strip("y", 4);
    return stem + "*";
}

std::string phrase_of(std::span<const Word> words) {
    std::string out;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const Word& word = words[i];
        const bool last = i + 1 == words.size();
        const std::string text = word.entity ? word.text : word.folded;
        out += (out.empty() ? "" : " ") + (last && !word.entity ? with_suffix(text) : text);
    }
    return out;
}

void add_phrase(std::vector<std::string>& out, std::span<const Word> words) {
    if (std::all_of(words.begin(), words.end(), [](const Word& word) { return word.generic; })) return;
    std::string phrase = phrase_of(words);
    if (std::find(out.begin(), out.end(), phrase) == out.end()) out.push_back(std::move(phrase));
}

void add_chunk(std::vector<std::string>& out, std::span<const Word> chunk) {
    if (chunk.size() == 1) {
        const Word& word = chunk.front();
        const bool named = word.entity && word.folded.size() >= 3;
        const bool domain_term = word.folded.size() >= 10 && !word.generic;
        if (named || domain_term) add_phrase(out, chunk);
        return;
    }
    if (chunk.size() <= 3) add_phrase(out, chunk);
    if (chunk.size() >= 3) {
        for (std::size_t i = 0; i + 1 < chunk.size(); ++i) add_phrase(out, chunk.subspan(i, 2));
    }
    // A run of names inside a longer chunk ("Yann LeCun expects") is a pattern of its own.
    for (std::size_t i = 0; i < chunk.size();) {
        std::size_t end = i;
        while (end < chunk.size() && chunk[end].entity) ++end;
        if (end - i >= 2 && end - i < chunk.size()) add_phrase(out, chunk.subspan(i, end - i));
        i = std::max(end, i + 1);
    }
}

std::string slug(std::string_view text, std::size_t max_words) {
    std::string out;
    std::size_t words = 0;
    bool in_word = false;
    for (const char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            if (!in_word && !out.empty()) {
                if (words == max_words) break;
                out += '-';
            }
            if (!in_word) ++words;
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            in_word = true;
        } else {
            in_word = false;
        }
    }
    return out;
}

std::string yaml_quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

std::expected<DailyBrief, std::string> parse_daily_brief(std::string_view text) {
    // A brief pasted from mail or a PDF may carry broken UTF-8; the rule file drafted from it must not.
    std::string repaired;
    text = text::repair_utf8(text, repaired);
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at <= text.size();) {
        const std::size_t newline = text.find('\n', at);
        lines.push_back(text.substr(at, newline == std::string_view::npos ? std::string_view::npos : newline - at));
        at = newline == std::string_view::npos ? text.size() + 1 : newline + 1;
    }
    DailyBrief brief;
    // Header: PUBLICATION, "Daily Brief", "Issue N YYYY-MM-DD", TITLE, among the first lines.
    constexpr std::size_t k_header_lines = 12;
    std::string_view previous;
    std::size_t at = 0;
    bool daily_brief = false;
    for (; at < lines.size() && at < k_header_lines; ++at) {
        const std::string_view line = text::trim_ascii_space(lines[at]);
        if (line.empty()) continue;
        if (line == "Daily Brief") {
            daily_brief = true;
            brief.publication = std::string(previous);
        } else if (daily_brief && parse_issue_line(line, brief.issue, brief.date)) {
            break;
        }
        previous = line;
    }
    if (!daily_brief) return std::unexpected(std::string("not a Daily Brief: no 'Daily Brief' line near the top"));
    if (brief.date.empty())
        return std::unexpected(std::string("not a Daily Brief: no 'Issue N YYYY-MM-DD' line after 'Daily Brief'"));
    if (brief.publication.empty())
        return std::unexpected(std::string("not a Daily Brief: no publication name above 'Daily Brief'"));
    for (++at; at < lines.size() && text::trim_ascii_space(lines[at]).empty(); ++at) {
    }
    if (at == lines.size()) return std::unexpected(std::string("not a Daily Brief: no title after the issue line"));
    brief.title = std::string(text::trim_ascii_space(lines[at]));

    Section section = Section::none;
    std::vector<std::string>* target = nullptr;
    for (++at; at < lines.size(); ++at) {
        const std::string_view raw = lines[at];
        const std::string_view line = text::trim_ascii_space(raw);
        if (line.empty()) continue;
        const std::string_view bullet = bullet_text(line);
        if (!bullet.empty()) {
            if (target != nullptr) target->emplace_back(bullet);
            continue;
        }
        const bool indented = raw.front() == ' ' || raw.front() == '\t';
        if (indented && target != nullptr && !target->empty()) {
            target->back() += " " + std::string(line);  // a bullet wrapped onto the next line
            continue;
        }
        const Section next = section_of(line);
        if (next != Section::none) {
            section = next;
        } else if (section == Section::sections || section == Section::sources) {
            continue;  // a topic title inside "Sections", or a source reference
        } else if (section != Section::none) {
            brief.notes.push_back("line " + std::to_string(at + 1) + ": unknown section '" + std::string(line) +
                                  "' ignored");
            section = Section::ignored;
        }
        target = section == Section::watchlist ? &brief.watchlist
                 : section == Section::confirm ? &brief.confirm
                 : section == Section::kill    ? &brief.kill
                                               : nullptr;
    }
    if (brief.watchlist.empty() && brief.confirm.empty() && brief.kill.empty()) {
        return std::unexpected(
            std::string("the brief has no Watchlist, What would confirm or What would kill lines to import"));
    }
    return brief;
}

std::vector<std::string> draft_patterns(std::string_view line) {
    const std::vector<Word> words = words_of(line);
    std::vector<std::string> patterns;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= words.size(); ++i) {
        if (i < words.size() && !words[i].text.empty() && !words[i].stop) continue;
        if (i > start) add_chunk(patterns, std::span(words).subspan(start, i - start));
        start = i + 1;
    }
    return patterns;
}

std::string brief_id(const DailyBrief& brief) {
    std::string initials;
    for (std::size_t at = 0; at < brief.publication.size(); ++at) {
        const bool word_start = at == 0 || brief.publication[at - 1] == ' ';
        if (word_start && std::isalnum(static_cast<unsigned char>(brief.publication[at]))) {
            initials += static_cast<char>(std::tolower(static_cast<unsigned char>(brief.publication[at])));
        }
    }
    std::string issue = std::to_string(brief.issue);
    issue.insert(0, issue.size() < 3 ? 3 - issue.size() : 0, '0');
    return initials + "-" + issue + "-" + slug(brief.title, 4);
}

std::string draft_rule_file(const DailyBrief& brief, std::string_view source_name) {
    std::string title;
    for (const char c : brief.title) title += c == '-' ? ' ' : c;
    std::string out = "# Drafted by `signalctl brief import` from " + std::string(source_name) +
                      ".\n# Every signal is `draft: true`: check its patterns against real items (signalctl match),\n"
                      "# tighten them (all: groups, near:, unless:), then remove the draft key.\n";
    out += "brief:\n  id: " + brief_id(brief) + "\n  title: " + yaml_quoted(title) + "\n  source: " +
           yaml_quoted(brief.publication + " Daily Brief, issue " + std::to_string(brief.issue) + ", " + brief.date) +
           "\n  date: " + brief.date + "\n  threshold: 5\n\nsignals:\n";
    struct Part {
        const std::vector<std::string>& lines;
        std::string_view kind;
        int weight;
    };
    for (const Part& part :
         {Part{brief.watchlist, "watch", 2}, Part{brief.confirm, "confirm", 5}, Part{brief.kill, "kill", 5}}) {
        for (std::size_t i = 0; i < part.lines.size(); ++i) {
            const std::string& line = part.lines[i];
            const std::vector<std::string> patterns = draft_patterns(line);
            const std::string id = std::string(part.kind) + "-" + std::to_string(i + 1);
            if (patterns.empty()) {
                out.append("  # ").append(id).append(": no key phrases found in: ").append(line).append("\n");
                continue;
            }
            out += "  - id: " + id + "-" + slug(patterns.front(), 4) + "\n    kind: " + std::string(part.kind) +
                   "\n    weight: " + std::to_string(part.weight) +
                   "\n    draft: true\n    says: " + yaml_quoted(line) + "\n    any:\n";
            for (const std::string& pattern : patterns) out += "      - " + yaml_quoted(pattern) + "\n";
        }
    }
    return out;
}

}  // namespace signalmon::brief
