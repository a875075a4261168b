// Tests for rules/load: good rule files load as data; every bad file fails at its exact file:line:col.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "rules/rule_set.hpp"

using namespace signalmon::rules;

namespace {

const std::filesystem::path k_data = std::filesystem::path(SIGNALMON_TEST_DATA) / "rules";

// Loads one fixture as if it were rules/NAME and returns the error text ("" if it loads).
std::string error_of_file(const std::string& name) {
    std::ifstream in(k_data / name);
    std::ostringstream text;
    text << in.rdbuf();
    REQUIRE(in);
    try {
        RuleSetBuilder builder;
        builder.add_file(text.str(), "rules/" + name);
    } catch (const RuleError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST_CASE("a good rules directory loads briefs, signals and shared patterns") {
    const RuleSet rules = load_rules_dir(k_data / "good");
    REQUIRE(rules.briefs.size() == 2);
    const Brief& compute = rules.briefs[0];  // files are read in name order
    const Brief& weights = rules.briefs[1];
    CHECK(compute.id == "compute-market");
    CHECK(compute.source.empty());
    CHECK(weights.id == "open-weights");
    CHECK(weights.title == "Open weights as a governance and access hedge");
    CHECK(weights.threshold == 5);
    CHECK(weights.file == k_data / "good" / "open-weights.yaml");
    REQUIRE(weights.signals.size() == 3);
    const Signal& procurement = weights.signals[0];
    CHECK(procurement.id == "procurement-demands-open-weights");
    CHECK(procurement.kind == Kind::confirm);
    CHECK(procurement.weight == 5);
    CHECK(procurement.uses_all);
    REQUIRE(procurement.groups.size() == 2);
    CHECK(procurement.groups[0].size() == 6);
    CHECK(procurement.groups[1][4].written == "/open[- ]source (AI )?models?/");
    CHECK(to_string(procurement.groups[1][4].where) == (k_data / "good" / "open-weights.yaml").string() + ":14:82");
    CHECK(procurement.near == 40);
    REQUIRE(procurement.unless.size() == 1);
    CHECK(procurement.fields == k_all_fields);
    const Signal& consortium = weights.signals[1];
    CHECK(consortium.kind == Kind::watch);
    CHECK_FALSE(consortium.uses_all);
    CHECK_FALSE(consortium.near);
    CHECK(consortium.fields == (field_bit(Field::title) | field_bit(Field::summary)));
    CHECK(weights.signals[2].kind == Kind::kill);
}

TEST_CASE("identical patterns across briefs are one table entry with every owner") {
    const RuleSet rules = load_rules_dir(k_data / "good");
    const Brief& compute = rules.briefs[0];
    const Brief& weights = rules.briefs[1];
    // "Open-Weights" (compute) and "open weight*" (open-weights) differ: the star drops the right boundary.
    CHECK(compute.signals[0].groups[0][2].id != weights.signals[0].groups[1][0].id);
    // "sovereign wealth fund*" is written in both briefs.
    const std::uint32_t shared = compute.signals[1].groups[0][0].id;
    CHECK(weights.signals[1].groups[0][1].id == shared);
    const CompiledPattern& pattern = rules.patterns[shared];
    CHECK(pattern.written == "sovereign wealth fund*");
    REQUIRE(pattern.owners.size() == 2);
    CHECK(pattern.owners[0].brief == 0);
    CHECK(pattern.owners[1].brief == 1);
    CHECK(pattern.owners[1].signal == 1);
    // The veto regex too, written once with '\w' in single quotes and once escaped in double quotes.
    const std::uint32_t veto = weights.signals[0].unless[0].id;
    CHECK(compute.signals[1].unless[0].id == veto);
    CHECK(rules.patterns[veto].owners[0].group == PatternOwner::k_unless_group);
    std::size_t written = 0;
    for (const Brief& brief : rules.briefs) {
        for (const Signal& signal : brief.signals) {
            for (const Group& group : signal.groups) {
                written += group.size();
            }
            written += signal.unless.size();
        }
    }
    CHECK(written == 21);
    CHECK(rules.patterns.size() == 19);
}

TEST_CASE("kind and field names") {
    CHECK(kind_name(Kind::watch) == "watch");
    CHECK(kind_name(Kind::confirm) == "confirm");
    CHECK(kind_name(Kind::kill) == "kill");
    CHECK(field_name(Field::summary) == "summary");
}

TEST_CASE("every rule error names the file, line and column") {
    CHECK(error_of_file("bad_unknown_key.yaml") ==
          "rules/bad_unknown_key.yaml:9:5: unknown key 'wieght' in signal (did you mean 'weight'?)");
    CHECK(error_of_file("bad_unknown_brief_key.yaml") ==
          "rules/bad_unknown_brief_key.yaml:5:3: unknown key 'colour' in brief (expected one of: id, title, source, "
          "date, threshold, feeds, tags, unless, forms, watch_threshold, about, where, about_min)");
    CHECK(error_of_file("bad_yaml_syntax.yaml") ==
          "rules/bad_yaml_syntax.yaml:10:1: YAML syntax error: end of sequence flow not found");
    CHECK(error_of_file("bad_escape.yaml") ==
          "rules/bad_escape.yaml:9:31: YAML syntax error: unknown escape character: w");
    CHECK(error_of_file("bad_missing_kind.yaml") ==
          "rules/bad_missing_kind.yaml:6:5: missing required key 'kind' in signal");
    CHECK(error_of_file("bad_missing_threshold.yaml") ==
          "rules/bad_missing_threshold.yaml:2:3: missing required key 'threshold' in brief");
    CHECK(error_of_file("bad_weight_type.yaml") == "rules/bad_weight_type.yaml:8:13: 'weight' must be an integer");
    CHECK(error_of_file("bad_duplicate_signal.yaml") ==
          "rules/bad_duplicate_signal.yaml:7:10: duplicate signal id 's' in brief 'b' (first defined at "
          "rules/bad_duplicate_signal.yaml:6:10)");
    CHECK(error_of_file("bad_empty_group.yaml") == "rules/bad_empty_group.yaml:11:9: a group of 'all' is empty");
    CHECK(error_of_file("bad_empty_any.yaml") == "rules/bad_empty_any.yaml:6:42: 'any' is empty");
    CHECK(error_of_file("bad_any_and_all.yaml") ==
          "rules/bad_any_and_all.yaml:10:10: signal 's' has both 'any' and 'all' (use one)");
    CHECK(error_of_file("bad_kind.yaml") ==
          "rules/bad_kind.yaml:7:11: unknown kind 'confrim' (did you mean 'confirm'?)");
    CHECK(error_of_file("bad_field.yaml") ==
          "rules/bad_field.yaml:10:21: unknown field 'body' (expected title, summary or content)");
    CHECK(error_of_file("bad_hyperscan.yaml") ==
          "rules/bad_hyperscan.yaml:11:9: pattern '/(open)\\s+\\1/' is rejected by Hyperscan: Back-references are "
          "unsupported.");
    CHECK(error_of_file("bad_nested_repeat.yaml") ==
          "rules/bad_nested_repeat.yaml:11:9: regex '/((ab){40}c){40}/': bounded repeats allow 1600 repetitions "
          "(nested repeats multiply); at most 1000 are allowed");
    CHECK(error_of_file("bad_re2.yaml") ==
          "rules/bad_re2.yaml:9:18: pattern '/open\\h+source/' is rejected by RE2 (Hyperscan accepts it; use syntax "
          "both support): invalid escape sequence: \\h");
    CHECK(error_of_file("bad_star.yaml") ==
          "rules/bad_star.yaml:9:11: '*' is only allowed at the end of a word, in phrase 'open wei*ghts'");
    CHECK(error_of_file("bad_near_any.yaml") ==
          "rules/bad_near_any.yaml:10:11: 'near' applies to 'all' groups; signal 's' uses 'any'");
    CHECK(error_of_file("bad_empty_file.yaml") ==
          "rules/bad_empty_file.yaml:1:1: empty rule file (expected 'brief' and 'signals')");
}

TEST_CASE("duplicate brief ids across files point at both definitions") {
    const auto dir = k_data / "dup_briefs";
    CHECK_THROWS_WITH_AS(load_rules_dir(dir),
                         ((dir / "b.yaml").string() + ":3:7: duplicate brief id 'same-id' (first defined at " +
                          (dir / "a.yaml").string() + ":2:7)")
                             .c_str(),
                         RuleError);
}

TEST_CASE("a missing or empty rules directory is an error") {
    CHECK_THROWS_AS(load_rules_dir(k_data / "no-such-dir"), RuleError);
    const auto empty = std::filesystem::temp_directory_path() / "signalmon-empty-rules";
    std::filesystem::create_directories(empty);
    CHECK_THROWS_WITH_AS(load_rules_dir(empty), (empty.string() + ": no rule files (*.yaml)").c_str(), RuleError);
    std::filesystem::remove(empty);
}
