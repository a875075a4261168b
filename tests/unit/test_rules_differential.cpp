// Differential test: every shipped and test pattern, compiled for Hyperscan (the matcher) and
// independently for RE2, must agree on match / no match for every field of every item of the real
// feeds in tests/data/feed and tests/data/pipeline/offtopic. RE2 is what explanations and snippets can be checked
// against, so a disagreement is a bug in one of the two translations.
#include <doctest/doctest.h>
#include <re2/re2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "brief/compiler.hpp"
#include "feed/parse.hpp"
#include "match/matcher.hpp"
#include "test_feed_fixture.hpp"
#include "text/fold.hpp"

using namespace signalmon;

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every rule file that loads on its own: the shipped rules, the good test rules, drafted briefs.
std::vector<std::shared_ptr<const rules::CompiledRules>> all_rule_sets() {
    std::vector<std::pair<std::string, std::string>> files;  // (display name, yaml)
    const std::filesystem::path data(SIGNALMON_TEST_DATA);
    for (const auto& dir : {std::filesystem::path(SIGNALMON_SOURCE_DIR) / "rules", data / "rules",
                            data / "rules" / "good", data / "score"}) {
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() == ".yaml") files.emplace_back(entry.path().string(), read_file(entry.path()));
        }
    }
    for (const auto& entry : std::filesystem::directory_iterator(data / "brief")) {
        if (const auto parsed = brief::parse_daily_brief(read_file(entry.path()))) {
            files.emplace_back(entry.path().string(), brief::draft_yaml(brief::compile_brief(*parsed, {}), "test"));
        }
    }
    std::vector<std::shared_ptr<const rules::CompiledRules>> sets;
    for (const auto& [name, yaml] : files) {
        try {
            rules::RuleSetBuilder builder;
            builder.add_file(yaml, name);
            sets.push_back(rules::compile(std::move(builder).finish()));
        } catch (const rules::RuleError&) {
            // The bad_*.yaml fixtures are rejected at load, which is what they test.
        }
    }
    return sets;
}

std::vector<feed::Item> corpus() {
    std::vector<feed::Item> items;
    const std::filesystem::path data(SIGNALMON_TEST_DATA);
    for (const auto& dir : {data / "feed", data / "pipeline" / "offtopic"}) {
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            if (auto parsed = feed::parse(read_file(entry.path()), {})) {
                std::move(parsed->items.begin(), parsed->items.end(), std::back_inserter(items));
            }
        }
    }
    return items;
}

// The same PatternSpec for RE2: literals quoted, regexes as written, bytes as Latin-1 like
// Hyperscan without HS_FLAG_UTF8; word boundaries checked around each candidate as the matcher does.
class Re2Pattern {
public:
    explicit Re2Pattern(const rules::PatternSpec& spec)
        : m_spec(spec), m_re2(std::make_unique<RE2>(expression(spec), options(spec))) {}

    bool ok() const { return m_re2->ok(); }

    bool matches(std::string_view folded) const {
        for (std::size_t at = 0; at <= folded.size();) {
            re2::StringPiece found;
            if (!m_re2->Match(folded, at, folded.size(), RE2::UNANCHORED, &found, 1)) return false;
            const auto begin = static_cast<std::size_t>(found.data() - folded.data());
            const std::size_t end = begin + found.size();
            const bool left_ok = !m_spec.check_left || begin == 0 || !word(folded, begin - 1);
            const bool right_ok = !m_spec.check_right || end == folded.size() || !word(folded, end);
            if (left_ok && right_ok && end > begin) return true;
            at = begin + 1;
        }
        return false;
    }

private:
    static bool word(std::string_view text, std::size_t at) {
        return text::is_word_byte(static_cast<unsigned char>(text[at]));
    }

    // A phrase with forms is their alternation, longest first: RE2 takes the first alternative that
    // matches at a place, and a shorter form's word boundary would fail where a longer one matches.
    static std::string expression(const rules::PatternSpec& spec) {
        if (spec.engine != rules::PatternEngine::literal) return spec.expression;
        if (spec.variants.empty()) return RE2::QuoteMeta(spec.expression);
        std::vector<std::string> forms = spec.variants;
        std::ranges::stable_sort(forms, std::greater<>{}, &std::string::size);
        std::string alternation;
        for (const std::string& form : forms) alternation += (alternation.empty() ? "(?:" : "|") + RE2::QuoteMeta(form);
        return alternation + ")";
    }

    static RE2::Options options(const rules::PatternSpec& spec) {
        RE2::Options options;
        options.set_encoding(RE2::Options::EncodingLatin1);
        options.set_case_sensitive((spec.flags & HS_FLAG_CASELESS) == 0);
        options.set_log_errors(false);
        return options;
    }

    rules::PatternSpec m_spec;
    std::unique_ptr<RE2> m_re2;  // RE2 cannot move
};

}  // namespace

TEST_CASE("Hyperscan and RE2 agree on every shipped and test pattern over real feed text") {
    const auto sets = all_rule_sets();
    const auto items = corpus();
    REQUIRE(sets.size() >= 5);
    REQUIRE(items.size() >= 100);
    std::size_t patterns = 0;
    std::size_t agreed_matches = 0;
    std::size_t comparisons = 0;
    for (const auto& compiled : sets) {
        match::Matcher matcher(compiled);
        std::vector<Re2Pattern> re2;
        for (const rules::CompiledPattern& pattern : compiled->rules().patterns) {
            re2.emplace_back(pattern.spec);
            REQUIRE_MESSAGE(re2.back().ok(), "RE2 rejects " << pattern.written);
        }
        patterns += re2.size();
        for (const feed::Item& item : items) {
            const match::MatchSet matches = matcher.scan(item);
            std::set<std::pair<std::uint32_t, rules::Field>> by_hyperscan;
            for (const match::Occurrence& occurrence : matches.occurrences)
                by_hyperscan.emplace(occurrence.pattern, occurrence.field);
            for (const rules::Field field : rules::k_fields) {
                const std::string folded = text::fold(match::field_text(item, field)).text;
                for (std::uint32_t id = 0; id < re2.size(); ++id) {
                    const bool hyperscan = by_hyperscan.contains({id, field});
                    const bool by_re2 = re2[id].matches(folded);
                    ++comparisons;
                    agreed_matches += hyperscan && by_re2 ? 1 : 0;
                    if (hyperscan != by_re2) {
                        FAIL_CHECK("pattern '" << compiled->rules().patterns[id].written << "' in "
                                               << rules::field_name(field) << " of '" << item.title << "': Hyperscan "
                                               << hyperscan << ", RE2 " << by_re2);
                    }
                }
            }
        }
    }
    MESSAGE(patterns << " patterns, " << items.size() << " items, " << comparisons << " comparisons, " << agreed_matches
                     << " agreed matches");
    CHECK(agreed_matches > 0);
}

TEST_CASE("a pattern only one engine accepts is rejected at load, naming the engine") {
    const auto error_of = [](std::string_view pattern) {
        rules::RuleSetBuilder builder;
        try {
            builder.add_file(
                "brief: {id: b, title: T, threshold: 1}\nsignals:\n  - {id: s, kind: watch, weight: 1, any: ['" +
                    std::string(pattern) + "']}\n",
                "rules/x.yaml");
        } catch (const rules::RuleError& error) {
            return std::string(error.what());
        }
        return std::string();
    };
    CHECK(error_of("/(?=open)open/") ==
          "rules/x.yaml:3:43: pattern '/(?=open)open/' is rejected by Hyperscan: Zero-width assertions are not "
          "supported.");
    CHECK(error_of("/open\\h+source/")
              .starts_with("rules/x.yaml:3:43: pattern '/open\\h+source/' is rejected by RE2 (Hyperscan accepts it; "
                           "use syntax both support)"));
}
