// Tests for `where:` and its `forms:` shorthand in rules (src/rules/load.cpp) as applied by
// src/score/evaluate.cpp: a brief or signal limited to item field values matches only items whose
// source adapter gave those fields one of them.
#include <doctest/doctest.h>

#include "score/evaluate.hpp"

using namespace signalmon;

namespace {

constexpr std::string_view k_filings = R"(brief: {id: filings, title: Material events, threshold: 1, forms: [8-K, 10-K]}
signals:
  - {id: acquisition, kind: watch, weight: 1, any: [acquisition]}
  - {id: annual-risk, kind: watch, weight: 1, any: [risk factors], forms: [10-k]}
)";
constexpr std::string_view k_any =
    "brief: {id: any-source, title: t, threshold: 1}\nsignals:\n"
    "  - {id: acquisition, kind: watch, weight: 1, any: [acquisition]}\n";

std::vector<std::string> signals_hit(const feed::Item& item) {
    rules::RuleSetBuilder builder;
    builder.add_file(k_filings, "rules/filings.yaml");
    builder.add_file(k_any, "rules/any.yaml");
    const auto compiled = rules::compile(std::move(builder).finish());
    match::Matcher matcher(compiled);
    std::vector<std::string> hits;
    for (const auto& verdict : score::evaluate(*compiled, item, matcher.scan(item))) {
        for (const auto& hit : verdict.hits) hits.push_back(verdict.brief_id + "/" + hit.signal_id);
    }
    return hits;
}

feed::Item filing(std::string form) {
    feed::Item item;
    item.title = "Completion of acquisition; risk factors updated";
    if (!form.empty()) item.fields["form_type"] = std::move(form);
    return item;
}

}  // namespace

TEST_CASE("forms: a brief's list limits all its signals, a signal's list narrows further, case-insensitively") {
    CHECK(signals_hit(filing("8-K")) == std::vector<std::string>{"filings/acquisition", "any-source/acquisition"});
    CHECK(signals_hit(filing("10-K")) ==
          std::vector<std::string>{"filings/acquisition", "filings/annual-risk", "any-source/acquisition"});
    CHECK(signals_hit(filing("4")) == std::vector<std::string>{"any-source/acquisition"});
    CHECK(signals_hit(filing("")) == std::vector<std::string>{"any-source/acquisition"});  // not a filing
}

TEST_CASE("forms: must be a non-empty list") {
    rules::RuleSetBuilder builder;
    CHECK_THROWS_WITH_AS(builder.add_file("brief: {id: b, title: t, threshold: 1, forms: 8-K}\nsignals:\n"
                                          "  - {id: s, kind: watch, weight: 1, any: [x]}\n",
                                          "rules/b.yaml"),
                         "rules/b.yaml:1:47: 'forms' must be a non-empty list of form types, e.g. [8-K, 10-K]",
                         rules::RuleError);
}

namespace {

std::vector<std::string> where_hits(const feed::Item& item) {
    rules::RuleSetBuilder builder;
    builder.add_file(R"(brief: {id: rules, title: Rules, threshold: 1, where: {type: [Rule, proposed rule]}}
signals:
  - {id: export, kind: watch, weight: 1, any: [export controls]}
  - {id: bis, kind: watch, weight: 1, any: [export controls], where: {agency: [industry and security bureau]}}
)",
                     "rules/rules.yaml");
    const auto compiled = rules::compile(std::move(builder).finish());
    match::Matcher matcher(compiled);
    std::vector<std::string> hits;
    for (const auto& verdict : score::evaluate(*compiled, item, matcher.scan(item))) {
        for (const auto& hit : verdict.hits) hits.push_back(hit.signal_id);
    }
    return hits;
}

feed::Item document(std::string type, std::string agencies) {
    feed::Item item;
    item.title = "Revisions to export controls on advanced computing";
    item.fields["type"] = std::move(type);
    item.fields["agency"] = std::move(agencies);
    return item;
}

void check_rule_error(const std::string& text, const std::string& message) {
    rules::RuleSetBuilder builder;
    CHECK_THROWS_WITH_AS(builder.add_file(text, "rules/b.yaml"), message.c_str(), rules::RuleError);
}

}  // namespace

TEST_CASE("where: every field named must hold a listed value; one of several values is enough") {
    CHECK(where_hits(document("Rule", "Commerce Department; Industry and Security Bureau")) ==
          std::vector<std::string>{"export", "bis"});
    CHECK(where_hits(document("PROPOSED RULE", "Commerce Department")) == std::vector<std::string>{"export"});
    CHECK(where_hits(document("Notice", "Industry and Security Bureau")).empty());
    // A value is a whole "; "-separated part, not a substring of one.
    CHECK(where_hits(document("Rule", "Industry and Security Bureau Office")) == std::vector<std::string>{"export"});
    CHECK(where_hits(feed::Item{.title = "export controls"}).empty());  // no fields: not a document
}

TEST_CASE("where: names only fields a source adapter gives, with did-you-mean; forms: is its shorthand") {
    constexpr std::string_view k_signals = "signals:\n  - {id: s, kind: watch, weight: 1, any: [x]}\n";
    check_rule_error("brief: {id: b, title: t, threshold: 1, where: {from_type: [8-K]}}\n" + std::string(k_signals),
                     "rules/b.yaml:1:48: unknown item field 'from_type' (did you mean 'form_type'?)");
    check_rule_error("brief: {id: b, title: t, threshold: 1, where: {colour: [red]}}\n" + std::string(k_signals),
                     "rules/b.yaml:1:48: unknown item field 'colour' (expected one of accession_number, agency, cik, "
                     "company, document_number, form_type, topics, type)");
    check_rule_error("brief: {id: b, title: t, threshold: 1, where: {agency: []}}\n" + std::string(k_signals),
                     "rules/b.yaml:1:56: 'where: agency' must be a non-empty list of values");
    check_rule_error(
        "brief: {id: b, title: t, threshold: 1, where: [agency]}\n" + std::string(k_signals),
        "rules/b.yaml:1:47: 'where' must map item fields to lists of values, e.g. {form_type: [8-K, S-1]}");
    check_rule_error(
        "brief: {id: b, title: t, threshold: 1}\nsignals:\n"
        "  - {id: s, kind: watch, weight: 1, any: [x], where: {form_type: [4]}, forms: [8-K]}\n",
        "rules/b.yaml:3:79: 'forms' is short for 'where: {form_type: [...]}'; give form_type once");
}
