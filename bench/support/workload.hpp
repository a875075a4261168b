// What the benchmarks run on: news items cycled from the real feed fixtures, watchlist-like
// patterns drawn from that text, rule files holding them, and the clocks and meters they read.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "feed/item.hpp"
#include "rules/rule_set.hpp"

namespace signalmon::bench {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start);

// Wall time and this thread's CPU time since construction. One-core figures use CPU time: the
// machine is shared, and wall time there measures the neighbours as much as the code.
class Stopwatch {
public:
    Stopwatch();
    double wall() const;
    double cpu() const;

private:
    Clock::time_point m_wall;
    double m_cpu;
};
std::string read_file(const std::filesystem::path& file);  // empty if unreadable

// Every item of every parsable feed in tests/data/feed and bench/data with some text (titles,
// summaries, contents as the parser left them): English, Italian, French and Russian news, filings,
// blog posts, about two thirds of it ASCII.
const std::vector<feed::Item>& fixture_items();

// About total_bytes of items of ~item_bytes (title + content), built by cycling the fixture texts;
// every item gets a unique key and link.
std::vector<feed::Item> news_items(std::size_t total_bytes, std::size_t item_bytes = 2000);
std::size_t text_bytes(const std::vector<feed::Item>& items);  // title + summary + content

// count patterns in rule-file syntax, like an analyst's watchlist: one in ten is a two- or
// three-word n-gram of the corpus text (so it matches), the rest pair two of its content words
// (and mostly do not); when mixed, one in ten is a /regex/ like analysts write (bounded word gaps,
// money and number shapes, alternations of inflected words, letters spelled two ways; built from
// the corpus words) and one in ten a `word stem*` phrase.
struct Patterns {
    std::vector<std::string> written;   // as in a rule file
    std::vector<std::string> baseline;  // the same as RE2/Hyperscan regexes with \b word boundaries
};
Patterns make_patterns(std::size_t count, bool mixed, unsigned seed = 42);

// The YAML of rule files holding the patterns, 100 one-pattern signals per brief.
std::vector<std::string> rule_files(const Patterns& patterns);
rules::RuleSet make_rules(const Patterns& patterns);
void write_rules(const Patterns& patterns, const std::filesystem::path& dir);

// Kernel counters of this process (KiB): current and peak resident set.
std::size_t rss_kib();
std::size_t peak_rss_kib();

// RSS 2.0 documents of items_per_feed items each (descriptions as escaped HTML, like real feeds).
std::vector<std::string> rss_documents(const std::vector<feed::Item>& items, std::size_t items_per_feed);

// Writes feeds RSS files f0.xml … f(feeds-1).xml of items_per_feed news items each into root (the
// poll benchmarks' web root); returns their total size in bytes.
std::size_t write_feed_files(const std::filesystem::path& root, std::size_t feeds, std::size_t items_per_feed);

// A scratch directory removed with its contents when destroyed (kept, and named on stderr, when
// SIGNALMON_BENCH_KEEP is set, to look at logs or rerun a step by hand).
class ScratchDir {
public:
    ScratchDir();
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ~ScratchDir();
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

}  // namespace signalmon::bench
