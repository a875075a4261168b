// Tests for `forms:` in rules (src/rules/load.cpp) as applied by src/score/evaluate.cpp: a brief or
// signal limited to filing form types matches only items whose form_type field is one of them.
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
