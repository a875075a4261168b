// Benchmark, issue 7 scenario 2: RSS files generated from the fixture news text through
// parse → normalize → dedupe → match (1,000 patterns) → score → store (SQLite), one core, against
// pugixml parsing alone (the floor) and Python feedparser, measured in the same run.
// Rates are per CPU second. `--quick`: ~10 MB of feeds instead of ~100 MB.
#include <pugixml.hpp>

#include <spdlog/spdlog.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "feed/parse.hpp"
#include "match/matcher.hpp"
#include "rules/compile.hpp"
#include "score/evaluate.hpp"
#include "store/sqlite_store.hpp"
#include "support/figures.hpp"
#include "support/workload.hpp"

using namespace signalmon;

namespace {

constexpr std::size_t k_items_per_feed = 50;

struct Result {
    std::size_t items = 0;
    double seconds = 0;
};

// CPU seconds per stage, so the profile of a missed target is in every run's output.
struct Stages {
    double parse = 0;
    double dedupe = 0;
    double match = 0;
    double score = 0;
    double store = 0;
    double search = 0;
};

Result pipeline(const std::vector<std::string>& documents, const std::filesystem::path& state) {
    store::SqliteStore store(state / "signalmon.db", store::OpenMode::read_write);
    const auto compiled = rules::compile(bench::make_rules(bench::make_patterns(1000, false)));
    match::Matcher matcher(compiled);
    match::MatchSet matches;
    Result result;
    Stages stages;
    std::size_t hits = 0;
    const bench::Stopwatch start;
    for (std::size_t f = 0; f < documents.size(); ++f) {
        const std::string feed_id = "feed-" + std::to_string(f);
        bench::Stopwatch stage;
        auto parsed =
            feed::parse(documents[f], {.base_url = "http://bench.invalid/", .content_type = "application/rss+xml"});
        stages.parse += stage.cpu();
        if (!parsed) {
            std::printf("parse failed: %s\n", parsed.error().message.c_str());
            return {};
        }
        stage = bench::Stopwatch();
        const auto fresh = store.filter_new(feed_id, parsed->items);
        stages.dedupe += stage.cpu();
        std::vector<store::NewItem> new_items;
        for (const feed::Item* item : *fresh) {
            stage = bench::Stopwatch();
            matcher.scan(*item, matches);
            stages.match += stage.cpu();
            stage = bench::Stopwatch();
            new_items.push_back({item, score::evaluate(*compiled, *item, matches)});
            stages.score += stage.cpu();
        }
        stage = bench::Stopwatch();
        const store::PollRecord record{.feed_id = feed_id, .url = "http://bench.invalid/" + feed_id, .polled_at = 1};
        hits += store.record_poll(record, new_items, 1).value_or(0);
        stages.store += stage.cpu();
        result.items += parsed->items.size();
    }
    // The cycle's end adds its new items to the search index in batches, as the daemon does.
    const bench::Stopwatch search;
    while (store.index_for_search().value_or(0) > 0) {
    }
    stages.search = search.cpu();
    result.seconds = start.cpu();
    const double total = result.seconds / 100;
    std::printf(
        "  CPU by stage: parse+normalize %.0f%%, dedupe %.0f%%, match %.0f%%, score %.0f%%, store %.0f%%, "
        "search index %.0f%% (%zu hits stored)\n",
        stages.parse / total, stages.dedupe / total, stages.match / total, stages.score / total, stages.store / total,
        stages.search / total, hits);
    return result;
}

Result pugixml_alone(const std::vector<std::string>& documents) {
    std::vector<std::string> copies = documents;  // parsed in place, so each run needs its own bytes
    Result result;
    const bench::Stopwatch start;
    for (std::string& document : copies) {
        pugi::xml_document xml;
        if (!xml.load_buffer_inplace(document.data(), document.size())) {
            return {};
        }
        for (const pugi::xml_node item : xml.child("rss").child("channel").children("item")) {
            result.items += item.child("description").empty() ? 0 : 1;
        }
    }
    result.seconds = start.cpu();
    return result;
}

// Python feedparser on the files in dir, through Debian's /usr/bin/python3; nothing if absent.
std::optional<Result> feedparser(const std::filesystem::path& dir, std::size_t max_files) {
    const std::filesystem::path script = dir / "feedparser_bench.py";
    std::ofstream(script) << "import sys, time, glob\n"
                             "import feedparser\n"
                             "files = sorted(glob.glob(sys.argv[1] + '/*.xml'))[:int(sys.argv[2])]\n"
                             "start = time.process_time(); n = 0\n"
                             "for f in files:\n"
                             "    n += len(feedparser.parse(f).entries)\n"
                             "print(n, time.process_time() - start)\n";
    const std::string command =
        "/usr/bin/python3 " + script.string() + " " + dir.string() + " " + std::to_string(max_files) + " 2>/dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return std::nullopt;
    }
    Result result;
    const int read = std::fscanf(pipe, "%zu %lf", &result.items, &result.seconds);
    ::pclose(pipe);
    if (read != 2 || result.items == 0) {
        return std::nullopt;
    }
    return result;
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "--quick";
    spdlog::set_level(spdlog::level::warn);  // the cache's "loaded"/"compiled" lines are not results
    const std::vector<feed::Item> items = bench::news_items(quick ? 8'000'000 : 80'000'000);
    const bench::ScratchDir dir;
    const std::vector<std::string> documents = bench::rss_documents(items, k_items_per_feed);
    std::size_t bytes = 0;
    for (std::size_t f = 0; f < documents.size(); ++f) {
        bytes += documents[f].size();
        std::ofstream(dir.path() / ("feed-" + std::to_string(f) + ".xml"), std::ios::binary) << documents[f];
    }
    const double megabytes = static_cast<double>(bytes) / 1e6;
    std::printf("bench_ingest%s: %zu RSS files, %zu items, %.1f MB\n", quick ? " --quick" : "", documents.size(),
                items.size(), megabytes);

    const Result floor = pugixml_alone(documents);
    const double floor_rate = static_cast<double>(floor.items) / floor.seconds;
    std::printf("baseline pugixml parse alone: %.0f items/s, %.0f MB/s\n", floor_rate, megabytes / floor.seconds);

    const Result ours = pipeline(documents, dir.path());
    const double rate = static_cast<double>(ours.items) / ours.seconds;
    std::printf("signalmon parse+normalize+dedupe+match(1,000)+score+store, 1 core: %.0f items/s, %.1f MB/s\n", rate,
                megabytes / ours.seconds);
    std::printf("ratio: %.0f%% of the pugixml floor (target >= 40%%), %.0f items/s (target >= 50,000)\n",
                100 * rate / floor_rate, rate);
    bench::record_figure("ingest_items_per_cpu_s", rate);

    // feedparser is ~100x slower: a slice of the same files gives its rate without a long wait.
    const std::size_t slice = std::min<std::size_t>(documents.size(), quick ? 40 : 200);
    if (const auto python = feedparser(dir.path(), slice)) {
        const double python_rate = static_cast<double>(python->items) / python->seconds;
        std::printf("baseline Python feedparser (%zu files): %.0f items/s; signalmon is %.1fx (target >= 20x)\n", slice,
                    python_rate, rate / python_rate);
        bench::record_figure("ingest_vs_feedparser", rate / python_rate);
    } else {
        std::printf("baseline Python feedparser: not installed (apt-get install python3-feedparser)\n");
    }
    return 0;
}
