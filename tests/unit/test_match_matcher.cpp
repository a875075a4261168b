// Tests for match/matcher: literal boundaries, suffixes, regexes, case, offsets, dedupe and caps.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <thread>

#include "match/matcher.hpp"

using namespace signalmon;

namespace {

// A matcher over one brief whose single `any` signal holds the given patterns (YAML flow items).
match::Matcher matcher_for(const std::string& patterns) {
    rules::RuleSetBuilder builder;
    builder.add_file("brief: {id: b, title: t, threshold: 1}\nsignals:\n  - {id: s, kind: watch, weight: 1, any: [" +
                         patterns + "]}\n",
                     "rules/b.yaml");
    return match::Matcher(rules::compile(std::move(builder).finish()));
}

feed::Item item_with_title(std::string title) {
    feed::Item item;
    item.title = std::move(title);
    return item;
}

// The matched texts of the title, in order.
std::vector<std::string> title_matches(match::Matcher& matcher, const std::string& title) {
    const feed::Item item = item_with_title(title);
    match::MatchSet matches = matcher.scan(item);
    std::sort(matches.occurrences.begin(), matches.occurrences.end(),
              [](const match::Occurrence& a, const match::Occurrence& b) { return a.begin < b.begin; });
    std::vector<std::string> out;
    for (const match::Occurrence& occurrence : matches.occurrences) {
        out.push_back(item.title.substr(occurrence.begin, occurrence.end - occurrence.begin));
    }
    return out;
}

using Texts = std::vector<std::string>;

}  // namespace

TEST_CASE("phrases match whole words only, case-insensitively") {
    auto matcher = matcher_for("RFP");
    CHECK(title_matches(matcher, "New RFP issued") == Texts{"RFP"});
    CHECK(title_matches(matcher, "rfp, (Rfp) and RFP.") == Texts{"rfp", "Rfp", "RFP"});
    CHECK(title_matches(matcher, "XRFP and RFP_2 and RFP9").empty());
    // A word WordNet does not know also matches its plural; '=' keeps it exact.
    CHECK(title_matches(matcher, "Two RFPs") == Texts{"RFPs"});
    auto exact = matcher_for("=RFP");
    CHECK(title_matches(exact, "Two RFPs").empty());
    // Bytes >= 0x80 are word characters: no boundary inside "RFPé" or "éRFP".
    CHECK(title_matches(matcher, "RFPé éRFP").empty());
}

TEST_CASE("a multi-word phrase matches across any run of spaces, hyphens and dashes") {
    auto matcher = matcher_for("\"request for proposals\"");
    CHECK(title_matches(matcher, "A Request-for\u2014Proposals\u00A0out") == Texts{"Request-for\u2014Proposals"});
    CHECK(title_matches(matcher, "request  for\n proposals") == Texts{"request  for\n proposals"});
    CHECK(title_matches(matcher, "request for proposalsX").empty());
}

TEST_CASE("a trailing '*' matches any word-character suffix") {
    auto matcher = matcher_for("\"open weight*\"");
    CHECK(title_matches(matcher, "open-weights models") == Texts{"open-weight"});
    CHECK(title_matches(matcher, "Open Weight") == Texts{"Open Weight"});
    // Documented: the suffix is any word characters, so "weightlifting" matches too.
    CHECK(title_matches(matcher, "open weightlifting") == Texts{"open weight"});
    CHECK(title_matches(matcher, "reopen weights").empty());
}

TEST_CASE("an inner '*' phrase goes through the regex database with the same boundaries") {
    auto matcher = matcher_for("\"on-prem* deployment\"");
    CHECK(title_matches(matcher, "on-premises deployment") == Texts{"on-premises deployment"});
    CHECK(title_matches(matcher, "On\u2011prem Deployment") == Texts{"On\u2011prem Deployment"});
    CHECK(title_matches(matcher, "on-premises deployments").empty());
    CHECK(title_matches(matcher, "won prem deployment").empty());
}

TEST_CASE("regexes are caseless unless /c and report their full span") {
    auto caseless = matcher_for("'/open[- ]source (AI )?models?/'");
    CHECK(title_matches(caseless, "Open-Source AI models are here") == Texts{"Open-Source AI models"});
    CHECK(title_matches(caseless, "an open source model") == Texts{"open source model"});
    auto exact = matcher_for("'/EU AI Act/c'");
    CHECK(title_matches(exact, "the EU AI Act passed") == Texts{"EU AI Act"});
    CHECK(title_matches(exact, "the eu ai act passed").empty());
}

TEST_CASE("occurrences carry field, original offsets and, for patterns of `near` signals, word index") {
    rules::RuleSetBuilder builder;
    builder.add_file(
        "brief: {id: b, title: t, threshold: 1}\nsignals:\n"
        "  - {id: s, kind: watch, weight: 1, all: [[gamma], [\"alpha beta\"]], near: 5}\n"
        "  - {id: w, kind: watch, weight: 1, any: [three]}\n",
        "rules/b.yaml");
    match::Matcher matcher(rules::compile(std::move(builder).finish()));
    feed::Item item;
    item.title = "zero";
    item.summary = "one \u201Ctwo\u201D alpha\u2014beta  three gamma";
    const match::MatchSet matches = matcher.scan(item);
    REQUIRE(matches.occurrences.size() == 3);
    const match::Occurrence& gamma = matches.of(0).front();
    const match::Occurrence& alpha = matches.of(1).front();
    const match::Occurrence& three = matches.of(2).front();
    CHECK(alpha.field == rules::Field::summary);
    CHECK(item.summary.substr(alpha.begin, alpha.end - alpha.begin) == "alpha\u2014beta");
    CHECK(alpha.word == 3);  // words count over the story: the title's one word comes first
    CHECK(item.summary.substr(gamma.begin, gamma.end - gamma.begin) == "gamma");
    CHECK(gamma.word == 6);
    // No `near` reads the word of a pattern outside near signals, so it is not counted.
    CHECK(item.summary.substr(three.begin, three.end - three.begin) == "three");
    CHECK(three.word == 0);
    CHECK(matches.of(7).empty());
}

TEST_CASE("a pattern shared by two briefs is compiled once and reported once per position") {
    rules::RuleSetBuilder builder;
    builder.add_file(
        "brief: {id: a, title: t, threshold: 1}\nsignals:\n  - {id: s, kind: watch, weight: 1, any: [Open-Weights]}\n",
        "rules/a.yaml");
    builder.add_file(
        "brief: {id: b, title: t, threshold: 1}\nsignals:\n  - {id: s, kind: watch, weight: 1, any: [open  weights]}\n",
        "rules/b.yaml");
    const auto compiled = rules::compile(std::move(builder).finish());
    CHECK(compiled->rules().patterns.size() == 1);
    CHECK(compiled->rules().patterns[0].owners.size() == 2);
    match::Matcher matcher(compiled);
    CHECK(matcher.scan(item_with_title("open weights, open-weights")).occurrences.size() == 2);
}

TEST_CASE("hostile text is bounded: at most k_max_occurrences per pattern and field") {
    auto matcher = matcher_for("alpha, '/a+/'");
    std::string flood;
    for (int i = 0; i < 1000; ++i) {
        flood += "alpha ";
    }
    feed::Item item;
    item.title = flood;
    item.content = flood;
    const match::MatchSet matches = matcher.scan(item);
    CHECK(matches.of(0).size() == 2 * match::k_max_occurrences);
    CHECK(matches.of(1).size() == 2 * match::k_max_occurrences);
}

TEST_CASE("Matchers on two threads share one CompiledRules") {
    const auto compiled = matcher_for("alpha, '/be+ta/'").compiled_rules();
    std::size_t counts[2] = {0, 0};
    std::thread workers[2];
    for (std::size_t t = 0; t < 2; ++t) {
        workers[t] = std::thread([&compiled, &counts, t] {
            match::Matcher matcher(compiled);
            for (int i = 0; i < 200; ++i) {
                counts[t] += matcher.scan(item_with_title("alpha beeta alpha")).occurrences.size();
            }
        });
    }
    for (std::thread& worker : workers) {
        worker.join();
    }
    CHECK(counts[0] == 600);
    CHECK(counts[1] == 600);
}

TEST_CASE("the regex filter only decides whether to scan: every regex occurrence is still reported") {
    auto matcher = matcher_for("'/open[- ]source models?/', alpha");
    REQUIRE(matcher.compiled().regex_filter_database() != nullptr);
    feed::Item item;
    item.title = "alpha news";  // no regex here: the filter lets the field skip the regex database
    item.content = "open source model, then open-source models, then alpha";
    const match::MatchSet matches = matcher.scan(item);
    std::vector<std::string> contents;
    for (const match::Occurrence& occurrence : matches.occurrences) {
        if (occurrence.field == rules::Field::content) {
            contents.push_back(item.content.substr(occurrence.begin, occurrence.end - occurrence.begin));
        }
    }
    std::sort(contents.begin(), contents.end());
    CHECK(contents == Texts{"alpha", "open source model", "open-source models"});
    CHECK(matches.occurrences.size() == 4);
}

TEST_CASE("scanning into a reused MatchSet replaces what it held") {
    auto matcher = matcher_for("alpha");
    match::MatchSet matches;
    matcher.scan(item_with_title("alpha alpha"), matches);
    CHECK(matches.occurrences.size() == 2);
    matcher.scan(item_with_title("beta"), matches);
    CHECK(matches.occurrences.empty());
    matcher.scan(item_with_title("Alpha"), matches);
    CHECK(matches.occurrences.size() == 1);
}
