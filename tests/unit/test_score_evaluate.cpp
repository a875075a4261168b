// Tests for score/evaluate: any/all/near/unless, fields, weights and thresholds, terms and snippets.
#include <doctest/doctest.h>

#include <string>

#include "score/evaluate.hpp"

using namespace signalmon;
using score::SignalStatus;

namespace {

// Two briefs: "deal" (threshold 5) exercises all/near/unless/fields; "tiny" shares a pattern.
constexpr std::string_view k_rules = R"(brief: {id: deal, title: Procurement of open models, threshold: 5}
signals:
  - id: procurement
    kind: confirm
    weight: 4
    says: a tender asks for open weights
    all:
      - [tender, RFP]
      - ["open weight*", "/open[- ]source models?/"]
    near: 5
    unless: ["no longer"]
  - id: escrow
    kind: watch
    weight: 2
    any: ["model escrow", tender]
    fields: [title]
  - id: kill-switch
    kind: kill
    weight: 1
    all: [[ban], [open weight*]]
)";

constexpr std::string_view k_tiny =
    "brief: {id: tiny, title: t, threshold: 1}\nsignals:\n"
    "  - {id: any-tender, kind: watch, weight: 1, any: [Tender]}\n";

struct EvaluateFixture {
    std::shared_ptr<const rules::CompiledRules> compiled;
    match::Matcher matcher;

    std::vector<score::Verdict> verdicts(const feed::Item& item) {
        return score::evaluate(*compiled, item, matcher.scan(item));
    }
    score::SignalOutcome outcome(const feed::Item& item, std::size_t signal) {
        return score::evaluate_signal(compiled->rules().briefs[0].signals[signal], matcher.scan(item));
    }
};

EvaluateFixture make_fixture() {
    rules::RuleSetBuilder builder;
    builder.add_file(k_rules, "rules/deal.yaml");
    builder.add_file(k_tiny, "rules/tiny.yaml");
    auto compiled = rules::compile(std::move(builder).finish());
    return {compiled, match::Matcher(compiled)};
}

feed::Item item_of(std::string title, std::string summary = {}, std::string content = {}) {
    feed::Item item;
    item.title = std::move(title);
    item.summary = std::move(summary);
    item.content = std::move(content);
    return item;
}

}  // namespace

TEST_CASE("all + near: every group within N words in one field, scored once per item") {
    EvaluateFixture fixture = make_fixture();
    const feed::Item item = item_of("Ministry tender requires open-weights models", "",
                                    "The tender says open weights. Another RFP wants open source models.");
    const auto verdicts = fixture.verdicts(item);
    REQUIRE(verdicts.size() == 2);
    const score::Verdict& deal = verdicts[0];
    CHECK(deal.brief_id == "deal");
    REQUIRE(deal.hits.size() == 2);
    CHECK(deal.hits[0].signal_id == "procurement");
    CHECK(deal.hits[0].kind == rules::Kind::confirm);
    CHECK(deal.hits[0].weight == 4);
    CHECK(deal.hits[0].terms ==
          std::vector<std::string>{"tender", "open-weights", "open weights", "RFP", "open source models"});
    CHECK(deal.hits[1].signal_id == "escrow");
    CHECK(deal.hits[1].terms == std::vector<std::string>{"tender"});
    // Confirm and watch evidence are weighed apart: confirm 4 stays under the threshold of 5,
    // while any watch signal reaches the default watch threshold of 1.
    CHECK(deal.score(rules::Kind::confirm) == 4);
    CHECK(deal.score(rules::Kind::watch) == 2);
    CHECK(deal.score(rules::Kind::kill) == 0);
    CHECK(deal.threshold == 5);
    CHECK_FALSE(deal.alerting_for(rules::Kind::confirm));
    CHECK(deal.alerting_for(rules::Kind::watch));
    CHECK(deal.alerting);
    CHECK(verdicts[1].brief_id == "tiny");
    CHECK(verdicts[1].score(rules::Kind::watch) == 1);
    CHECK(verdicts[1].alerting);
}

TEST_CASE("near: groups too far apart do not match; words count over title then summary") {
    EvaluateFixture fixture = make_fixture();
    const auto far = fixture.outcome(item_of("", "tender one two three four five six open weights"), 0);
    CHECK(far.status == SignalStatus::too_far);
    CHECK(far.closest_span == 7u);
    const auto edge = fixture.outcome(item_of("", "tender one two three four open weights"), 0);
    CHECK(edge.status == SignalStatus::matched);
    CHECK(edge.closest_span == 5u);
    // The title's last word sits next to the summary's first: a headline and its lede are one text.
    const auto split = fixture.outcome(item_of("a tender", "open weights"), 0);
    CHECK(split.status == SignalStatus::matched);
    CHECK(split.closest_span == 1u);
}

TEST_CASE("all without near: groups may be in different fields; a missing group is reported") {
    EvaluateFixture fixture = make_fixture();
    CHECK(fixture.outcome(item_of("ban announced", "", "on open weights"), 2).status == SignalStatus::matched);
    const auto missing = fixture.outcome(item_of("ban announced"), 2);
    CHECK(missing.status == SignalStatus::missing_group);
    CHECK(missing.groups_matched == std::vector<bool>{true, false});
    CHECK(fixture.outcome(item_of("nothing here"), 2).status == SignalStatus::no_match);
}

TEST_CASE("unless vetoes a signal that would have matched") {
    EvaluateFixture fixture = make_fixture();
    const feed::Item item = item_of("", "The tender no longer requires open weights");
    const auto outcome = fixture.outcome(item, 0);
    CHECK(outcome.status == SignalStatus::vetoed);
    REQUIRE(outcome.veto);
    CHECK(item.summary.substr(outcome.veto->begin, outcome.veto->end - outcome.veto->begin) == "no longer");
    for (const score::Verdict& verdict : fixture.verdicts(item)) {
        CHECK(verdict.brief_id == "tiny");
    }
}

TEST_CASE("fields restrict where a signal looks; below threshold is a hit but not alerting") {
    EvaluateFixture fixture = make_fixture();
    const auto verdicts = fixture.verdicts(item_of("Model escrow plans", "a tender"));
    REQUIRE(verdicts.size() == 2);
    CHECK(verdicts[0].hits.size() == 1);
    CHECK(verdicts[0].hits[0].terms == std::vector<std::string>{"Model escrow"});
    CHECK(verdicts[0].score(rules::Kind::watch) == 2);
    CHECK(verdicts[0].alerting);  // watch evidence alerts from the first watch signal by default
    CHECK(fixture.outcome(item_of("", "model escrow"), 1).status == SignalStatus::no_match);
    CHECK(fixture.verdicts(item_of("unrelated")).empty());
}

TEST_CASE("the snippet quotes the original text around the first match, cut on UTF-8 boundaries") {
    EvaluateFixture fixture = make_fixture();
    std::string before;
    std::string after;
    for (int i = 0; i < 60; ++i) {
        before += "é";  // 2 bytes each: an odd cut would split one
        after += "€ ";  // 4 bytes each
    }
    const feed::Item item = item_of("", "", before + " Tender \u2014 open\u2011weights " + after);
    const auto verdicts = fixture.verdicts(item);
    REQUIRE_FALSE(verdicts.empty());
    const std::string& snippet = verdicts[0].hits[0].snippet;
    CHECK(snippet.starts_with("…é"));
    CHECK(snippet.ends_with("…"));
    CHECK(snippet.find("Tender \u2014 open\u2011weights") != std::string::npos);
    CHECK(snippet.size() <= 200 + 2 * std::string_view("…").size());
    CHECK(snippet.size() >= 190);
}

TEST_CASE("snippet edge cases") {
    CHECK(score::snippet("short text", 0, 5) == "short text");
    const std::string long_text(500, 'x');
    CHECK(score::snippet(long_text, 490, 495) == "…" + std::string(200, 'x'));
    CHECK(score::snippet(long_text, 0, 5) == std::string(200, 'x') + "…");
    CHECK(score::snippet(long_text, 100, 400) == "…" + std::string(200, 'x') + "…");
}

TEST_CASE("evidence-only hits score the same and describe() gives them the terms and snippet text hits carry") {
    EvaluateFixture fixture = make_fixture();
    const feed::Item item = item_of("Tender for model escrow", "The RFP asks for Open Weights, not open-source models");
    const match::MatchSet matches = fixture.matcher.scan(item);
    const auto described = score::evaluate(*fixture.compiled, item, matches);
    auto undescribed = score::evaluate(*fixture.compiled, item, matches, {}, score::HitDetail::evidence);
    REQUIRE(described.size() == 2);
    REQUIRE(undescribed.size() == described.size());
    for (std::size_t brief = 0; brief < described.size(); ++brief) {
        CAPTURE(brief);
        CHECK(undescribed[brief].scores == described[brief].scores);
        CHECK(undescribed[brief].alerting == described[brief].alerting);
        REQUIRE(undescribed[brief].hits.size() == described[brief].hits.size());
        for (std::size_t hit = 0; hit < described[brief].hits.size(); ++hit) {
            score::SignalHit& lazy = undescribed[brief].hits[hit];
            CHECK(lazy.signal_id == described[brief].hits[hit].signal_id);
            CHECK(lazy.weight == described[brief].hits[hit].weight);
            CHECK(lazy.terms.empty());
            CHECK(lazy.snippet.empty());
            score::describe(*fixture.compiled, item, lazy);
            CHECK(lazy.terms == described[brief].hits[hit].terms);
            CHECK(lazy.snippet == described[brief].hits[hit].snippet);
        }
    }
    const score::SignalHit& procurement = described[0].hits[0];
    CHECK(procurement.signal_id == "procurement");
    CHECK(procurement.terms == std::vector<std::string>{"Tender", "RFP", "Open Weights", "open-source models"});
}
