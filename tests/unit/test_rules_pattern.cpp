// Tests for rules/pattern: phrases to literals or regexes, boundary flags, regex syntax checks.
#include <doctest/doctest.h>
#include <hs/hs.h>

#include "rules/pattern.hpp"

using signalmon::rules::check_regex;
using signalmon::rules::PatternEngine;
using signalmon::rules::translate_pattern;

TEST_CASE("a phrase becomes a folded, lower-case caseless literal with both boundaries checked") {
    const auto spec = translate_pattern("Request  for-Proposals");
    REQUIRE(spec);
    CHECK(spec->engine == PatternEngine::literal);
    CHECK(spec->expression == "request for proposals");
    CHECK(spec->flags == HS_FLAG_CASELESS);
    CHECK(spec->check_left);
    CHECK(spec->check_right);
}

TEST_CASE("a trailing '*' stays a literal without the right boundary") {
    const auto spec = translate_pattern("open weight*");
    REQUIRE(spec);
    CHECK(spec->engine == PatternEngine::literal);
    CHECK(spec->expression == "open weight");
    CHECK(spec->check_left);
    CHECK_FALSE(spec->check_right);
}

TEST_CASE("an inner '*' makes a regex with start-of-match for the boundary checks") {
    const auto spec = translate_pattern("on-prem* deployment");
    REQUIRE(spec);
    CHECK(spec->engine == PatternEngine::regex);
    CHECK(spec->expression == R"(on prem[\w\x80-\xff]* deployment)");
    CHECK(spec->flags == (HS_FLAG_CASELESS | HS_FLAG_SOM_LEFTMOST));
    CHECK(spec->check_left);
    CHECK(spec->check_right);
    const auto punctuated = translate_pattern("u.s* a+b");
    REQUIRE(punctuated);
    CHECK(punctuated->expression == R"(u\.s[\w\x80-\xff]* a\+b)");
}

TEST_CASE("boundaries are only checked next to word characters") {
    const auto spec = translate_pattern("U.S.");
    REQUIRE(spec);
    CHECK(spec->check_left);
    CHECK_FALSE(spec->check_right);
    const auto hashtag = translate_pattern("#opensource");
    REQUIRE(hashtag);
    CHECK_FALSE(hashtag->check_left);
}

TEST_CASE("regexes are caseless unless /c, and keep their text") {
    const auto caseless = translate_pattern("/open[- ]source (AI )?models?/");
    REQUIRE(caseless);
    CHECK(caseless->engine == PatternEngine::regex);
    CHECK(caseless->expression == "open[- ]source (AI )?models?");
    CHECK(caseless->flags == (HS_FLAG_CASELESS | HS_FLAG_SOM_LEFTMOST));
    CHECK_FALSE(caseless->check_left);
    const auto exact = translate_pattern("/EU AI Act/c");
    REQUIRE(exact);
    CHECK(exact->expression == "EU AI Act");
    CHECK(exact->flags == HS_FLAG_SOM_LEFTMOST);
}

TEST_CASE("identical patterns after folding share a key") {
    CHECK(translate_pattern("Open-Weights")->key() == translate_pattern("open  weights")->key());
    CHECK(translate_pattern("open weight*")->key() != translate_pattern("open weight")->key());
    CHECK(translate_pattern("/ab/")->key() != translate_pattern("/ab/c")->key());
}

TEST_CASE("malformed patterns are refused with a reason") {
    CHECK(translate_pattern("").error() == "empty pattern");
    CHECK(translate_pattern(" - ").error() == "phrase ' - ' has no words");
    CHECK(translate_pattern("a*b").error() == "'*' is only allowed at the end of a word, in phrase 'a*b'");
    CHECK(translate_pattern("open *").error() == "'*' is only allowed at the end of a word, in phrase 'open *'");
    CHECK(translate_pattern("/abc").error() == "regex '/abc' must end with '/' (or '/c' for case-sensitive)");
    CHECK(translate_pattern("//").error() == "empty regex '//'");
}

TEST_CASE("check_regex names the engine that rejects a pattern") {
    CHECK_FALSE(check_regex(*translate_pattern("/open (source|weights?)/"), "/open (source|weights?)/"));
    CHECK(check_regex(*translate_pattern("/(a)\\1/"), "/(a)\\1/").value() ==
          "pattern '/(a)\\1/' is rejected by Hyperscan: Back-references are unsupported.");
    // \h (horizontal space) is PCRE syntax that Hyperscan accepts and RE2 does not.
    CHECK(check_regex(*translate_pattern("/open\\h+source/"), "/open\\h+source/").value() ==
          "pattern '/open\\h+source/' is rejected by RE2 (Hyperscan accepts it; use syntax both support): invalid "
          "escape sequence: \\h");
}

TEST_CASE("patterns that would make the compiler hang are refused with the limit in the message") {
    CHECK(translate_pattern(std::string(1001, 'a')).error() == "pattern is 1001 bytes long; at most 1000 are allowed");
    CHECK(translate_pattern("/x{1001}/").error() ==
          "regex '/x{1001}/': bounded repeats allow more than 1000 repetitions (nested repeats multiply); at most "
          "1000 are allowed");
    CHECK(translate_pattern("/((ab){40}c){40}/").error() ==
          "regex '/((ab){40}c){40}/': bounded repeats allow 1600 repetitions (nested repeats multiply); at most 1000 "
          "are allowed");
    // Within the limits, and braces that are no repeat, pass.
    CHECK(translate_pattern("/(a{30}){30}/"));
    CHECK(translate_pattern("/(a{30})(b){30}/"));
    CHECK(translate_pattern("/[{]9999}|x{2,1000}/"));
    CHECK(translate_pattern("/\\{99999}/"));
}
