// Tests for src/text/controls.cpp: what is a control, and that only controls go.
#include <doctest/doctest.h>

#include "text/controls.hpp"

using namespace signalmon;

TEST_CASE("C0 controls but tab and newline, DEL and C1 controls are removed; all other text stays") {
    CHECK(text::without_controls("\x1b[31mred\x1b[0m\r\x07") == "[31mred[0m");
    CHECK(text::without_controls("tab\there\nnext line") == "tab\there\nnext line");
    CHECK(text::without_controls("del\x7f; C1 CSI \xc2\x9b"
                                 "2J; NEL \xc2\x85.") == "del; C1 CSI 2J; NEL .");
    // Neighbours of the C1 block are letters: U+00A0 (no-break space), U+00E9, and U+0100.
    const std::string letters = "\xc2\xa0 \xc3\xa9 \xc4\x80 \xe2\x82\xac";
    CHECK(text::without_controls(letters) == letters);
    CHECK_FALSE(text::has_controls(letters));
    CHECK(text::has_controls("x\x01"));

    std::string clean = "nothing to do";
    const char* before = clean.data();
    text::strip_controls(clean);
    CHECK(clean.data() == before);  // untouched, not copied
    std::string dirty =
        "a\x1b"
        "b";
    text::strip_controls(dirty);
    CHECK(dirty == "ab");
}
