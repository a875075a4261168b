// Benchmark, issue 16 item 3: the store's cost per item when it holds 1M items (100k with
// --quick) against an empty store, in the same run. The same polls (50 news items of ~2 KB each,
// scored against 1,000 patterns) go through filter_new and record_poll, the daemon's two store
// calls per poll, into each store; CPU seconds of this thread (SQLite runs in it), the best of
// three rounds per store (each round with new feeds, so nothing is deduplicated away).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "match/matcher.hpp"
#include "rules/compile.hpp"
#include "score/evaluate.hpp"
#include "store/sqlite_store.hpp"
#include "support/figures.hpp"
#include "support/store_fill.hpp"
#include "support/workload.hpp"

using namespace signalmon;

namespace {

constexpr std::size_t k_items_per_poll = 50;
constexpr feed::UnixTime k_now = 1'800'000'000;

struct Poll {
    std::vector<feed::Item> items;
    std::vector<std::vector<score::Verdict>> verdicts;  // per item
};

std::vector<Poll> scored_polls(const std::vector<feed::Item>& items) {
    const auto compiled = rules::compile(bench::make_rules(bench::make_patterns(1000, false)));
    match::Matcher matcher(compiled);
    std::vector<Poll> polls;
    for (std::size_t at = 0; at < items.size(); at += k_items_per_poll) {
        Poll& poll = polls.emplace_back();
        poll.items.assign(items.begin() + static_cast<std::ptrdiff_t>(at),
                          items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), at + k_items_per_poll)));
        for (const feed::Item& item : poll.items)
            poll.verdicts.push_back(score::evaluate(*compiled, item, matcher.scan(item)));
    }
    return polls;
}

// CPU seconds per item of filter_new + record_poll for every poll, as feeds named after round.
double seconds_per_item(store::SqliteStore& store, const std::vector<Poll>& polls, int round) {
    std::size_t items = 0;
    const bench::Stopwatch start;
    for (std::size_t p = 0; p < polls.size(); ++p) {
        const std::string feed_id = "round-" + std::to_string(round) + "-feed-" + std::to_string(p);
        const auto fresh = store.filter_new(feed_id, polls[p].items);
        std::vector<store::NewItem> new_items;
        for (const feed::Item* item : fresh.value()) {
            const auto index = static_cast<std::size_t>(item - polls[p].items.data());
            new_items.push_back({item, polls[p].verdicts[index]});
        }
        const store::PollRecord record{
            .feed_id = feed_id, .url = "http://bench.invalid/" + feed_id, .polled_at = k_now};
        if (!store.record_poll(record, new_items, k_now)) return 0;
        items += new_items.size();
    }
    return start.cpu() / static_cast<double>(items);
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "--quick";
    const std::int64_t stored = quick ? 100'000 : 1'000'000;
    spdlog::set_level(spdlog::level::warn);
    const std::vector<Poll> polls = scored_polls(bench::news_items(quick ? 4'000'000 : 20'000'000));
    const bench::ScratchDir dir;
    const bench::Stopwatch filling;
    // As many hits per item as the 10k-feed poll bench stores (0.37), over 30 days.
    bench::fill_store(dir.path() / "full.db", stored, stored * 37 / 100, k_now, 30);
    std::printf("bench_store%s: %zu polls of %zu items into an empty store and one of %lld items (filled in %.1f s)\n",
                quick ? " --quick" : "", polls.size(), k_items_per_poll, static_cast<long long>(stored),
                filling.wall());
    store::SqliteStore full(dir.path() / "full.db", store::OpenMode::read_write);
    double empty_best = 1e9;
    double full_best = 1e9;
    for (int round = 0; round < 3; ++round) {
        store::SqliteStore empty(dir.path() / ("empty-" + std::to_string(round) + ".db"), store::OpenMode::read_write);
        empty_best = std::min(empty_best, seconds_per_item(empty, polls, round));
        full_best = std::min(full_best, seconds_per_item(full, polls, round));
    }
    const double ratio = full_best / empty_best;
    std::printf("  per item: empty store %.1f us, %lld-item store %.1f us: %.2fx (target <= 1.2x at 1M)\n",
                empty_best * 1e6, static_cast<long long>(stored), full_best * 1e6, ratio);
    if (!quick) bench::record_figure("store_1m_item_cost_vs_empty", ratio);
    return 0;
}
