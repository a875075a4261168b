// Tests for rules/compile: two databases, one entry per distinct pattern, errors mapped to lines.
#include <doctest/doctest.h>

#include "rules/compile.hpp"

using namespace signalmon::rules;

namespace {

const std::filesystem::path k_good_rules = std::filesystem::path(SIGNALMON_TEST_DATA) / "rules" / "good";

}  // namespace

TEST_CASE("compile builds a literal and a regex database over the distinct patterns") {
    const auto compiled = compile(load_rules_dir(k_good_rules));
    const RuleSet& rules = compiled->rules();
    REQUIRE(rules.briefs.size() == 2);
    REQUIRE(compiled->literal_database() != nullptr);
    REQUIRE(compiled->regex_database() != nullptr);
    // Regexes: "/open[- ]source.../", "on-prem* deployment", "nationaliz* frontier lab*", "/EU AI Act/c",
    // and the shared veto; every other distinct pattern is a literal.
    CHECK(compiled->regex_count() == 5);
    CHECK(compiled->literal_count() == 14);
    CHECK(compiled->literal_count() + compiled->regex_count() == rules.patterns.size());
    CHECK(compiled->database_bytes() > 0);
}

TEST_CASE("rules with only literals have no regex database") {
    RuleSetBuilder builder;
    builder.add_file(
        "brief: {id: b, title: t, threshold: 1}\nsignals:\n  - {id: s, kind: watch, weight: 1, any: [alpha]}\n",
        "rules/b.yaml");
    const auto compiled = compile(std::move(builder).finish());
    CHECK(compiled->literal_database() != nullptr);
    CHECK(compiled->regex_database() == nullptr);
}

TEST_CASE("a pattern the whole-set compile rejects is reported at its line") {
    RuleSetBuilder builder;
    builder.add_file(
        "brief: {id: b, title: t, threshold: 1}\nsignals:\n"
        "  - id: s\n    kind: watch\n    weight: 1\n    any: [alpha, '/beta/']\n",
        "rules/b.yaml");
    RuleSet rules = std::move(builder).finish();
    // A table edited after validation (as a cache loader might) still fails with a location.
    rules.patterns[1].spec.expression = "(a)\\1";
    CHECK_THROWS_WITH_AS(
        compile(std::move(rules)),
        "rules/b.yaml:6:18: pattern '/beta/' is rejected by Hyperscan: Back-references are unsupported.", RuleError);
}
