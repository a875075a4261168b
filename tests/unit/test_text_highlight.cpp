// Tests for src/text/highlight.cpp: where matched words sit in a snippet.
#include <doctest/doctest.h>

#include "text/highlight.hpp"

using namespace signalmon;

TEST_CASE("term_spans finds every occurrence, case-folded, sorted, overlaps merged") {
    const std::vector<std::string> terms{"Open Weights", "weights", "tender"};
    const auto spans = text::term_spans("A tender for open weights; TENDER closes. Weights again.", terms);
    REQUIRE(spans.size() == 4);
    CHECK(spans[0].begin == 2);  // tender
    CHECK(spans[0].end == 8);
    CHECK(spans[1].begin == 13);  // "open weights" and "weights" inside it: one span
    CHECK(spans[1].end == 25);
    CHECK(spans[2].begin == 27);  // TENDER
    CHECK(spans[3].begin == 42);  // Weights
}

TEST_CASE("term_spans ignores empty terms and finds nothing in text without them") {
    const std::vector<std::string> terms{"", "absent"};
    CHECK(text::term_spans("nothing here", terms).empty());
}
