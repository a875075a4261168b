// Escaping, links and highlighting of feed text for the web view.
#include <doctest/doctest.h>

#include "web/html.hpp"

using namespace signalmon;

TEST_CASE("escape makes feed text inert in HTML text and attributes, and drops controls") {
    CHECK(web::escape("<script>alert('x')</script> & \"q\"") ==
          "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    CHECK(web::escape("a\x1b[31mb\x7f") == "a[31mb");
}

TEST_CASE("safe_href keeps http and https links only") {
    CHECK(web::safe_href("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&amp;c=2");
    CHECK(web::safe_href("HTTP://example.org/") == "HTTP://example.org/");
    CHECK(web::safe_href("javascript:alert(1)").empty());
    CHECK(web::safe_href(" javascript:alert(1)").empty());
    CHECK(web::safe_href("data:text/html,<script>").empty());
    CHECK(web::safe_href("/relative").empty());
}

TEST_CASE("highlight marks every term case-insensitively, joins overlaps and escapes the rest") {
    const std::vector<std::string> terms{"mine closure", "closure", "<b>"};
    CHECK(web::highlight("Mine closure: <b>bold</b> closure", terms) ==
          "<mark>Mine closure</mark>: <mark>&lt;b&gt;</mark>bold&lt;/b&gt; <mark>closure</mark>");
    CHECK(web::highlight("no match & more", terms) == "no match &amp; more");
    CHECK(web::highlight("x", {}) == "x");
}

TEST_CASE("highlight_excerpt turns FTS5 markers into marks and escapes the text") {
    CHECK(web::highlight_excerpt("a \x02<word>\x03 b…") == "a <mark>&lt;word&gt;</mark> b…");
}
