// Tests for rules/cache: compile then load on restart, corrupt and mismatched files rebuilt, stale ones removed.
#include <doctest/doctest.h>

#include <array>
#include <fstream>

#include "match/matcher.hpp"
#include "rules/cache.hpp"
#include "temp_dir.hpp"

using namespace signalmon;
using rules::CacheOutcome;

namespace {

const std::filesystem::path k_good = std::filesystem::path(SIGNALMON_TEST_DATA) / "rules" / "good";

rules::RuleSet one_pattern(std::string_view pattern) {
    rules::RuleSetBuilder builder;
    builder.add_file("brief: {id: b, title: t, threshold: 1}\nsignals:\n  - {id: s, kind: watch, weight: 1, any: ['" +
                         std::string(pattern) + "']}\n",
                     "rules/b.yaml");
    return std::move(builder).finish();
}

std::string read(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary | std::ios::ate);
    std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return bytes;
}

void write(const std::filesystem::path& file, std::string_view bytes) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

std::size_t cache_files(const std::filesystem::path& dir) {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        count += entry.path().extension() == ".hsdb" ? 1 : 0;
    }
    return count;
}

// The occurrences the rules find in one item, as (pattern, begin, end) triples.
std::vector<std::array<std::uint32_t, 3>> scan(const std::shared_ptr<const rules::CompiledRules>& compiled) {
    feed::Item item;
    item.title = "Open-weights model released by a frontier lab";
    item.content = "The EU AI Act covers on-prem deployments; open source models too.";
    match::Matcher matcher(compiled);
    std::vector<std::array<std::uint32_t, 3>> found;
    for (const match::Occurrence& occurrence : matcher.scan(item).occurrences) {
        found.push_back({occurrence.pattern, occurrence.begin, occurrence.end});
    }
    return found;
}

}  // namespace

TEST_CASE("a restart with unchanged rules loads the cached databases instead of compiling") {
    const testing::TempDir state;
    const auto first = rules::compile_cached(rules::load_rules_dir(k_good), state.path() / "cache");
    CHECK(first.outcome == CacheOutcome::compiled);
    CHECK(first.problem.empty());
    REQUIRE(std::filesystem::exists(first.file));

    const auto second = rules::compile_cached(rules::load_rules_dir(k_good), state.path() / "cache");
    CHECK(second.outcome == CacheOutcome::loaded);
    CHECK(rules::cache_outcome_name(second.outcome) == "loaded");
    CHECK(second.file == first.file);
    REQUIRE(second.compiled->regex_database() != nullptr);
    CHECK(second.compiled->regex_filter_database() != nullptr);
    CHECK(second.compiled->database_bytes() == first.compiled->database_bytes());
    const auto expected = scan(first.compiled);
    CHECK(!expected.empty());
    CHECK(scan(second.compiled) == expected);
}

TEST_CASE("a corrupt, truncated or foreign cache file is discarded and rebuilt, never used") {
    const testing::TempDir state;
    const auto cache = state.path() / "cache";
    const auto built = rules::compile_cached(rules::load_rules_dir(k_good), cache);
    const std::string good = read(built.file);
    const auto expected = scan(built.compiled);

    SUBCASE("one flipped byte in a database") {
        std::string bytes = good;
        bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x40);
        write(built.file, bytes);
    }
    SUBCASE("truncated") { write(built.file, std::string_view(good).substr(0, good.size() - 100)); }
    SUBCASE("shorter than its header") { write(built.file, "SMHSDB01"); }
    SUBCASE("another rule set's file under this name") {
        const auto other = rules::compile_cached(one_pattern("alpha"), state.path() / "other");
        write(built.file, read(other.file));
    }
    const auto again = rules::compile_cached(rules::load_rules_dir(k_good), cache);
    CHECK(again.outcome == CacheOutcome::rebuilt);
    CHECK(!again.problem.empty());
    CHECK(scan(again.compiled) == expected);
    CHECK(read(again.file) == good);  // the rebuilt file is whole again...
    CHECK(rules::compile_cached(rules::load_rules_dir(k_good), cache).outcome == CacheOutcome::loaded);  // ...and used
}

TEST_CASE("changed rules get a new key, and the stale cache file is removed") {
    const testing::TempDir state;
    const auto first = rules::compile_cached(one_pattern("alpha"), state.path());
    const auto changed = rules::compile_cached(one_pattern("beta"), state.path());
    CHECK(changed.outcome == CacheOutcome::compiled);
    CHECK(changed.file != first.file);
    CHECK(rules::database_key(one_pattern("beta")) != rules::database_key(one_pattern("alpha")));
    CHECK(rules::database_key(one_pattern("beta")) == rules::database_key(one_pattern("Beta")));  // same folded literal
    CHECK(cache_files(state.path()) == 1);
    CHECK(!std::filesystem::exists(first.file));
}

TEST_CASE("an unwritable cache directory still yields compiled rules") {
    const testing::TempDir state;
    const auto blocker = state.write("cache", "a file where the directory should be");
    const auto result = rules::compile_cached(one_pattern("alpha"), blocker / "sub");
    CHECK(result.outcome == CacheOutcome::compiled);
    CHECK(!result.problem.empty());
    CHECK(result.compiled->literal_database() != nullptr);
}
