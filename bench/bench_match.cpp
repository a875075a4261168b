// Benchmark, issue 7 scenario 1 (and issue 3's cache): the literal-first matcher on ~2 KB news
// items cycled from the feed fixtures, against RE2::Set and `\b…\b` Hyperscan regexes measured in
// the same run; compile vs cached-load time. Rates are per CPU second of the measuring thread.
// `--quick`: ~5 MB of text instead of ~50 MB.
#include <hs/hs.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "match/matcher.hpp"
#include "rules/cache.hpp"
#include "score/evaluate.hpp"
#include "support/figures.hpp"
#include "support/workload.hpp"
#include "text/fold.hpp"

using namespace signalmon;

namespace {

struct Corpus {
    std::vector<feed::Item> items;
    double megabytes = 0;
};

double mb_per_s(const Corpus& corpus, double seconds) { return corpus.megabytes / seconds; }

// Folding is the floor under every scan; memcpy of the same bytes is its baseline.
void bench_fold(const Corpus& corpus) {
    text::FoldedText folded;
    std::size_t out = 0;
    bench::Stopwatch start;
    for (const feed::Item& item : corpus.items) {
        text::fold_into(item.title, folded);
        out += folded.text.size() + folded.segments.size();
        text::fold_into(item.content, folded);
        out += folded.text.size() + folded.segments.size();
    }
    const double fold = start.cpu();
    std::string copy;
    start = bench::Stopwatch();
    for (const feed::Item& item : corpus.items) {
        copy.assign(item.title);
        out += copy.size();
        copy.assign(item.content);
        out += copy.size();
    }
    const double memcpy_seconds = start.cpu();
    std::printf("fold: %.0f MB/s; baseline copy: %.0f MB/s; fold is %.2fx copy (checksum %zu)\n",
                mb_per_s(corpus, fold), mb_per_s(corpus, memcpy_seconds), memcpy_seconds / fold, out);
}

// Issue 3: compiling the rules vs loading the cached databases, on a cold cache directory.
void bench_cache(std::size_t count, bool mixed) {
    const bench::ScratchDir dir;
    const auto compiled = rules::compile_cached(bench::make_rules(bench::make_patterns(count, mixed)), dir.path());
    const auto loaded = rules::compile_cached(bench::make_rules(bench::make_patterns(count, mixed)), dir.path());
    std::printf("cache %5zu %s: compile %8.1f ms, cached load %6.2f ms (%s), %.0fx faster, database %.2f MiB\n", count,
                mixed ? "mixed  " : "phrases", compiled.seconds * 1e3, loaded.seconds * 1e3,
                std::string(rules::cache_outcome_name(loaded.outcome)).c_str(), compiled.seconds / loaded.seconds,
                static_cast<double>(loaded.compiled->database_bytes()) / (1 << 20));
}

struct ScanTime {
    double wall = 0;
    double cpu = 0;  // of the first thread
    std::size_t occurrences = 0;
};

// Matches every item on `threads` threads, one Matcher each.
ScanTime scan_all(const Corpus& corpus, const std::shared_ptr<const rules::CompiledRules>& compiled, unsigned threads) {
    std::vector<std::size_t> found(threads, 0);
    ScanTime time;
    const bench::Stopwatch start;
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            const bench::Stopwatch own;
            match::Matcher matcher(compiled);
            match::MatchSet matches;
            for (std::size_t i = t; i < corpus.items.size(); i += threads) {
                matcher.scan(corpus.items[i], matches);
                found[t] += matches.occurrences.size();
            }
            if (t == 0) {
                time.cpu = own.cpu();
            }
        });
    }
    workers.clear();
    time.wall = start.wall();
    for (const std::size_t n : found) {
        time.occurrences += n;
    }
    return time;
}

// RE2::Set over the same folded fields; returns MB/s, or 0 if it cannot compile.
double bench_re2(const Corpus& corpus, const bench::Patterns& patterns) {
    RE2::Options options;
    options.set_case_sensitive(false);
    options.set_max_mem(std::int64_t{4} << 30);  // its default cap fails well before 10k patterns
    options.set_log_errors(false);
    RE2::Set set(options, RE2::UNANCHORED);
    for (const std::string& regex : patterns.baseline) {
        if (set.Add(regex, nullptr) < 0) {
            std::printf("  RE2::Set: cannot add %s\n", regex.c_str());
            return 0;
        }
    }
    bench::Stopwatch start;
    if (!set.Compile()) {
        std::printf("  RE2::Set: Compile() failed\n");
        return 0;
    }
    const double compile = start.cpu();
    std::vector<int> found;
    text::FoldedText folded;
    std::size_t matched = 0;
    start = bench::Stopwatch();
    for (const feed::Item& item : corpus.items) {
        for (const std::string* field : {&item.title, &item.content}) {
            text::fold_into(*field, folded);
            found.clear();
            matched += set.Match(folded.text, &found) ? found.size() : 0;
        }
    }
    const double scan = start.cpu();
    std::printf("  baseline RE2::Set: compile %.3f s, fold+scan %.1f MB/s (%zu pattern-field matches)\n", compile,
                mb_per_s(corpus, scan), matched);
    return mb_per_s(corpus, scan);
}

int count_match(unsigned, unsigned long long, unsigned long long, unsigned, void* context) {
    ++*static_cast<std::size_t*>(context);
    return 0;
}

// The same phrases as caseless `\b…\b` Hyperscan regexes: what compiling them as literals buys.
void bench_boundary_regexes(const Corpus& corpus, const bench::Patterns& patterns, double compile, double ours) {
    std::vector<const char*> expressions;
    std::vector<unsigned> flags(patterns.baseline.size(), HS_FLAG_CASELESS);  // every match, like the literals
    std::vector<unsigned> ids;
    for (const std::string& regex : patterns.baseline) {
        ids.push_back(static_cast<unsigned>(expressions.size()));
        expressions.push_back(regex.c_str());
    }
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    bench::Stopwatch start;
    if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(ids.size()), HS_MODE_BLOCK,
                         nullptr, &database, &error) != HS_SUCCESS) {
        std::printf("  baseline \\b regexes: compile failed: %s\n", error->message);
        hs_free_compile_error(error);
        return;
    }
    const double regex_compile = start.cpu();
    std::size_t bytes = 0;
    hs_database_size(database, &bytes);
    hs_scratch_t* scratch = nullptr;
    hs_alloc_scratch(database, &scratch);
    text::FoldedText folded;
    std::size_t matched = 0;
    start = bench::Stopwatch();
    for (const feed::Item& item : corpus.items) {
        for (const std::string* field : {&item.title, &item.content}) {
            text::fold_into(*field, folded);
            hs_scan(database, folded.text.data(), static_cast<unsigned>(folded.text.size()), 0, scratch, count_match,
                    &matched);
        }
    }
    const double scan = mb_per_s(corpus, start.cpu());
    std::printf(
        "  baseline \\b regexes in Hyperscan: compile %.3f s (signalmon %.0fx faster), database %.2f MiB, "
        "fold+scan %.1f MB/s (signalmon %.2fx)\n",
        regex_compile, regex_compile / compile, static_cast<double>(bytes) / (1 << 20), scan, ours / scan);
    hs_free_scratch(scratch);
    hs_free_database(database);
}

// Counts the field and stops at its first report, as the matcher's use of the filter does.
int stop_scan(unsigned, unsigned long long, unsigned long long, unsigned, void* context) {
    ++*static_cast<std::size_t*>(context);
    return 1;
}

// Every non-empty field the matcher scans, folded ahead of time.
std::vector<text::FoldedText> folded_fields(const Corpus& corpus) {
    std::vector<text::FoldedText> fields;
    for (const feed::Item& item : corpus.items) {
        for (const rules::Field field : rules::k_fields) {
            if (const std::string_view text = match::field_text(item, field); !text.empty()) {
                text::fold_into(text, fields.emplace_back());
            }
        }
    }
    return fields;
}

// Issue 16's floor under the scan: the literal database alone in bare hs_scan, a callback that
// only counts, over the same fields already folded. Returns Matcher::scan's speed over it.
double vs_bare_hyperscan(const Corpus& corpus, const rules::CompiledRules& compiled, double matcher_cpu) {
    const std::vector<text::FoldedText> fields = folded_fields(corpus);
    hs_scratch_t* scratch = nullptr;
    hs_alloc_scratch(compiled.literal_database(), &scratch);
    std::size_t reports = 0;
    const bench::Stopwatch start;
    for (const text::FoldedText& field : fields) {
        hs_scan(compiled.literal_database(), field.text.data(), static_cast<unsigned>(field.text.size()), 0, scratch,
                count_match, &reports);
    }
    const double bare = start.cpu();
    hs_free_scratch(scratch);
    std::printf(
        "  bare hs_scan of the literal database on pre-folded text: %.1f MB/s (%zu reports); "
        "Matcher::scan is %.2fx of it\n",
        mb_per_s(corpus, bare), reports, bare / matcher_cpu);
    return bare / matcher_cpu;
}

// Where a mixed set's scan time goes: each of the three databases alone over the folded fields,
// with a callback that only counts, and how often the filter sends a field to the regex scan.
void bench_databases(const Corpus& corpus, const rules::CompiledRules& compiled) {
    const std::vector<text::FoldedText> fields = folded_fields(corpus);
    hs_scratch_t* scratch = nullptr;
    for (const hs_database_t* database :
         {compiled.literal_database(), compiled.regex_database(), compiled.regex_filter_database()}) {
        if (database != nullptr) hs_alloc_scratch(database, &scratch);
    }
    const auto time_scan = [&](const hs_database_t* database, match_event_handler handler, std::size_t& reports) {
        bench::Stopwatch start;
        for (const text::FoldedText& field : fields) {
            hs_scan(database, field.text.data(), static_cast<unsigned>(field.text.size()), 0, scratch, handler,
                    &reports);
        }
        return mb_per_s(corpus, start.cpu());
    };
    std::size_t literal_reports = 0;
    std::size_t regex_reports = 0;
    std::size_t filtered = 0;
    const double literal = time_scan(compiled.literal_database(), count_match, literal_reports);
    const double regex = time_scan(compiled.regex_database(), count_match, regex_reports);
    const double filter = time_scan(compiled.regex_filter_database(), stop_scan, filtered);
    std::printf(
        "  databases alone: literals %.1f MB/s (%zu reports), regexes with SOM %.1f MB/s (%zu reports), "
        "regex filter %.1f MB/s (sends %.0f%% of fields to the regex scan)\n",
        literal, literal_reports, regex, regex_reports, filter,
        100.0 * static_cast<double>(filtered) / static_cast<double>(fields.size()));
    hs_free_scratch(scratch);
}

// The same phrases written exact ('='): the literals as they were before the lexicon gave each
// phrase its inflections and spellings, the baseline of what those forms cost.
bench::Patterns exact_of(bench::Patterns patterns) {
    for (std::string& written : patterns.written) {
        if (!written.starts_with('/') && written.find('*') == std::string::npos) written = "=" + written;
    }
    return patterns;
}

// Load, compile and one-core scan of the phrases written exact, against the figures with forms.
void bench_forms_cost(const Corpus& corpus, const bench::Patterns& patterns, double load, double compile,
                      double scan_mb_s, const rules::CompiledRules& with_forms) {
    bench::Stopwatch start;
    rules::RuleSet rule_set = bench::make_rules(exact_of(patterns));
    const double exact_load = start.cpu();
    start = bench::Stopwatch();
    const auto exact = rules::compile(std::move(rule_set));
    const double exact_compile = start.cpu();
    const double exact_scan = mb_per_s(corpus, scan_all(corpus, exact, 1).cpu);
    std::printf("  phrases as written (no forms): load+validate %.3f s, compile %.3f s, %zu literals, scan %.1f MB/s\n",
                exact_load, exact_compile, exact->literals().size(), exact_scan);
    std::printf("  forms cost: %.1fx the literals, load %.1fx, compile %.1fx, scan at %.2fx the speed\n",
                static_cast<double>(with_forms.literals().size()) / static_cast<double>(exact->literals().size()),
                load / exact_load, compile / exact_compile, scan_mb_s / exact_scan);
}

void bench_set(const Corpus& corpus, std::size_t count, bool mixed, bool quick) {
    const bench::Patterns patterns = bench::make_patterns(count, mixed);
    std::printf("\n%zu patterns (%s)\n", count, mixed ? "10% regexes, 10% word* suffixes" : "phrases");
    if (mixed) {
        // One of each shape the generator writes (bench/support/workload.cpp), so a reader sees them.
        for (std::size_t i = 0; i < std::min<std::size_t>(count, 50); i += 10) {
            std::printf("  e.g. %s\n", patterns.written[i].c_str());
        }
    }
    bench::Stopwatch start;
    rules::RuleSet rule_set = bench::make_rules(patterns);
    const double load = start.cpu();
    start = bench::Stopwatch();
    const auto compiled = rules::compile(std::move(rule_set));
    const double compile = start.cpu();
    std::printf(
        "  signalmon: load+validate %.3f s, compile %.3f s, databases %.2f MiB (%zu literal patterns as %zu forms, "
        "%zu regexes)\n",
        load, compile, static_cast<double>(compiled->database_bytes()) / (1 << 20), compiled->literal_count(),
        compiled->literals().size(), compiled->regex_count());

    const ScanTime one = scan_all(corpus, compiled, 1);
    const double ours = mb_per_s(corpus, one.cpu);
    std::printf("  signalmon scan, 1 core: %.1f MB/s, %.0f items/s, %.2f occurrences/item\n", ours,
                static_cast<double>(corpus.items.size()) / one.cpu,
                static_cast<double>(one.occurrences) / static_cast<double>(corpus.items.size()));
    if (!mixed) {
        const double vs_bare = vs_bare_hyperscan(corpus, *compiled, one.cpu);
        if (count >= 1000) {
            bench::record_figure("match_" + std::to_string(count / 1000) + "k_vs_bare_hyperscan", vs_bare);
        }
        bench_forms_cost(corpus, patterns, load, compile, ours, *compiled);
    }
    const ScanTime two = scan_all(corpus, compiled, 2);
    std::printf("  signalmon scan, 2 threads: %.1f MB/s wall (%.2fx one thread's wall time)\n",
                mb_per_s(corpus, two.wall), one.wall / two.wall);

    match::Matcher matcher(compiled);
    match::MatchSet matches;
    std::size_t hits = 0;
    const auto scan_and_score = [&](score::HitDetail detail) {
        hits = 0;
        const bench::Stopwatch scoring;
        for (const feed::Item& item : corpus.items) {
            matcher.scan(item, matches);
            for (const score::Verdict& verdict : score::evaluate(*compiled, item, matches, {}, detail)) {
                hits += verdict.hits.size();
            }
        }
        return scoring.cpu();
    };
    const double scored = scan_and_score(score::HitDetail::evidence);
    const double described = scan_and_score(score::HitDetail::text);
    std::printf(
        "  signalmon scan+score, 1 core: %.1f MB/s, %.0f items/s (%zu signal hits); with terms and snippets "
        "for every hit: %.1f MB/s\n",
        mb_per_s(corpus, scored), static_cast<double>(corpus.items.size()) / scored, hits, mb_per_s(corpus, described));

    if (mixed) {
        bench_databases(corpus, *compiled);
    }
    if (const double re2 = bench_re2(corpus, patterns); re2 > 0) {
        std::printf("  ratio: signalmon is %.1fx RE2::Set (target >= %dx)\n", ours / re2, mixed ? 10 : 3);
    }
    if (!mixed && !(quick && count > 1000)) {
        bench_boundary_regexes(corpus, patterns, compile, ours);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::string_view(argv[1]) == "--quick";
    spdlog::set_level(spdlog::level::warn);  // the cache's "loaded"/"compiled" lines are not results
    Corpus corpus;
    corpus.items = bench::news_items(quick ? 5'000'000 : 50'000'000);
    corpus.megabytes = static_cast<double>(bench::text_bytes(corpus.items)) / 1e6;
    std::printf("bench_match%s: %zu items (%.0f bytes each) cycled from %zu fixture items, %.1f MB, Hyperscan %s\n",
                quick ? " --quick" : "", corpus.items.size(),
                corpus.megabytes * 1e6 / static_cast<double>(corpus.items.size()), bench::fixture_items().size(),
                corpus.megabytes, hs_version());
    bench_fold(corpus);
    for (const std::size_t count : {std::size_t{10}, std::size_t{1000}, std::size_t{10000}}) {
        bench_cache(count, false);
    }
    for (const bool mixed : {false, true}) {
        for (const std::size_t count : {std::size_t{100}, std::size_t{1000}, std::size_t{10000}}) {
            bench_set(corpus, count, mixed, quick);
        }
    }
    return 0;
}
