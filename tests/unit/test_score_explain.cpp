// Tests for score/explain and the scoring extras it reports: exact explanation text on a fixture
// feed (matched, title bonus, too far, veto, missing group, brief veto), caps, filters, JSON.
#include <doctest/doctest.h>

#include <string>

#include "feed/parse.hpp"
#include "score/explain.hpp"
#include "test_feed_fixture.hpp"

using namespace signalmon;

namespace {

struct ExplainFixture {
    std::shared_ptr<const rules::CompiledRules> compiled =
        rules::compile(rules::load_rules_dir(std::string(SIGNALMON_TEST_DATA) + "/score"));
    match::Matcher matcher{compiled};
    std::vector<feed::Item> items = [] {
        auto parsed = feed::parse(feed::test::read_fixture("../score/explain.rss.xml"), {});
        REQUIRE(parsed);
        return parsed->items;
    }();

    std::string text(const feed::Item& item, const score::ItemContext& context = {}) {
        return score::format_explanation(item, score::explain(*compiled, item, matcher.scan(item), context));
    }
};

}  // namespace

TEST_CASE("explanations name the patterns, fields, weights and near-miss reasons exactly") {
    ExplainFixture fixture;
    REQUIRE(fixture.items.size() == 4);
    CHECK(fixture.text(fixture.items[0]) == R"(item: Ministry tender asks for open weights
  link: https://example.org/1
  brief deal: confirm 6, kill 0, watch 2; threshold 5 (watch 1); ALERT confirm, watch
    matched confirm procurement, weight 6 (4 + title bonus 2)
      'tender' matched "tender" in title
      'open weight*' matched "open weights" in title
      title: Ministry «tender» asks for «open weights»
    matched watch escrow, weight 2
      'ministry' matched "Ministry" in title
      'model escrow' matched "model escrow" in summary
      title: «Ministry» tender asks for open weights
)");
    CHECK(fixture.text(fixture.items[1]) == R"(item: Tender season
  link: https://example.org/2
  brief deal: confirm 0, kill 0, watch 0; threshold 5 (watch 1); below threshold
    near miss confirm procurement (too_far): the groups are 16 words apart at the closest (near: 6)
      'tender' matched "Tender" in title
      'RFP' matched "RFP" in summary
      '/open[- ]source models?/' matched "open-source models" in summary
)");
    CHECK(fixture.text(fixture.items[2]) == R"(item: RFP no longer asks for open weights
  link: https://example.org/3
  brief deal: confirm 0, kill 0, watch 0; threshold 5 (watch 1); below threshold
    near miss confirm procurement (vetoed): vetoed by unless 'no longer' ("no longer" in title)
      'RFP' matched "RFP" in title
      'open weight*' matched "open weights" in title
    near miss watch escrow (missing_group): no match for group 2 of 2 ['regulator*', 'ministry']
      'model escrow' matched "Model escrow" in summary
)");
    CHECK(fixture.text(fixture.items[3]) == R"(item: Tender for open weights, from the press release archive
  link: https://example.org/4
  brief deal: confirm 0, kill 0, watch 0; threshold 5 (watch 1); below threshold
    vetoed by the brief's unless 'press release archive' ("press release archive" in title)
    near miss confirm procurement (brief_vetoed): the brief's unless 'press release archive' ("press release archive" in title) vetoes the item
      'tender' matched "Tender" in title
      'open weight*' matched "open weights" in title
)");
}

TEST_CASE("explanations agree with evaluate on score and alerting") {
    ExplainFixture fixture;
    for (const feed::Item& item : fixture.items) {
        const auto matches = fixture.matcher.scan(item);
        const auto verdicts = score::evaluate(*fixture.compiled, item, matches);
        const auto explained = score::explain(*fixture.compiled, item, matches, {});
        const score::KindScores verdict_scores = verdicts.empty() ? score::KindScores{} : verdicts[0].scores;
        const score::KindScores explained_scores = explained.empty() ? score::KindScores{} : explained[0].scores;
        CHECK(verdict_scores == explained_scores);
        CHECK((verdicts.empty() ? false : verdicts[0].alerting) == (explained.empty() ? false : explained[0].alerting));
    }
    const auto verdicts = score::evaluate(*fixture.compiled, fixture.items[0], fixture.matcher.scan(fixture.items[0]));
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0].score(rules::Kind::confirm) == 6);
    CHECK(verdicts[0].score(rules::Kind::watch) == 2);
    CHECK(verdicts[0].hits[0].weight == 6);  // title bonus
    CHECK(verdicts[0].hits[0].terms == std::vector<std::string>{"tender", "open weights"});
}

TEST_CASE("max_per_day caps a signal once today's hits reach it, and the explanation says so") {
    ExplainFixture fixture;
    feed::Item item;
    item.title = "Parliament votes a ban on open weights";
    const auto matches = fixture.matcher.scan(item);
    score::ItemContext context;
    std::int64_t today = 0;
    context.hits_today = [&](std::string_view brief, std::string_view signal) {
        CHECK(brief == "deal");
        CHECK(signal == "ban");
        return today;
    };
    CHECK(score::evaluate(*fixture.compiled, item, matches, context).at(0).score(rules::Kind::kill) == 3);
    today = 1;
    CHECK(score::evaluate(*fixture.compiled, item, matches, context).empty());
    const auto explained = score::explain(*fixture.compiled, item, matches, context);
    REQUIRE(explained.size() == 1);
    const auto& misses = explained[0].near_misses;
    const auto ban =
        std::find_if(misses.begin(), misses.end(), [](const auto& miss) { return miss.signal->id == "ban"; });
    REQUIRE(ban != misses.end());
    CHECK(ban->status == score::ExplainedStatus::capped);
    CHECK(ban->reason == "max_per_day 1 reached today");
}

TEST_CASE("feeds: and tags: filters keep a brief to its feeds") {
    rules::RuleSetBuilder builder;
    builder.add_file(
        "brief: {id: filings, title: F, threshold: 1, feeds: [sec-8k, sec-10k]}\n"
        "signals: [{id: s, kind: watch, weight: 1, any: [merger]}]\n",
        "rules/filings.yaml");
    builder.add_file(
        "brief: {id: tagged, title: T, threshold: 1, tags: [filings]}\n"
        "signals: [{id: s, kind: watch, weight: 1, any: [merger]}]\n",
        "rules/tagged.yaml");
    const auto compiled = rules::compile(std::move(builder).finish());
    match::Matcher matcher(compiled);
    feed::Item item;
    item.title = "Merger agreement signed";
    const auto matches = matcher.scan(item);
    const std::vector<std::string> filings_tag{"filings"};
    const auto briefs_of = [&](std::optional<std::string_view> feed, std::span<const std::string> tags) {
        std::vector<std::string> ids;
        for (const auto& verdict :
             score::evaluate(*compiled, item, matches, {.feed_id = feed, .feed_tags = tags, .hits_today = {}})) {
            ids.push_back(verdict.brief_id);
        }
        return ids;
    };
    CHECK(briefs_of(std::nullopt, {}) == std::vector<std::string>{"filings", "tagged"});
    CHECK(briefs_of("sec-8k", {}) == std::vector<std::string>{"filings"});
    CHECK(briefs_of("news", filings_tag) == std::vector<std::string>{"tagged"});
    CHECK(briefs_of("news", {}).empty());
    const score::ItemContext context{.feed_id = "news", .feed_tags = {}, .hits_today = {}};
    const auto explained = score::explain(*compiled, item, matches, context, "filings");
    REQUIRE(explained.size() == 1);
    CHECK(explained[0].skipped == "feed 'news' is not in the brief's feeds: [sec-8k, sec-10k]");
    CHECK(score::format_explanation(item, explained) ==
          "item: Merger agreement signed\n  brief filings: skipped, feed 'news' is not in the brief's feeds: [sec-8k, "
          "sec-10k]\n");
}

TEST_CASE("about: a story that names none of the brief's topic scores nothing for it") {
    rules::RuleSetBuilder builder;
    builder.add_file(
        "brief: {id: grid, title: G, threshold: 1, about: [\"data center\", hyperscaler, \"@power\"]}\n"
        "concepts: {power: [electricity, \"grid power\"]}\n"
        "signals: [{id: s, kind: kill, weight: 1, all: [[cancel], [lease]], near: 5}]\n",
        "rules/grid.yaml");
    const auto compiled = rules::compile(std::move(builder).finish());
    match::Matcher matcher(compiled);
    const auto verdicts_for = [&](std::string title) {
        feed::Item item;
        item.title = std::move(title);
        return score::evaluate(*compiled, item, matcher.scan(item));
    };
    CHECK(verdicts_for("Administration cancels oil leases in refuge").empty());
    CHECK(verdicts_for("Hyperscalers cancel leases").size() == 1);
    CHECK(verdicts_for("Data centre operator cancels two leases").size() == 1);              // forms: centre
    CHECK(verdicts_for("Cloud firm cancels leases as electricity runs short").size() == 1);  // a concept
    feed::Item off_topic;
    off_topic.title = "Administration cancels oil leases in refuge";
    const auto explained = score::explain(*compiled, off_topic, matcher.scan(off_topic), {}, "grid");
    REQUIRE(explained.size() == 1);
    CHECK(explained[0].skipped == "none of the brief's 'about' terms is in the item");
    const auto load_empty_about = [] {
        rules::RuleSetBuilder empty;
        empty.add_file(
            "brief: {id: b, title: B, threshold: 1, about: []}\nsignals: [{id: s, kind: kill, weight: 1, any: [x]}]\n",
            "rules/b.yaml");
        return std::move(empty).finish();
    };
    CHECK_THROWS_WITH_AS(load_empty_about(), doctest::Contains("rules/b.yaml:1:"), rules::RuleError);
}

TEST_CASE("about_min: a story must name that many different entries of the brief's topic") {
    rules::RuleSetBuilder builder;
    builder.add_file(
        "brief: {id: grid, title: G, threshold: 1, about: [\"data center\", center, hyperscaler, \"@power\"], "
        "about_min: 2}\n"
        "concepts: {power: [electricity, \"grid power\"]}\n"
        "signals: [{id: s, kind: kill, weight: 1, all: [[cancel], [lease]], near: 5}]\n",
        "rules/grid.yaml");
    const auto compiled = rules::compile(std::move(builder).finish());
    match::Matcher matcher(compiled);
    const auto alerts_for = [&](std::string title) {
        feed::Item item;
        item.title = std::move(title);
        return !score::evaluate(*compiled, item, matcher.scan(item)).empty();
    };
    CHECK_FALSE(alerts_for("Hyperscaler cancels leases"));                            // one entry
    CHECK_FALSE(alerts_for("Data center operator cancels leases"));                   // "center" is inside it
    CHECK_FALSE(alerts_for("Electricity firm cancels leases for grid power lines"));  // one concept, twice
    CHECK(alerts_for("Hyperscaler cancels data center leases"));
    CHECK(alerts_for("Hyperscaler cancels leases as electricity runs short"));
    feed::Item one_entry;
    one_entry.title = "Hyperscaler cancels leases";
    const auto explained = score::explain(*compiled, one_entry, matcher.scan(one_entry), {}, "grid");
    REQUIRE(explained.size() == 1);
    CHECK(explained[0].skipped == "fewer than 2 of the brief's 'about' terms are in the item");
    const auto load = [](const std::string& brief) {
        rules::RuleSetBuilder other;
        other.add_file(brief + "\nsignals: [{id: s, kind: kill, weight: 1, any: [x]}]\n", "rules/b.yaml");
        return std::move(other).finish();
    };
    CHECK_THROWS_WITH_AS(load("brief: {id: b, title: B, threshold: 1, about_min: 2}"),
                         doctest::Contains("'about_min' needs an 'about' list"), rules::RuleError);
    CHECK_THROWS_WITH_AS(load("brief: {id: b, title: B, threshold: 1, about: [x], about_min: 0}"),
                         doctest::Contains("rules/b.yaml:1:"), rules::RuleError);
}

TEST_CASE("marked snippets mark every match in view and keep the first of overlapping ones") {
    const std::string text = "Open weights and open weights again";
    const std::vector<match::Occurrence> marks{
        {0, rules::Field::title, 0, 12, 0}, {0, rules::Field::title, 5, 12, 1}, {0, rules::Field::title, 17, 29, 3}};
    CHECK(score::marked_snippet(text, marks) == "«Open weights» and «open weights» again");
    const std::string long_text = std::string(300, 'x') + " tender " + std::string(300, 'y');
    const std::vector<match::Occurrence> one{{0, rules::Field::title, 301, 307, 1}};
    const std::string marked = score::marked_snippet(long_text, one, 40);
    CHECK(marked.starts_with("…"));
    CHECK(marked.ends_with("…"));
    CHECK(marked.find("«tender»") != std::string::npos);
}

TEST_CASE("explanation JSON carries status, reasons and matches") {
    ExplainFixture fixture;
    const feed::Item& item = fixture.items[2];
    const auto json =
        score::explanation_json(item, score::explain(*fixture.compiled, item, fixture.matcher.scan(item), {}));
    CHECK(json["briefs"][0]["brief"] == "deal");
    CHECK(json["briefs"][0]["alerting"] == false);
    CHECK(json["briefs"][0]["near_misses"][0]["status"] == "vetoed");
    CHECK(json["briefs"][0]["near_misses"][1]["status"] == "missing_group");
    CHECK(json["briefs"][0]["near_misses"][1]["matches"][0]["text"] == "Model escrow");
}
