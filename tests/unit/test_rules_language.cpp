// Tests for the rule language additions: brief date/feeds/tags/unless, signal title_bonus,
// max_per_day, draft, group fields, and their errors at exact file:line:col.
#include <doctest/doctest.h>

#include <string>

#include "rules/rule_set.hpp"

using namespace signalmon::rules;

namespace {

RuleSet load(std::string_view yaml) {
    RuleSetBuilder builder;
    builder.add_file(yaml, "rules/x.yaml");
    return std::move(builder).finish();
}

std::string error_of(std::string_view yaml) {
    try {
        load(yaml);
    } catch (const RuleError& error) {
        return error.what();
    }
    return "";
}

}  // namespace

TEST_CASE("brief and signal keys of the full language load") {
    const RuleSet rules = load(R"(brief:
  id: b
  title: T
  date: 2026-03-06
  threshold: 3
  feeds: [sec-8k]
  tags: [filings]
  unless: ["press release"]
signals:
  - id: s
    kind: confirm
    weight: 2
    title_bonus: 1
    max_per_day: 5
    draft: true
    fields: [title, summary]
    all:
      - [merger]
      - {any: [approved], fields: [title]}
)");
    const Brief& brief = rules.briefs.at(0);
    CHECK(brief.date == "2026-03-06");
    CHECK(brief.feeds == std::vector<std::string>{"sec-8k"});
    CHECK(brief.tags == std::vector<std::string>{"filings"});
    REQUIRE(brief.unless.size() == 1);
    CHECK(rules.patterns[brief.unless[0].id].owners.at(0).group == PatternOwner::k_brief_unless_group);
    const Signal& signal = brief.signals.at(0);
    CHECK(signal.title_bonus == 1);
    CHECK(signal.max_per_day == 5);
    CHECK(signal.draft);
    CHECK(signal.group_fields ==
          std::vector<FieldMask>{field_bit(Field::title) | field_bit(Field::summary), field_bit(Field::title)});
    CHECK(rules.draft_signal_count() == 1);
}

TEST_CASE("errors in the added keys point at the value") {
    constexpr std::string_view head = "brief: {id: b, title: T, threshold: 1}\nsignals:\n";
    CHECK(error_of("brief: {id: b, title: T, threshold: 1, date: 6 March}\nsignals: [{id: s, kind: watch, weight: 1, "
                   "any: [x]}]\n") == "rules/x.yaml:1:46: 'date' must be YYYY-MM-DD, got '6 March'");
    CHECK(error_of(std::string(head) + "  - {id: s, kind: watch, weight: 1, any: [x], draft: maybe}\n") ==
          "rules/x.yaml:3:54: 'draft' must be true or false");
    CHECK(error_of(std::string(head) + "  - {id: s, kind: watch, weight: 1, any: [x], max_per_day: 0}\n") ==
          "rules/x.yaml:3:60: 'max_per_day' must be a positive integer");
    CHECK(
        error_of(std::string(head) +
                 "  - {id: s, kind: watch, weight: 1, fields: [summary], all: [[x], {any: [y], fields: [title]}]}\n") ==
        "rules/x.yaml:3:86: a group's 'fields' must be among the signal's fields");
    CHECK(error_of(std::string(head) + "  - {id: s, kind: watch, weight: 1, all: [[x], {anyy: [y]}]}\n") ==
          "rules/x.yaml:3:49: unknown key 'anyy' in a group of 'all' (did you mean 'any'?)");
    CHECK(error_of("brief: {id: b, title: T, threshold: 1, feeds: []}\nsignals: [{id: s, kind: watch, weight: 1, any: "
                   "[x]}]\n") == "rules/x.yaml:1:47: 'feeds' must be a non-empty list of ids");
}

TEST_CASE("the content hash names the rule files' bytes") {
    const std::filesystem::path shipped = std::filesystem::path(SIGNALMON_SOURCE_DIR) / "rules";
    const RuleSet first = load_rules_dir(shipped);
    CHECK(first.content_hash.size() == 16);
    CHECK(load_rules_dir(shipped).content_hash == first.content_hash);
    CHECK(load_rules_dir(std::filesystem::path(SIGNALMON_TEST_DATA) / "score").content_hash != first.content_hash);
}
