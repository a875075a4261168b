// UTF-8 helpers (src/text/utf8.cpp).
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>

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

namespace {

// repair_utf8's contract written the plain way, one sequence at a time: a broken sequence and the
// continuation bytes after it become one U+FFFD.
std::string reference_repair(std::string_view bytes) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    std::string out;
    std::size_t at = 0;
    while (at < bytes.size()) {
        const unsigned char lead = byte(at);
        const std::size_t length = lead < 0x80                    ? 1
                                   : lead >= 0xC2 && lead <= 0xDF ? 2
                                   : lead >= 0xE0 && lead <= 0xEF ? 3
                                   : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                                  : 0;
        const unsigned char low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
        const unsigned char high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
        bool ok = length != 0 && at + length <= bytes.size();
        for (std::size_t i = 1; ok && i < length; ++i) {
            ok = byte(at + i) >= (i == 1 ? low : 0x80) && byte(at + i) <= (i == 1 ? high : 0xBF);
        }
        if (ok) {
            out.append(bytes.substr(at, length));
            at += length;
            continue;
        }
        out += "\xEF\xBF\xBD";
        for (++at; at < bytes.size() && (byte(at) & 0xC0) == 0x80; ++at) {
        }
    }
    return out;
}

void check_against_reference(const std::string& bytes) {
    CAPTURE(bytes);
    const std::string expected = reference_repair(bytes);
    CHECK(repair_utf8(bytes) == expected);
    CHECK(is_valid_utf8(bytes) == (expected == bytes));
}

}  // namespace

TEST_CASE("repair_utf8 and is_valid_utf8 find a broken sequence at every offset around the 8-byte steps") {
    const std::string_view bad_sequences[] = {"\xFF",         "\x80",         "\xC3",    "\xE2\x82",
                                              "\xED\xA0\x80", "\xF0\x9F\x98", "\xC0\xAF"};
    const std::string_view texts[] = {"abcdefghijklmnopqrstuvwxyz0123456789",
                                      "ab\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
                                      "cdefgh\xD0\x96ijklmnopqrstuv"};
    for (const std::string_view text : texts) {
        check_against_reference(std::string(text));
        for (std::size_t at = 0; at <= text.size(); ++at) {
            for (const std::string_view bad : bad_sequences) {
                std::string inserted(text);
                inserted.insert(at, bad);
                check_against_reference(inserted);
                check_against_reference(inserted.substr(0, at + bad.size()));  // broken at the very end
                std::string replaced(text);
                replaced[at == text.size() ? 0 : at] = bad[0];
                check_against_reference(replaced);
            }
        }
    }
}

TEST_CASE("repair_utf8 matches the one-sequence-at-a-time repair on random bytes") {
    // Mostly ASCII with lead, continuation and never-valid bytes mixed in, as hostile feeds are.
    const unsigned char alphabet[] = {'a',  'b',  ' ',  '<',  0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xC3, 0xDF, 0xE0,
                                      0xE2, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 'c',  'd',  'e',  'f',  'g'};
    std::mt19937 random(7);
    std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 1);
    std::uniform_int_distribution<std::size_t> length(0, 40);
    for (int round = 0; round < 5000; ++round) {
        std::string bytes(length(random), ' ');
        for (char& c : bytes) {
            c = static_cast<char>(alphabet[pick(random)]);
        }
        check_against_reference(bytes);
    }
}
