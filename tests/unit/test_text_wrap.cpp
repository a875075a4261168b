// Tests for src/text/wrap.cpp: lines within a width in characters.
#include <doctest/doctest.h>

#include "text/wrap.hpp"

using namespace signalmon;

TEST_CASE("wrap breaks at spaces, never past the width") {
    CHECK(text::wrap("the quick brown fox jumps", 10) == std::vector<std::string>{"the quick", "brown fox", "jumps"});
    CHECK(text::wrap("  spaced   out  ", 80) == std::vector<std::string>{"spaced out"});
    CHECK(text::wrap("", 10).empty());
    CHECK(text::wrap("exactly10c", 10) == std::vector<std::string>{"exactly10c"});
}

TEST_CASE("wrap counts characters, not bytes, and cuts an overlong word at a character boundary") {
    // Eight two-byte characters fit a width of 8.
    CHECK(text::wrap("ünïcödéé fits", 8) == std::vector<std::string>{"ünïcödéé", "fits"});
    CHECK(text::wrap("a ééééééééé b", 4) == std::vector<std::string>{"a", "éééé", "éééé", "é b"});
}
