// UTF-8 helpers (src/text/utf8.cpp).
#include <doctest/doctest.h>

#include <string>

#include "text/utf8.hpp"

using namespace signalmon::text;

TEST_CASE("append_utf8 encodes every length and replaces what cannot be encoded") {
    std::string out;
    append_utf8(out, U'A');
    append_utf8(out, U'\u00E9');
    append_utf8(out, U'\u20AC');
    append_utf8(out, U'\U0001F600');
    CHECK(out == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    out.clear();
    append_utf8(out, 0xD800);
    append_utf8(out, 0x110000);
    CHECK(out == "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("is_valid_utf8 rejects overlongs, surrogates, truncation and stray bytes") {
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80"));
    for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xC3", "\x80", "\xFF"}) {
        CAPTURE(bad);
        CHECK_FALSE(is_valid_utf8(bad));
    }
}

TEST_CASE("repair_utf8 keeps valid text and replaces each broken sequence") {
    CHECK(repair_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
    CHECK(repair_utf8("a\xC3(b") == "a\xEF\xBF\xBD(b");
    CHECK(repair_utf8("a\xE2\x82z") == "a\xEF\xBF\xBDz");
    CHECK(repair_utf8("\x80\x80x") == "\xEF\xBF\xBDx");
    CHECK(is_valid_utf8(repair_utf8("\xED\xA0\x80\xF5\xC0\xAF")));
}

TEST_CASE("truncate_utf8 never splits a character") {
    CHECK(truncate_utf8("caf\xC3\xA9", 4) == "caf");
    CHECK(truncate_utf8("caf\xC3\xA9", 5) == "caf\xC3\xA9");
    CHECK(truncate_utf8("\xE2\x82\xAC\xE2\x82\xAC", 5) == "\xE2\x82\xAC");
    CHECK(truncate_utf8("abc", 10) == "abc");
}
