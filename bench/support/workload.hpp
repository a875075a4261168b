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

// Every item of every parsable fixture in tests/data/feed with some text (titles, summaries,
// contents as the parser left them): English and Italian news, filings, blog posts.
const std::vector<feed::Item>& fixture_items();

// About total_bytes of items of ~item_bytes (title + content), built by cycling the fixture texts;
// every item gets a unique key and link.
std::vector<feed::Item> news_items(std::size_t total_bytes, std::size_t item_bytes = 2000);
std::size_t text_bytes(const std::vector<feed::Item>& items);  // title + summary + content

// count patterns in rule-file syntax, like an analyst's watchlist: a third are word n-grams that
// occur in the fixture text, two thirds are combinations of its words that mostly do not, plus,
// when mixed, every tenth is a /regex/ with an alternation and every twentieth a `word*` phrase.
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

// A scratch directory removed with its contents when destroyed.
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
