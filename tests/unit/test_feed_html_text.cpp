// Table tests for feed::html_to_text and plain_text (src/feed/html_text.cpp).
#include <doctest/doctest.h>

#include <iterator>
#include <random>
#include <string>
#include <string_view>

#include "feed/html_text.hpp"
#include "text/utf8.hpp"

using signalmon::feed::html_entity;
using signalmon::feed::html_to_text;
using signalmon::feed::looks_like_html;
using signalmon::feed::plain_text;

TEST_CASE("html_to_text strips markup, decodes references and collapses whitespace") {
    struct Case {
        std::string_view html;
        std::string_view text;
    };
    const Case cases[] = {
        {"<p>Hello <b>world</b></p>", "Hello world"},
        {"hel<b>lo</b>", "hello"},            // inline tags join
        {"<p>one</p><p>two</p>", "one two"},  // blocks separate
        {"a<br>b<br/>c", "a b c"},
        {"<ul><li>x</li><li>y</li></ul>", "x y"},
        {"<script>var a = '<p>';</script>kept<style>p { color: red }</style>", "kept"},
        {"<SCRIPT type=\"x\">bad()</SCRIPT >ok", "ok"},
        {"<!-- a comment -->visible", "visible"},
        {"x <![CDATA[in cdata]]> y", "x in cdata y"},
        {"<a href=\"/x?a=1&b=2\" title='a > b'>link</a>", "link"},  // '>' inside a quoted attribute
        // HTML5: a quote inside an unquoted value, or in a name, is a character, not a delimiter.
        {"<a href=x\"y>link</a> text", "link text"},
        {"<a href=it's>link</a> and more", "link and more"},
        {"<img alt = \"a > b\" src=x>after", "after"},
        {"<p title=\"q\"\"r\">two quotes</p>", "two quotes"},
        {"Caf&eacute; &amp; cr&egrave;me", "Café & crème"},
        {"It&rsquo;s &ldquo;fine&rdquo; &mdash; &hellip;", "It’s “fine” — …"},
        {"&#233;&#xE9;&#XE9;", "ééé"},
        {"&#150; &#x93;smart&#x94;", "– “smart”"},  // C1 references mean Windows-1252
        {"&#0; &#xD800; &#1114112;", "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD"},
        {"&unknown; & &amp", "&unknown; & &amp"},  // not references: literal
        {"a &nbsp;&nbsp; b", "a b"},               // no-break spaces collapse
        {"  \n\t lots \r\n of   space  ", "lots of space"},
        {"1 < 2 and 3 > 2", "1 < 2 and 3 > 2"},  // '<' not starting a tag
        {"unterminated <b", "unterminated"},
        {"ctl\x01\x07"
         "chars",
         "ctl chars"},
        {"", ""},
    };
    for (const Case& c : cases) {
        CAPTURE(c.html);
        CHECK(html_to_text(c.html) == c.text);
    }
}

TEST_CASE("html_to_text output is valid UTF-8 and capped") {
    const std::string broken = "ok \xC3\x28 \xFF end";
    const std::string text = html_to_text(broken);
    CHECK(signalmon::text::is_valid_utf8(text));
    CHECK(text == "ok \xEF\xBF\xBD( \xEF\xBF\xBD end");

    std::string long_text;
    for (int i = 0; i < 1000; ++i) {
        long_text += "<p>ééééé</p>";
    }
    const std::string capped = html_to_text(long_text, 101);
    CHECK(capped.size() <= 101);
    CHECK(signalmon::text::is_valid_utf8(capped));
}

TEST_CASE("html_to_text finds references and tags at every offset around the 8-byte steps") {
    for (std::size_t length = 0; length <= 20; ++length) {
        const std::string prefix(length, 'x');
        CAPTURE(length);
        CHECK(html_to_text(prefix + "&amp;y") == prefix + "&y");
        CHECK(html_to_text(prefix + "<b>y</b>") == prefix + "y");
        CHECK(html_to_text(prefix + "&") == prefix + "&");  // '&' as the last byte
        CHECK(html_to_text(prefix + "<") == prefix + "<");  // '<' as the last byte
        CHECK(html_to_text(prefix + "&amp") == prefix + "&amp");
        CHECK(html_to_text(prefix + "<b") == prefix);  // an unterminated tag swallows the rest
        CHECK(html_to_text(prefix + " \t\xC2\xA0 z") == (length == 0 ? "z" : prefix + " z"));
        CHECK(html_to_text(prefix + "\x7F"
                                    "z") == (length == 0 ? "z" : prefix + " z"));
        CHECK(html_to_text(prefix + " a b  c\td e\xC2\xA0"
                                    "f \xC2\xA9 ") == (length == 0 ? "" : prefix + " ") + "a b c d e f \xC2\xA9");
        CHECK(html_to_text(prefix + "a  b") == prefix + "a b");
        CHECK(html_to_text("&lt;" + prefix + "&gt;") == "<" + prefix + ">");
        CHECK(plain_text(prefix + "\xC2\xA0\xC2\xA9") == (length == 0 ? "\xC2\xA9" : prefix + " \xC2\xA9"));
    }
}

TEST_CASE("html_to_text under a cap gives the uncapped text cut at a character boundary") {
    const std::string html =
        "<p>Caf&eacute; \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0&nbsp;&nbsp;news</p>"
        "<p>\xE2\x82\xAC\xF0\x9F\x98\x80 long-wordwithoutanyspacesatallinit \t\n end&#x1F600;x</p>";
    const std::string full = html_to_text(html);
    for (std::size_t cap = 0; cap <= full.size() + 2; ++cap) {
        CAPTURE(cap);
        std::string expected(signalmon::text::truncate_utf8(full, cap));
        while (!expected.empty() && expected.back() == ' ') {
            expected.pop_back();
        }
        CHECK(html_to_text(html, cap) == expected);
        CHECK(plain_text(full, cap) == expected);
    }
}

TEST_CASE("plain_text matches joining the words of random text with single spaces") {
    // Pieces are words or gaps (whitespace, no-break spaces, control characters); plain_text must
    // join the words with one space whatever the gaps and wherever the 8-byte steps fall.
    const std::string_view words[] = {"a", "bc", "defghijkl", "\xC3\xA9", "\xD0\x96\xD0\xB8", "\xC2\xA9", "x-y"};
    const std::string_view gaps[] = {" ", "  ", "\t", "\n ", "\xC2\xA0", "\x01", " \x7F "};
    std::mt19937 random(11);
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        std::string expected;
        bool gap_pending = false;
        const std::size_t pieces = random() % 24;
        for (std::size_t i = 0; i < pieces; ++i) {
            if (random() % 2 == 0) {
                text += gaps[random() % std::size(gaps)];
                gap_pending = true;
                continue;
            }
            const std::string_view word = words[random() % std::size(words)];
            if (gap_pending && !expected.empty()) {
                expected += ' ';
            }
            gap_pending = false;
            text += word;
            expected += word;
        }
        CAPTURE(text);
        CHECK(plain_text(text) == expected);
        CHECK(html_to_text(text) == expected);
    }
}

TEST_CASE("plain_text only collapses whitespace") {
    CHECK(plain_text("  a <b>not a tag</b> &amp;\n b ") == "a <b>not a tag</b> &amp; b");
}

TEST_CASE("html_entity knows HTML 4's names, case-sensitively") {
    CHECK(html_entity("nbsp") == U'\u00A0');
    CHECK(html_entity("rsquo") == U'\u2019');
    CHECK(html_entity("Eacute") == U'\u00C9');
    CHECK(html_entity("eacute") == U'\u00E9');
    CHECK(html_entity("euro") == U'\u20AC');
    CHECK(html_entity("apos") == U'\'');
    CHECK_FALSE(html_entity("NBSP").has_value());
    CHECK_FALSE(html_entity("nosuch").has_value());
}

TEST_CASE("looks_like_html follows feedparser's rule") {
    CHECK(looks_like_html("<b>Big</b> news"));
    CHECK(looks_like_html("Q&amp;A"));
    CHECK(looks_like_html("caf&#233;"));
    CHECK(looks_like_html("<P>Upper case</P>"));
    CHECK_FALSE(looks_like_html("Nice <gorilla> what's he weigh?"));  // not an HTML element
    CHECK_FALSE(looks_like_html("<b>open only"));                     // no end tag or reference
    CHECK_FALSE(looks_like_html("<b>bold</b> and <gorilla>"));        // one unknown tag spoils it
    CHECK_FALSE(looks_like_html("AT&T, 1 < 2"));
    CHECK_FALSE(looks_like_html("&madeup; <i>x</i>"));  // unknown entity
    CHECK_FALSE(looks_like_html(""));
}
