// Tests for the rule semantics that follow how news is written: concepts (`@name`, per brief and in
// shared files), examples, automatic inflections and spellings, `near` over the whole story, and
// confirm/kill/watch weighed apart with watch evidence alerting by default.
#include <doctest/doctest.h>

#include <string>

#include "match/matcher.hpp"
#include "rules/compile.hpp"
#include "score/evaluate.hpp"
#include "score/explain.hpp"
#include "temp_dir.hpp"

using namespace signalmon;

namespace {

std::shared_ptr<const rules::CompiledRules> compile_files(std::initializer_list<std::string_view> files) {
    rules::RuleSetBuilder builder;
    int n = 0;
    for (const std::string_view yaml : files) builder.add_file(yaml, "rules/f" + std::to_string(n++) + ".yaml");
    return rules::compile(std::move(builder).finish());
}

std::string error_of(std::initializer_list<std::string_view> files) {
    try {
        compile_files(files);
    } catch (const rules::RuleError& error) {
        return error.what();
    }
    return "";
}

feed::Item story(std::string title, std::string summary = {}) {
    feed::Item item;
    item.title = std::move(title);
    item.summary = std::move(summary);
    return item;
}

std::vector<score::Verdict> verdicts(const std::shared_ptr<const rules::CompiledRules>& compiled,
                                     const feed::Item& item) {
    match::Matcher matcher(compiled);
    return score::evaluate(*compiled, item, matcher.scan(item));
}

bool fires(const std::shared_ptr<const rules::CompiledRules>& compiled, const feed::Item& item) {
    return !verdicts(compiled, item).empty();
}

constexpr std::string_view k_shared = R"(concepts:
  procurement: [tender, "call for tenders", RFP, solicitation, bidder]
  require: [require, mandate, demand, must]
)";

}  // namespace

TEST_CASE("a group names a shared concept with @name; every pattern of it matches") {
    const auto compiled = compile_files({k_shared, R"(brief: {id: b, title: T, threshold: 5}
signals:
  - id: s
    kind: confirm
    weight: 5
    all: [["@procurement"], ["open weights"]]
    near: 10
)"});
    CHECK(fires(compiled, story("Ministry call for tenders asks for open weights")));
    CHECK(fires(compiled, story("Bidders must deliver open weights")));
    CHECK_FALSE(fires(compiled, story("Open weights are popular")));
    const rules::Signal& signal = compiled->rules().briefs[0].signals[0];
    CHECK(signal.groups[0].size() == 5);
    CHECK(signal.groups[0][0].concept_name == "procurement");
    CHECK(signal.groups[0][0].where.file == "rules/f0.yaml");
}

TEST_CASE("a brief's own concepts serve its groups; shared concept files load first whatever their name") {
    testing::TempDir dir;
    dir.write("a-brief.yaml", R"(brief: {id: b, title: T, threshold: 1}
concepts:
  escrow-words: [escrow, "held in escrow"]
signals:
  - {id: s, kind: confirm, weight: 1, all: [["@escrow-words"], ["@require"]], near: 8}
)");
    dir.write("z-concepts.yaml", std::string(k_shared));
    const auto compiled = rules::compile(rules::load_rules_dir(dir.path()));
    CHECK(compiled->rules().concepts.contains("require"));
    CHECK(fires(compiled, story("Banks demand weights held in escrow")));
}

TEST_CASE("concept errors name FILE:LINE:COL and what to do") {
    CHECK(error_of({R"(brief: {id: b, title: T, threshold: 1}
signals:
  - {id: s, kind: confirm, weight: 1, any: ["@procuremnt"]}
)"}) == "rules/f0.yaml:3:45: unknown concept '@procuremnt' (define it under 'concepts:' here or in a shared concepts "
        "file)");
    CHECK(error_of({k_shared, R"(brief: {id: b, title: T, threshold: 1}
signals:
  - {id: s, kind: confirm, weight: 1, any: ["@procuremnt"]}
)"}) == "rules/f1.yaml:3:45: unknown concept '@procuremnt' (did you mean 'procurement'?)");
    CHECK(error_of({k_shared, "concepts:\n  procurement: [bid]\n"}) ==
          "rules/f1.yaml:2:3: duplicate concept 'procurement' (first defined at rules/f0.yaml:2:3)");
    CHECK(error_of({"concepts:\n  a: [\"@b\"]\n"}) ==
          "rules/f0.yaml:2:7: a concept lists patterns, not other concepts ('@b')");
    CHECK(error_of({"concepts:\n  a: [x]\nsignals: []\n"}) ==
          "rules/f0.yaml:3:10: a file of shared concepts has no 'signals' or 'examples' (add a 'brief' to make it a "
          "brief)");
}

TEST_CASE("phrases match inflections and British/American spellings; '=' and '*' keep a word as written") {
    const auto compiled = compile_files({R"(brief: {id: b, title: T, threshold: 1}
signals:
  - {id: nationalize, kind: watch, weight: 1, any: [nationalize]}
  - {id: centre, kind: watch, weight: 1, any: ["data center"]}
  - {id: contract, kind: watch, weight: 1, any: ["standardized contract"]}
  - {id: exact, kind: watch, weight: 1, any: ["=tender offer"]}
  - {id: prefix, kind: watch, weight: 1, any: ["award*"]}
)"});
    const auto ids = [&](const std::string& title) {
        std::vector<std::string> out;
        for (const auto& verdict : verdicts(compiled, story(title))) {
            for (const auto& hit : verdict.hits) out.push_back(hit.signal_id);
        }
        return out;
    };
    for (const char* title : {"Paris nationalises its AI lab", "Nationalization of frontier labs", "Lab nationalized",
                              "Government nationalising labs"}) {
        CAPTURE(title);
        CHECK(ids(title) == std::vector<std::string>{"nationalize"});
    }
    CHECK(ids("New data centres planned") == std::vector<std::string>{"centre"});
    CHECK(ids("Exchange lists standardised contracts") == std::vector<std::string>{"contract"});
    CHECK(ids("A tender offers rise").empty());  // "=tender offer" matches only as written
    CHECK(ids("Tender offer made") == std::vector<std::string>{"exact"});
    CHECK(ids("Awarded twice") == std::vector<std::string>{"prefix"});
    CHECK(ids("The nation and its national team").empty());
}

TEST_CASE("near measures over the story: a headline joins the first sentence of its lede; fields still scope") {
    const auto compiled = compile_files({k_shared, R"(brief: {id: b, title: T, threshold: 5}
signals:
  - id: story
    kind: confirm
    weight: 5
    all: [["@procurement"], ["open weights"], ["@require"]]
    near: 20
  - id: headline-only
    kind: confirm
    weight: 5
    fields: [title]
    all: [["@procurement"], ["open weights"]]
    near: 20
)"});
    const feed::Item split = story("Government RFP requires vendors to provide model weights",
                                   "Bidders must deliver open weights so the agency keeps local control.");
    const auto found = verdicts(compiled, split);
    REQUIRE(found.size() == 1);
    REQUIRE(found[0].hits.size() == 1);
    CHECK(found[0].hits[0].signal_id == "story");
    // A long summary pushes the lede's words past the window.
    std::string padding;
    for (int i = 0; i < 30; ++i) padding += "word ";
    CHECK_FALSE(fires(compiled, story("Government RFP requires vendors", padding + "then open weights")));
}

TEST_CASE("confirm and kill are weighed apart and both shown; watch evidence alerts by default") {
    const auto compiled = compile_files({R"(brief: {id: b, title: T, threshold: 5}
signals:
  - {id: yes, kind: confirm, weight: 3, any: [adopted]}
  - {id: yes-too, kind: confirm, weight: 3, any: [standard contract]}
  - {id: no, kind: kill, weight: 4, any: [abandoned]}
  - {id: seen, kind: watch, weight: 1, any: [futures]}
)"});
    const auto found = verdicts(compiled, story("Standard contract adopted, rival abandoned; futures next"));
    REQUIRE(found.size() == 1);
    const score::Verdict& verdict = found[0];
    CHECK(verdict.score(rules::Kind::confirm) == 6);
    CHECK(verdict.score(rules::Kind::kill) == 4);
    CHECK(verdict.score(rules::Kind::watch) == 1);
    CHECK(verdict.alerting_for(rules::Kind::confirm));
    CHECK_FALSE(verdict.alerting_for(rules::Kind::kill));  // 4 of 5: never topped up by confirm's 6
    CHECK(verdict.alerting_for(rules::Kind::watch));
    match::Matcher matcher(compiled);
    const feed::Item item = story("Standard contract adopted, rival abandoned; futures next");
    const auto explained = score::explain(*compiled, item, matcher.scan(item), {});
    const std::string text = score::format_explanation(item, explained);
    CHECK(text.find("brief b: confirm 6, kill 4, watch 1; threshold 5 (watch 1); ALERT confirm, watch") !=
          std::string::npos);
}

TEST_CASE("examples load with their kind and location; a bad expect is an error") {
    const auto compiled = compile_files({R"(brief: {id: b, title: T, threshold: 1}
signals:
  - {id: s, kind: kill, weight: 1, any: [abandoned]}
examples:
  - {expect: kill, title: Plan abandoned}
  - {expect: quiet, title: Plan adopted, summary: All well}
)"});
    const auto& examples = compiled->rules().briefs[0].examples;
    REQUIRE(examples.size() == 2);
    CHECK(examples[0].expect == rules::Kind::kill);
    CHECK(examples[0].where.line == 5);
    CHECK_FALSE(examples[1].expect);
    CHECK(examples[1].summary == "All well");
    CHECK(error_of({R"(brief: {id: b, title: T, threshold: 1}
signals:
  - {id: s, kind: kill, weight: 1, any: [x]}
examples:
  - {expect: kil, title: X}
)"}) == "rules/f0.yaml:5:14: unknown kind 'kil' (did you mean 'kill'?)");
}
