// Benchmark, issue 7 scenario 1: the literal-first matcher vs RE2::Set and vs `\b…\b` Hyperscan
// regexes, on generated phrases and ~50 MB of generated news-like text (--quick: ~5 MB).
#include <hs/hs.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "match/matcher.hpp"
#include "score/evaluate.hpp"
#include "text/fold.hpp"

using namespace signalmon;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A deterministic vocabulary of pronounceable words with Zipf-like frequencies.
class Corpus {
public:
    explicit Corpus(std::size_t vocabulary) : m_random(42) {
        static constexpr std::string_view k_syllables[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pra",
                                                           "str", "on", "el", "ang", "ber", "cos", "dun", "fi", "gro", "hal"};
        std::unordered_set<std::string> seen;
        std::uniform_int_distribution<std::size_t> syllable(0, std::size(k_syllables) - 1);
        std::uniform_int_distribution<int> length(1, 4);
        while (m_words.size() < vocabulary) {
            std::string word;
            for (int i = length(m_random); i > 0; --i) {
                word += k_syllables[syllable(m_random)];
            }
            if (seen.insert(word).second) {
                m_words.push_back(word);
            }
        }
        std::vector<double> weights;
        for (std::size_t rank = 0; rank < vocabulary; ++rank) {
            weights.push_back(1.0 / static_cast<double>(rank + 1));
        }
        m_zipf = std::discrete_distribution<std::size_t>(weights.begin(), weights.end());
    }

    const std::string& word() { return m_words[m_zipf(m_random)]; }
    // Mid-frequency words make phrases that match now and then, like real watchlist terms.
    const std::string& phrase_word() {
        return m_words[std::uniform_int_distribution<std::size_t>(50, m_words.size() / 4)(m_random)];
    }
    std::mt19937& random() { return m_random; }

    std::string text(std::size_t bytes) {
        std::string out;
        std::uniform_int_distribution<int> punctuation(0, 30);
        while (out.size() < bytes) {
            const std::string& next = word();
            const int mark = punctuation(m_random);
            out += mark == 0 ? ". " : mark == 1 ? ", " : mark == 2 ? " - " : " ";
            out += next;
        }
        return out;
    }

private:
    std::mt19937 m_random;
    std::vector<std::string> m_words;
    std::discrete_distribution<std::size_t> m_zipf;
};

struct PatternSet {
    std::vector<std::string> written;  // rule-file syntax
    std::vector<std::string> regexes;  // the same as `\b…\b` regexes, for the baselines
};

PatternSet make_patterns(Corpus& corpus, std::size_t count, bool mixed) {
    PatternSet set;
    std::unordered_set<std::string> seen;
    std::uniform_int_distribution<int> words(1, 3);
    while (set.written.size() < count) {
        const bool regex = mixed && set.written.size() % 10 == 0;
        std::string phrase;
        std::string boundary;
        if (regex) {
            const std::string body = corpus.phrase_word() + " (" + corpus.phrase_word() + "|" + corpus.phrase_word() + ")s?";
            phrase = "/" + body + "/";
            boundary = "\\b" + body;
        } else {
            for (int i = words(corpus.random()); i > 0; --i) {
                phrase += (phrase.empty() ? "" : " ") + corpus.phrase_word();
            }
            boundary = "\\b" + phrase + "\\b";
        }
        if (seen.insert(phrase).second) {
            set.written.push_back(phrase);
            set.regexes.push_back(boundary);
        }
    }
    return set;
}

// Rule files of 100 one-pattern signals each, as an analyst would write them.
rules::RuleSet make_rules(const PatternSet& patterns) {
    rules::RuleSetBuilder builder;
    for (std::size_t first = 0; first < patterns.written.size(); first += 100) {
        std::string yaml = "brief: {id: b" + std::to_string(first) + ", title: bench, threshold: 1}\nsignals:\n";
        for (std::size_t i = first; i < std::min(first + 100, patterns.written.size()); ++i) {
            yaml += "  - {id: s" + std::to_string(i) + ", kind: watch, weight: 1, any: ['" + patterns.written[i] + "']}\n";
        }
        builder.add_file(yaml, "bench/b" + std::to_string(first) + ".yaml");
    }
    return std::move(builder).finish();
}

void run(const std::vector<feed::Item>& items, std::size_t total_bytes, Corpus& corpus, std::size_t count, bool mixed,
         bool quick) {
    const PatternSet patterns = make_patterns(corpus, count, mixed);
    const double megabytes = static_cast<double>(total_bytes) / 1e6;
    std::printf("\n%zu patterns%s\n", count, mixed ? " (10% regexes)" : " (phrases)");

    auto start = Clock::now();
    rules::RuleSet rule_set = make_rules(patterns);
    const double load = seconds_since(start);
    start = Clock::now();
    const auto compiled = rules::compile(std::move(rule_set));
    const double compile = seconds_since(start);
    std::printf("  signalmon: load+validate %.3f s, compile %.3f s, databases %.2f MiB (%zu literals, %zu regexes)\n",
                load, compile, static_cast<double>(compiled->database_bytes()) / (1 << 20), compiled->literal_count(),
                compiled->regex_count());

    match::Matcher matcher(compiled);
    std::size_t occurrences = 0;
    start = Clock::now();
    for (const feed::Item& item : items) {
        occurrences += matcher.scan(item).occurrences.size();
    }
    const double scan = seconds_since(start);
    const double ours = megabytes / scan;
    std::size_t hits = 0;
    start = Clock::now();
    for (const feed::Item& item : items) {
        for (const score::Verdict& verdict : score::evaluate(*compiled, item, matcher.scan(item))) {
            hits += verdict.hits.size();
        }
    }
    const double scored = seconds_since(start);
    std::printf("  signalmon scan (fold + both databases): %.1f MB/s, %.0f items/s (%zu occurrences)\n", ours,
                static_cast<double>(items.size()) / scan, occurrences);
    std::printf("  signalmon scan+score: %.1f MB/s, %.0f items/s (%zu signal hits)\n", megabytes / scored,
                static_cast<double>(items.size()) / scored, hits);

    // Baseline 1: RE2::Set over the same folded text, memory cap raised so it compiles at all.
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_max_mem(std::int64_t{2} << 30);
    options.set_log_errors(false);
    RE2::Set set(options, RE2::UNANCHORED);
    for (const std::string& regex : patterns.regexes) {
        if (set.Add(regex, nullptr) < 0) {
            std::printf("  RE2::Set: cannot add %s\n", regex.c_str());
            return;
        }
    }
    start = Clock::now();
    if (!set.Compile()) {
        std::printf("  RE2::Set: Compile() failed (out of memory)\n");
    } else {
        const double re2_compile = seconds_since(start);
        std::vector<int> found;
        std::size_t matched = 0;
        start = Clock::now();
        for (const feed::Item& item : items) {
            for (const std::string* field : {&item.title, &item.content}) {
                found.clear();
                matched += set.Match(text::fold(*field).text, &found) ? found.size() : 0;
            }
        }
        const double re2_scan = seconds_since(start);
        std::printf("  RE2::Set: compile %.3f s, scan %.1f MB/s (%zu pattern-field matches); signalmon is %.1fx\n",
                    re2_compile, megabytes / re2_scan, matched, ours / (megabytes / re2_scan));
    }

    // Baseline 2: the same phrases as `\b…\b` Hyperscan regexes, to show what literals buy.
    if (mixed || (quick && count > 1000)) {
        return;
    }
    std::vector<const char*> expressions;
    std::vector<unsigned> flags(patterns.regexes.size(), HS_FLAG_CASELESS);
    std::vector<unsigned> ids;
    for (const std::string& regex : patterns.regexes) {
        ids.push_back(static_cast<unsigned>(expressions.size()));
        expressions.push_back(regex.c_str());
    }
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    start = Clock::now();
    if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(ids.size()), HS_MODE_BLOCK,
                         nullptr, &database, &error) != HS_SUCCESS) {
        std::printf("  \\b regexes: compile failed: %s\n", error->message);
        hs_free_compile_error(error);
        return;
    }
    const double regex_compile = seconds_since(start);
    std::size_t regex_bytes = 0;
    hs_database_size(database, &regex_bytes);
    std::printf("  \\b regexes in Hyperscan: compile %.3f s (%.1fx signalmon), database %.2f MiB\n", regex_compile,
                regex_compile / compile, static_cast<double>(regex_bytes) / (1 << 20));
    hs_free_database(database);
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "--quick";
    const std::size_t target = quick ? 5'000'000 : 50'000'000;
    Corpus corpus(20'000);
    std::vector<feed::Item> items;
    std::size_t total = 0;
    while (total < target) {
        feed::Item item;
        item.title = corpus.text(80);
        item.content = corpus.text(1900);
        total += item.title.size() + item.content.size();
        items.push_back(std::move(item));
    }
    std::printf("bench_match%s: %zu items, %.1f MB of text, Hyperscan %s\n", quick ? " --quick" : "", items.size(),
                static_cast<double>(total) / 1e6, hs_version());
    // The floor under every scan: folding alone (the offset map is 8 bytes per byte).
    const auto start = Clock::now();
    std::size_t folded = 0;
    for (const feed::Item& item : items) {
        folded += text::fold(item.title).text.size() + text::fold(item.content).text.size();
    }
    std::printf("fold alone: %.1f MB/s (%zu bytes folded)\n", static_cast<double>(total) / 1e6 / seconds_since(start),
                folded);
    for (const bool mixed : {false, true}) {
        for (const std::size_t count : {std::size_t{100}, std::size_t{1000}, std::size_t{10000}}) {
            run(items, total, corpus, count, mixed, quick);
        }
    }
    return 0;
}
