// The benchmark workload: fixture text cycled into items, patterns drawn from it, meters.
#include "support/workload.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <unordered_set>

#include "feed/parse.hpp"
#include "text/fold.hpp"

namespace signalmon::bench {

namespace {

// The words of the fixture text in order, ASCII-lower-cased: runs of word bytes.
const std::vector<std::string>& fixture_words() {
    static const std::vector<std::string> words = [] {
        std::vector<std::string> out;
        for (const feed::Item& item : fixture_items()) {
            for (const std::string* field : {&item.title, &item.summary, &item.content}) {
                const std::string folded = text::fold(*field).text;
                std::string word;
                for (const char c : folded + " ") {
                    if (text::is_word_byte(static_cast<unsigned char>(c))) {
                        word += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
                    } else if (!word.empty()) {
                        out.push_back(std::move(word));
                        word.clear();
                    }
                }
            }
        }
        return out;
    }();
    return words;
}

// Words an analyst would put in a watchlist: not the glue of sentences.
bool content_word(std::string_view word) {
    static const std::set<std::string_view> k_stop = {
        "that", "this", "with",  "from",  "have",  "been", "were", "will", "their", "there", "they",
        "what", "when", "which", "would", "about", "into", "more", "also", "than",  "then",  "your"};
    // ASCII letters only: the watchlist is English, like most of the corpus.
    return word.size() >= 4 && !k_stop.contains(word) &&
           std::ranges::all_of(word, [](char c) { return c >= 'a' && c <= 'z'; });
}

// The corpus as an analyst would mine it for regexes: its words, content words that follow each other
// (within a few words), and the words around numbers ("than 500 users", "over 1 million").
struct RegexSources {
    std::vector<std::string_view> vocabulary;
    std::vector<std::string_view> before_number;
    std::vector<std::string_view> units;  // content words right after a number
};

bool digits_only(std::string_view word) {
    return !word.empty() && std::ranges::all_of(word, [](char c) { return c >= '0' && c <= '9'; });
}

// "weight" → "weights?", "weights" → "weights?", "business" → "business(?:es)?".
std::string optional_plural(std::string_view word) {
    if (word.ends_with("ss")) {
        return std::string(word) + "(?:es)?";
    }
    return std::string(word.ends_with('s') ? word.substr(0, word.size() - 1) : word) + "s?";
}

// "licensed" → "licen[cs]e[sd]?": one letter analysts misspell or spell two ways becomes a class,
// and the inflection ending becomes optional.
std::string spelled_either_way(std::string_view word) {
    static constexpr std::string_view k_from = "csziyaeou";
    static constexpr std::array<std::string_view, 9> k_class = {"[cs]", "[sz]", "[sz]", "[iy]", "[iy]",
                                                                "[ae]", "[ae]", "[ou]", "[ou]"};
    std::string_view stem = word;
    std::string_view ending = "s?";
    if (word.ends_with("es") || word.ends_with("ed")) {
        stem = word.substr(0, word.size() - 1);
        ending = "[sd]?";
    } else if (word.ends_with('e')) {
        ending = "[sd]?";
    } else if (word.ends_with('s')) {
        stem = word.substr(0, word.size() - 1);
    }
    std::string out;
    bool replaced = false;
    for (std::size_t i = 0; i < stem.size(); ++i) {
        const std::size_t kind = k_from.find(stem[i]);
        if (!replaced && i >= 2 && i + 1 < stem.size() && kind != std::string_view::npos) {
            out += k_class[kind];
            replaced = true;
        } else {
            out += stem[i];
        }
    }
    return out + std::string(ending);
}

}  // namespace

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    std::string bytes(in ? static_cast<std::size_t>(in.tellg()) : 0, '\0');
    in.seekg(0);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return bytes;
}

namespace {

double thread_cpu_seconds() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

}  // namespace

Stopwatch::Stopwatch() : m_wall(Clock::now()), m_cpu(thread_cpu_seconds()) {}
double Stopwatch::wall() const { return seconds_since(m_wall); }
double Stopwatch::cpu() const { return thread_cpu_seconds() - m_cpu; }

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

const std::vector<feed::Item>& fixture_items() {
    static const std::vector<feed::Item> items = [] {
        std::vector<std::filesystem::path> files;
        for (const char* dir : {SIGNALMON_BENCH_FIXTURES, SIGNALMON_BENCH_DATA}) {
            for (const auto& entry : std::filesystem::directory_iterator(dir)) {
                files.push_back(entry.path());
            }
        }
        std::ranges::sort(files);
        std::vector<feed::Item> out;
        for (const auto& file : files) {
            auto parsed = feed::parse(read_file(file), {.base_url = "http://bench.invalid/", .content_type = ""});
            if (!parsed) {
                continue;
            }
            for (feed::Item& item : parsed->items) {
                if (!item.title.empty() || !item.content.empty() || !item.summary.empty()) {
                    out.push_back(std::move(item));
                }
            }
        }
        return out;
    }();
    return items;
}

std::vector<feed::Item> news_items(std::size_t total_bytes, std::size_t item_bytes) {
    std::vector<std::string_view> titles;
    std::vector<std::string_view> paragraphs;
    for (const feed::Item& item : fixture_items()) {
        if (!item.title.empty()) {
            titles.push_back(item.title);
        }
        for (const std::string* text : {&item.summary, &item.content}) {
            if (text->size() > 40) {
                paragraphs.push_back(*text);
            }
        }
    }
    std::vector<feed::Item> items;
    std::size_t bytes = 0;
    std::size_t next_title = 0;
    std::size_t next_paragraph = 0;
    while (bytes < total_bytes) {
        feed::Item item;
        item.key = "bench-" + std::to_string(items.size());
        item.link = "http://bench.invalid/item/" + std::to_string(items.size());
        item.title = titles[next_title++ % titles.size()];
        while (item.content.size() + item.title.size() < item_bytes) {
            item.content += item.content.empty() ? "" : " ";
            item.content += paragraphs[next_paragraph++ % paragraphs.size()];
        }
        // Cut long ones at a space so items keep their size and stay valid UTF-8.
        if (const std::size_t space = item.content.rfind(' ', item_bytes);
            item.content.size() > item_bytes * 11 / 10 && space != std::string::npos && space > item_bytes / 2) {
            item.content.resize(space);
        }
        bytes += item.title.size() + item.content.size();
        items.push_back(std::move(item));
    }
    return items;
}

std::size_t text_bytes(const std::vector<feed::Item>& items) {
    std::size_t bytes = 0;
    for (const feed::Item& item : items) {
        bytes += item.title.size() + item.summary.size() + item.content.size();
    }
    return bytes;
}

namespace {

// Regexes like those analysts write in rules, built from the corpus so some of them match: bounded
// gaps between two words, money and number shapes, alternations of inflected words, and letters
// spelled two ways. Each is a gap-free run of hard cases for a DFA (\w+ runs, \d+, optional parts).
std::string analyst_regex(std::size_t kind, const RegexSources& sources, const std::vector<std::string>& words,
                          const std::function<std::size_t(std::size_t)>& pick) {
    const auto any_word = [&] { return sources.vocabulary[pick(sources.vocabulary.size())]; };
    // A content word and one at most `distance` words after it in the text (or any word, if none).
    const auto near_pair = [&](std::size_t distance) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            const std::size_t at = pick(words.size() - distance - 1);
            const std::size_t next = at + 1 + pick(distance);
            if (content_word(words[at]) && content_word(words[next])) {
                return std::pair<std::string_view, std::string_view>(words[at], words[next]);
            }
        }
        const std::string_view first = any_word();  // two statements: argument order is unspecified
        return std::pair(first, any_word());
    };
    switch (kind % 5) {
        case 0: {  // contracts? (?:\w+ ){0,3}compute
            const std::size_t gap = 1 + pick(3);
            const auto [first, second] = near_pair(gap + 1);
            return optional_plural(first) + " (?:\\w+ ){0," + std::to_string(gap) + "}" + std::string(second);
        }
        case 1: {  // \$\d+(?:\.\d+)? ?(?:million|billion)
            return "\\$\\d+(?:[.,]\\d+)?(?: ?(?:million|billion|bn|m)\\b)? (?:\\w+ ){0,2}" +
                   optional_plural(any_word());
        }
        case 2: {  // over 1 million users, than 500 seats
            const std::string_view before =
                sources.before_number.empty() ? any_word() : sources.before_number[pick(sources.before_number.size())];
            const std::string_view unit =
                sources.units.empty() ? any_word() : sources.units[pick(sources.units.size())];
            return std::string(before) + " (?:\\w+ )?\\d+(?:[.,]\\d+)? ?(?:million |thousand |%|percent )?" +
                   optional_plural(unit);
        }
        case 3: {  // (?:open|public|released) weights?
            const auto [first, second] = near_pair(1);
            std::string alternation = "(?:" + std::string(first) + "(?:s|ed|ing)?";
            for (std::size_t more = 2 + pick(3); more > 0; --more) {
                alternation += "|" + std::string(any_word());
            }
            return alternation + ") " + optional_plural(second);
        }
        default: {  // licen[cs]e[sd]?
            const auto [first, second] = near_pair(2);
            return spelled_either_way(first) + " (?:\\w+ )?" + spelled_either_way(second);
        }
    }
}

}  // namespace

Patterns make_patterns(std::size_t count, bool mixed, unsigned seed) {
    const std::vector<std::string>& words = fixture_words();
    RegexSources sources;
    {
        std::unordered_set<std::string_view> seen;
        std::unordered_set<std::string_view> seen_before;
        std::unordered_set<std::string_view> seen_unit;
        for (std::size_t i = 0; i < words.size(); ++i) {
            const std::string_view word = words[i];
            if (content_word(word) && seen.insert(word).second) {
                sources.vocabulary.push_back(word);
            }
            if (i + 2 < words.size() && digits_only(words[i + 1])) {
                if (word.size() >= 3 && std::ranges::all_of(word, [](char c) { return c >= 'a' && c <= 'z'; }) &&
                    seen_before.insert(word).second) {
                    sources.before_number.push_back(word);
                }
                if (content_word(words[i + 2]) && seen_unit.insert(words[i + 2]).second) {
                    sources.units.push_back(words[i + 2]);
                }
            }
        }
    }
    const std::vector<std::string_view>& vocabulary = sources.vocabulary;
    std::mt19937 random(seed);
    const std::function<std::size_t(std::size_t)> pick = [&](std::size_t size) {
        return std::uniform_int_distribution<std::size_t>(0, size - 1)(random);
    };
    Patterns patterns;
    std::unordered_set<std::string> seen;
    std::size_t regexes = 0;
    // Past some tens of thousands of patterns the corpus has no new n-gram left: word pairs then.
    constexpr std::size_t k_ngram_repeats = 10'000;
    std::size_t ngram_repeats = 0;
    while (patterns.written.size() < count) {
        const std::size_t index = patterns.written.size();
        const bool ngram = index % 10 == 3 && ngram_repeats < k_ngram_repeats;
        std::string written;
        std::string baseline;
        if (mixed && index % 10 == 0) {
            // The regex as written: signalmon checks no word boundaries around a /regex/, so neither
            // does the baseline.
            baseline = analyst_regex(regexes++, sources, words, pick);
            written = "/" + baseline + "/";
        } else if (mixed && index % 10 == 5) {
            const std::string stem = std::string(vocabulary[pick(vocabulary.size())]) + " " +
                                     std::string(vocabulary[pick(vocabulary.size())]).substr(0, 4);
            written = stem + "*";
            baseline = "\\b" + stem;
        } else if (ngram) {
            // An n-gram of the text, starting and ending on a content word.
            const std::size_t at = pick(words.size() - 3);
            const std::size_t length = 2 + pick(2);
            if (!content_word(words[at]) || !content_word(words[at + length - 1])) {
                continue;
            }
            for (std::size_t k = 0; k < length; ++k) {
                written += (k == 0 ? "" : " ") + words[at + k];
            }
            baseline = "\\b" + written + "\\b";
        } else {
            written = std::string(vocabulary[pick(vocabulary.size())]) + " " +
                      std::string(vocabulary[pick(vocabulary.size())]);
            baseline = "\\b" + written + "\\b";
        }
        if (seen.insert(written).second) {
            ngram_repeats = ngram ? 0 : ngram_repeats;
            patterns.written.push_back(std::move(written));
            patterns.baseline.push_back(std::move(baseline));
        } else if (ngram) {
            ++ngram_repeats;
        }
    }
    return patterns;
}

std::vector<std::string> rule_files(const Patterns& patterns) {
    std::vector<std::string> files;
    for (std::size_t first = 0; first < patterns.written.size(); first += 100) {
        std::string yaml = "brief: {id: b" + std::to_string(first) + ", title: bench, threshold: 2}\nsignals:\n";
        for (std::size_t i = first; i < std::min(first + 100, patterns.written.size()); ++i) {
            yaml +=
                "  - {id: s" + std::to_string(i) + ", kind: watch, weight: 1, any: ['" + patterns.written[i] + "']}\n";
        }
        files.push_back(std::move(yaml));
    }
    return files;
}

rules::RuleSet make_rules(const Patterns& patterns) {
    rules::RuleSetBuilder builder;
    const std::vector<std::string> files = rule_files(patterns);
    for (std::size_t i = 0; i < files.size(); ++i) {
        builder.add_file(files[i], "bench/b" + std::to_string(i) + ".yaml");
    }
    return std::move(builder).finish();
}

void write_rules(const Patterns& patterns, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    const std::vector<std::string> files = rule_files(patterns);
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::ofstream(dir / ("b" + std::to_string(i) + ".yaml")) << files[i];
    }
}

namespace {

void append_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
}

}  // namespace

std::vector<std::string> rss_documents(const std::vector<feed::Item>& items, std::size_t items_per_feed) {
    std::vector<std::string> documents;
    for (std::size_t first = 0; first < items.size(); first += items_per_feed) {
        std::string xml =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Bench feed " +
            std::to_string(documents.size()) + "</title><link>http://bench.invalid/</link>\n";
        for (std::size_t i = first; i < std::min(first + items_per_feed, items.size()); ++i) {
            const feed::Item& item = items[i];
            xml += "<item><title>";
            append_escaped(xml, item.title);
            xml += "</title><link>" + item.link + "</link><guid>" + item.link +
                   "</guid><pubDate>Fri, 06 Mar 2026 10:00:00 GMT</pubDate><description>";
            append_escaped(xml, "<p>" + item.content + "</p>");
            xml += "</description></item>\n";
        }
        documents.push_back(xml + "</channel></rss>\n");
    }
    return documents;
}

namespace {

std::size_t status_kib(std::string_view field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with(field)) {
            return std::strtoull(line.c_str() + field.size(), nullptr, 10);
        }
    }
    return 0;
}

}  // namespace

std::size_t rss_kib() { return status_kib("VmRSS:"); }
std::size_t peak_rss_kib() { return status_kib("VmHWM:"); }

std::size_t write_feed_files(const std::filesystem::path& root, std::size_t feeds, std::size_t items_per_feed) {
    std::filesystem::create_directories(root);
    // Items come out a little over their nominal size: 20% more bytes than needed fills every feed.
    const auto items = news_items(feeds * items_per_feed * 720, 600);
    const auto documents = rss_documents(items, items_per_feed);
    std::size_t bytes = 0;
    for (std::size_t f = 0; f < documents.size() && f < feeds; ++f) {
        std::ofstream(root / ("f" + std::to_string(f) + ".xml"), std::ios::binary) << documents[f];
        bytes += documents[f].size();
    }
    return bytes;
}

ScratchDir::ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "signalmon-bench-XXXXXX").string();
    m_path = ::mkdtemp(pattern.data());
}

ScratchDir::~ScratchDir() {
    if (std::getenv("SIGNALMON_BENCH_KEEP") != nullptr) {
        std::fprintf(stderr, "kept %s\n", m_path.c_str());
        return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

}  // namespace signalmon::bench
