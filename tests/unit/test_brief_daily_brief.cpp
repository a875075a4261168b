// Tests for brief/daily_brief: reading the sample brief and a second one of the same format, the
// draft rule file (valid, all draft), its patterns firing on paraphrases, and non-brief errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "brief/daily_brief.hpp"
#include "rules/compile.hpp"
#include "score/evaluate.hpp"
#include "test_feed_fixture.hpp"

using namespace signalmon;

namespace {

std::string read_brief(const std::string& name) { return feed::test::read_fixture("../brief/" + name); }

constexpr const char* k_sample = "rosa-del-mar-2026-03-06-issue-65.txt";
constexpr const char* k_second = "kestrel-point-2026-04-14-issue-12.txt";

struct Drafted {
    std::shared_ptr<const rules::CompiledRules> compiled;

    explicit Drafted(const std::string& name) {
        const auto parsed = brief::parse_daily_brief(read_brief(name));
        REQUIRE(parsed);
        rules::RuleSetBuilder builder;
        builder.add_file(brief::draft_rule_file(*parsed, name), "rules/drafted.yaml");
        compiled = rules::compile(std::move(builder).finish());
    }

    // The ids of the signals that fire on a headline-and-summary item.
    std::vector<std::string> fired(const std::string& title, const std::string& summary) const {
        feed::Item item;
        item.title = title;
        item.summary = summary;
        match::Matcher matcher(compiled);
        std::vector<std::string> ids;
        for (const auto& verdict : score::evaluate(*compiled, item, matcher.scan(item))) {
            for (const auto& hit : verdict.hits) ids.push_back(hit.signal_id);
        }
        return ids;
    }

    bool fires(std::string_view signal_prefix, const std::string& title, const std::string& summary = {}) const {
        const auto ids = fired(title, summary);
        return std::any_of(ids.begin(), ids.end(),
                           [&](const std::string& id) { return id.starts_with(signal_prefix); });
    }
};

}  // namespace

TEST_CASE("the sample brief's header, watchlist, confirm and kill lines are read") {
    const auto parsed = brief::parse_daily_brief(read_brief(k_sample));
    REQUIRE(parsed);
    CHECK(parsed->publication == "Rosa Del Mar");
    CHECK(parsed->issue == 65);
    CHECK(parsed->date == "2026-03-06");
    CHECK(parsed->title == "Open-Weights-As-Governance-And-Access-Hedge");
    CHECK(parsed->watchlist.size() == 2);
    CHECK(parsed->confirm.size() == 3);
    CHECK(parsed->kill.size() == 3);
    CHECK(parsed->kill[2] ==
          "Compute market attempts fail to standardize contracts or guarantee performance for training "
          "and inference, leaving access constrained and preventing meaningful financialization.");
    CHECK(parsed->notes.empty());
    CHECK(brief::brief_id(*parsed) == "rdm-065-open-weights-as-governance");
}

TEST_CASE("a second brief of the format is read, its unknown section noted and skipped") {
    const auto parsed = brief::parse_daily_brief(read_brief(k_second));
    REQUIRE(parsed);
    CHECK(parsed->publication == "Kestrel Point");
    CHECK(parsed->issue == 12);
    CHECK(brief::brief_id(*parsed) == "kp-012-subsea-cable-repair-capacity");
    CHECK(parsed->watchlist.size() == 2);
    CHECK(parsed->confirm.size() == 2);
    CHECK(parsed->kill.size() == 2);
    CHECK(parsed->notes == std::vector<std::string>{"line 34: unknown section 'Analyst notes' ignored"});
}

TEST_CASE("text that is not a Daily Brief is a clear error") {
    CHECK(brief::parse_daily_brief(read_brief("not_a_brief.txt")).error() ==
          "not a Daily Brief: no 'Daily Brief' line near the top");
    CHECK(brief::parse_daily_brief("X\n\nDaily Brief\n\nIssue twelve\n").error() ==
          "not a Daily Brief: no 'Issue N YYYY-MM-DD' line after 'Daily Brief'");
    CHECK(brief::parse_daily_brief("X\nDaily Brief\nIssue 3 2026-01-02\nTitle\n\nKey takeaways\n  • only this\n")
              .error() == "the brief has no Watchlist, What would confirm or What would kill lines to import");
}

TEST_CASE("drafted rule files load, compile, carry the header and mark every signal draft") {
    for (const char* name : {k_sample, k_second}) {
        CAPTURE(name);
        const Drafted drafted(name);
        const rules::RuleSet& set = drafted.compiled->rules();
        REQUIRE(set.briefs.size() == 1);
        const std::size_t signals = set.briefs[0].signals.size();
        CHECK(signals == (std::string(name) == k_sample ? 8u : 6u));
        CHECK(set.draft_signal_count() == signals);
        for (const rules::Signal& signal : set.briefs[0].signals) {
            CHECK(!signal.says.empty());
            CHECK(signal.groups.at(0).size() >= 2);
        }
    }
    const Drafted sample(k_sample);
    const rules::Brief& brief = sample.compiled->rules().briefs[0];
    CHECK(brief.title == "Open Weights As Governance And Access Hedge");
    CHECK(brief.source == "Rosa Del Mar Daily Brief, issue 65, 2026-03-06");
    CHECK(brief.date == "2026-03-06");
    CHECK(brief.signals[2].id == "confirm-1-government-procurement-language");
    CHECK(brief.signals[2].kind == rules::Kind::confirm);
    CHECK(brief.signals[5].kind == rules::Kind::kill);
}

TEST_CASE("drafted patterns are key phrases, never stop words alone") {
    CHECK(brief::draft_patterns("It is what it is, and so on, as it was before.").empty());
    CHECK(brief::draft_patterns("More enterprise or government procurement language explicitly requiring open weights, "
                                "local control, escrow, or on prem deployment, and rising deal wins tied to those "
                                "requirements.") ==
          std::vector<std::string>{"government procurement language*", "government procurement*",
                                   "procurement language*", "open weight*", "local control*", "prem deployment*",
                                   "deal win*"});
    CHECK(brief::draft_patterns("Yann LeCun expects a global consortium to build critical AI systems.") ==
          std::vector<std::string>{"Yann LeCun", "global consortium*", "critical AI system*", "critical AI"});
}

TEST_CASE("the sample brief's drafted patterns fire on paraphrases of each confirm and kill line") {
    const Drafted drafted(k_sample);
    CHECK(drafted.fires("confirm-1",
                        "Defence ministry tender demands open-weight models that agencies can run on-premises"));
    CHECK(drafted.fires(
        "confirm-2", "AI agents still fail long-horizon office work",
        "A new study finds agents stumble on multi-day projects even as static benchmark scores converge."));
    CHECK(drafted.fires("confirm-3", "Exchange lists compute contracts for GPU capacity",
                        "The contracts come with service guarantees and target AI training runs."));
    CHECK(drafted.fires("kill-1", "Survey: agencies keep buying closed frontier models",
                        "Few tenders ask for local control of the model, the survey of government buyers finds."));
    CHECK(drafted.fires("kill-2", "Open-weight model matches closed rivals on agentic tasks",
                        "The lab says it needed no special infrastructure to get there."));
    CHECK(drafted.fires("kill-3", "GPU futures pilot collapses",
                        "The planned compute market stalled after traders could not agree on standard terms."));
}

TEST_CASE("the second brief's drafted patterns fire on paraphrases of its confirm and kill lines") {
    const Drafted drafted(k_second);
    CHECK(drafted.fires("confirm-1", "Vietnam's internet outage enters a sixth week",
                        "The region's only cable repair ship is busy elsewhere, operators say."));
    CHECK(drafted.fires("confirm-2", "Japan to fund a state-owned cable repair vessel, citing national security"));
    CHECK(drafted.fires("kill-1", "Satellite broadband carried rerouted traffic during the subsea outage",
                        "Users noticed little change in service."));
    CHECK(drafted.fires("kill-2", "Korean shipyard books record repair ship orders"));
    CHECK(drafted.fired("Quarterly results beat expectations", "The retailer raised its full-year guidance.").empty());
}
