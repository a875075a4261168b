// Tests for brief/compiler: drafts are valid rule files built from concepts and specific terms, no
// drafted group is satisfied by a common word, ids are whole words, the brief's own lines are
// examples, and calibration tightens a noisy signal and says so.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "brief/calibrate.hpp"
#include "brief/compiler.hpp"
#include "rules/compile.hpp"
#include "test_feed_fixture.hpp"

using namespace signalmon;

namespace {

std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const std::filesystem::path k_data = SIGNALMON_TEST_DATA;

// The shipped concept library and the background corpus, loaded once.
struct Library {
    std::string concepts_yaml = read_text(std::filesystem::path(SIGNALMON_SOURCE_DIR) / "rules" / "concepts.yaml");
    std::unordered_map<std::string, rules::Concept> concepts;
    std::vector<feed::Item> background = brief::load_stories(k_data / "eval" / "background");
    brief::WordShares shares{background};

    Library() {
        rules::RuleSetBuilder builder;
        builder.add_file(concepts_yaml, "rules/concepts.yaml");
        concepts = std::move(builder).finish().concepts;
    }

    std::shared_ptr<const rules::CompiledRules> compile(const brief::Draft& draft) const {
        rules::RuleSetBuilder builder;
        builder.add_file(concepts_yaml, "rules/concepts.yaml");
        builder.add_file(brief::draft_yaml(draft, "test"), "rules/drafted.yaml");
        return rules::compile(std::move(builder).finish());
    }
};

const Library& library() {
    static const Library shared;
    return shared;
}

std::vector<std::filesystem::path> brief_files() {
    std::vector<std::filesystem::path> files{k_data / "brief" / "rosa-del-mar-2026-03-06-issue-65.txt",
                                             k_data / "brief" / "kestrel-point-2026-04-14-issue-12.txt"};
    for (const auto& entry : std::filesystem::directory_iterator(k_data / "eval" / "tuning" / "briefs")) {
        files.push_back(entry.path());
    }
    return files;
}

brief::Draft draft_of(const std::filesystem::path& file) {
    const auto parsed = brief::parse_daily_brief(read_text(file));
    REQUIRE(parsed);
    return brief::compile_brief(*parsed, {&library().concepts, &library().shares});
}

}  // namespace

TEST_CASE("drafts load and compile with the concept library, every signal draft, every line an example") {
    for (const auto& file : brief_files()) {
        CAPTURE(file);
        const brief::Draft draft = draft_of(file);
        const auto compiled = library().compile(draft);
        const rules::RuleSet& set = compiled->rules();
        REQUIRE(set.briefs.size() == 1);
        const rules::Brief& brief = set.briefs[0];
        CHECK(!brief.signals.empty());
        CHECK(set.draft_signal_count() == brief.signals.size());
        const auto parsed = brief::parse_daily_brief(read_text(file));
        CHECK(brief.examples.size() == parsed->watchlist.size() + parsed->confirm.size() + parsed->kill.size());
        for (const rules::Example& example : brief.examples) CHECK(example.expect.has_value());
    }
}

TEST_CASE("no drafted group can be satisfied by a word common in the background corpus") {
    for (const auto& file : brief_files()) {
        CAPTURE(file);
        const auto compiled = library().compile(draft_of(file));
        for (const rules::Signal& signal : compiled->rules().briefs[0].signals) {
            CAPTURE(signal.id);
            // One group alone fires only on whole phrases; otherwise every group is needed.
            if (signal.groups.size() == 1) {
                for (const rules::PatternRef& ref : signal.groups[0]) CHECK(ref.written.find(' ') != std::string::npos);
            }
            for (const rules::Group& group : signal.groups) {
                for (const rules::PatternRef& ref : group) {
                    const std::vector<std::string> words = brief::words_of(ref.written);
                    if (words.size() != 1) continue;
                    CAPTURE(ref.written);
                    CHECK(library().shares.share(words[0]) <= brief::k_max_term_share);
                }
            }
        }
    }
}

TEST_CASE("a draft's about: is its topic's phrases and things, not its abstract nouns") {
    const brief::Draft draft = draft_of(k_data / "brief" / "rosa-del-mar-2026-03-06-issue-65.txt");
    const auto has = [&](std::string_view term) { return std::ranges::find(draft.about, term) != draft.about.end(); };
    CHECK(has("escrow"));
    CHECK(has("frontier labs"));
    CHECK(has("@compute"));
    CHECK_FALSE(has("attempts"));   // an act, not a thing: it says nothing about the topic alone
    CHECK_FALSE(has("concerns"));   // only inside its phrase, "governance concerns"
    CHECK_FALSE(has("outcomes"));   // a plain word of one phrase ("worse outcomes") is no topic alone
    CHECK(has("open ecosystems"));  // a phrase of a key takeaway: the analyst's wider vocabulary
    const auto compiled = library().compile(draft);
    CHECK(compiled->rules().briefs[0].about.size() >= draft.about.size());  // concepts expand to their patterns
    CHECK(compiled->rules().briefs[0].about_min == brief::k_draft_about_min);
    CHECK(brief::k_draft_about_min == 2);
}

TEST_CASE("a watch line's phrases are watch evidence alone; a confirm or kill line always needs two groups") {
    const brief::Draft draft = draft_of(k_data / "brief" / "rosa-del-mar-2026-03-06-issue-65.txt");
    const auto single = std::ranges::find_if(draft.signals, [](const brief::DraftSignal& signal) {
        return signal.groups.size() == 1 &&
               std::ranges::find(signal.groups[0], "frontier labs") != signal.groups[0].end();
    });
    REQUIRE(single != draft.signals.end());
    CHECK(single->kind == rules::Kind::watch);
    for (const brief::DraftSignal& signal : draft.signals) {
        CAPTURE(signal.id);
        if (signal.kind != rules::Kind::watch) CHECK(signal.groups.size() >= 2);
    }
}

TEST_CASE("drafted ids are made of whole words of the line or of a concept's name") {
    for (const auto& file : brief_files()) {
        const brief::Draft draft = draft_of(file);
        for (const brief::DraftSignal& signal : draft.signals) {
            CAPTURE(signal.id);
            std::vector<std::string> allowed = brief::words_of(signal.says);
            allowed.emplace_back(rules::kind_name(signal.kind));
            for (const auto& [name, unused] : library().concepts) {
                for (const std::string& word : brief::words_of(name)) allowed.push_back(word);
            }
            std::string id = signal.id;
            // A repeated id ends in "-2", "-3"…
            while (!id.empty() && (std::isdigit(static_cast<unsigned char>(id.back())) || id.back() == '-'))
                id.pop_back();
            for (const std::string& word : brief::words_of(id)) {
                CHECK_MESSAGE(std::ranges::find(allowed, word) != allowed.end(), word);
            }
        }
    }
}

TEST_CASE("a kill line with a negative concept is drafted around it, and the confirm on its objects steps aside") {
    const brief::Draft draft = draft_of(k_data / "brief" / "rosa-del-mar-2026-03-06-issue-65.txt");
    const auto rarely = std::ranges::find_if(draft.signals, [](const brief::DraftSignal& signal) {
        return signal.kind == rules::Kind::kill && signal.groups.size() == 2 &&
               signal.groups[1] == std::vector<std::string>{"@rarely"};
    });
    REQUIRE(rarely != draft.signals.end());
    const bool vetoed = std::ranges::any_of(draft.signals, [](const brief::DraftSignal& signal) {
        return signal.kind == rules::Kind::confirm &&
               std::ranges::find(signal.unless, "@rarely") != signal.unless.end();
    });
    CHECK(vetoed);
    CHECK(draft.unless == std::vector<std::string>{"@opinion"});
}

TEST_CASE("calibration tightens a noisy drafted signal step by step and reports it") {
    brief::Draft draft;
    draft.brief_id = "noisy";
    draft.title = "Noisy";
    draft.date = "2026-01-01";
    draft.signals.push_back(
        {"watch-gym-weights", rules::Kind::watch, 1, "gym weights", {{"weights", "gym"}, {"open"}}, 20, {}, {}});
    std::vector<feed::Item> stories(200);
    for (std::size_t i = 0; i < stories.size(); ++i) {
        stories[i].title = "The gym is open " + std::to_string(i);
        stories[i].summary = "A long story with many words in it before the weights room is mentioned at last " +
                             std::string(i % 2 == 0 ? "" : "and the weights");
    }
    const std::vector<std::string> concept_files;
    const std::vector<std::string> report =
        brief::calibrate_draft(draft, concept_files, stories, brief::WordShares(stories), 0.001);
    REQUIRE(report.size() == 1);
    CHECK(report[0].starts_with("watch-gym-weights: 200 of 200 stories"));
    const brief::DraftSignal& signal = draft.signals[0];
    CHECK(signal.near < 20);
    CHECK(!signal.notes.empty());
    CHECK(signal.notes.front().find("near 20 -> 12") != std::string::npos);
    // It ends within the budget or says it could not: never silently noisy.
    const std::string yaml = brief::draft_yaml(draft, "test");
    CHECK(yaml.find("# calibration:") != std::string::npos);
}

TEST_CASE("calibration leaves out a signal with nothing left to tighten, and keeps a brief's last one") {
    brief::Draft draft;
    draft.brief_id = "noisy";
    draft.title = "Noisy";
    draft.date = "2026-01-01";
    draft.signals.push_back({"watch-gym", rules::Kind::watch, 1, "gym", {{"gym"}}, 20, {}, {}});
    draft.signals.push_back({"watch-weights", rules::Kind::watch, 1, "weights", {{"weights"}}, 20, {}, {}});
    std::vector<feed::Item> stories(100);
    for (std::size_t i = 0; i < stories.size(); ++i) stories[i].title = "The gym " + std::to_string(i);
    stories[0].title = "Weights and the gym";
    const std::vector<std::string> concept_files;
    const std::vector<std::string> report =
        brief::calibrate_draft(draft, concept_files, stories, brief::WordShares(stories), 0.001);
    REQUIRE(draft.signals.size() == 1);
    REQUIRE(draft.left_out.size() == 1);
    // Both hit and neither can be tightened: the first goes (signals are dropped from the end, so
    // the order of the file's signals decides), the second, now the brief's only one, stays.
    CHECK(draft.left_out[0].id == "watch-weights");
    CHECK(draft.signals[0].notes.back().find("only signal: review it") != std::string::npos);
    CHECK(report.size() == 2);
    const std::string yaml = brief::draft_yaml(draft, "test");
    CHECK(yaml.find("# left out: watch-weights (nothing left to tighten, so the signal is left out)") !=
          std::string::npos);
    CHECK(yaml.find("- id: watch-weights") == std::string::npos);
}

TEST_CASE("calibration leaves a quiet draft alone") {
    const brief::Draft before = draft_of(k_data / "brief" / "kestrel-point-2026-04-14-issue-12.txt");
    brief::Draft draft = before;
    const std::vector<feed::Item> quiet(50);  // empty stories hit nothing
    const std::vector<std::string> concept_files{library().concepts_yaml};
    brief::calibrate_draft(draft, concept_files, quiet, brief::WordShares(quiet), 0.001);
    REQUIRE(draft.signals.size() == before.signals.size());
    for (std::size_t i = 0; i < draft.signals.size(); ++i) {
        CHECK(draft.signals[i].near == before.signals[i].near);
        CHECK(draft.signals[i].notes.empty());
    }
}
