// Tests for src/feed/readable.cpp: the readable text of a page, and EDGAR's primary document link.
#include "feed/readable.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using signalmon::feed::edgar_primary_document;
using signalmon::feed::readable_text;

namespace {

std::string read_page(const std::string& name) {
    std::ifstream in(std::string(SIGNALMON_TEST_DATA) + "/fetch/" + name, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace

TEST_CASE("readable text: the article, without navigation, asides, forms, footers or scripts") {
    CHECK(readable_text(read_page("article.html"), "text/html; charset=utf-8") ==
          "A tender with a twist The ministry’s procurement notice requires open weights and on-premises deployment "
          "for every model it buys. Vendors have six weeks to respond.");
}

TEST_CASE("readable text: <main>, else <body>, else everything; nesting and case of boilerplate") {
    CHECK(readable_text(
              "<body><NAV>menu <nav>inner</nav> still menu</NAV><main>Main <b>text</b></main><p>other</p></body>",
              "") == "Main text");
    CHECK(readable_text("<html><head><title>T</title></head><body>Body <header>top</header>only</body></html>", "") ==
          "Body only");
    CHECK(readable_text("just text &amp; <navigation>kept: not a nav element</navigation>", "") ==
          "just text & kept: not a nav element");
    CHECK(readable_text("<article>cut <footer>never closed", "") == "cut");
    CHECK(readable_text("<body>caf\xE9</body>", "text/html; charset=iso-8859-1") == "café");
}

TEST_CASE("EDGAR index page: the first document of the file table, without the XBRL viewer prefix") {
    CHECK(edgar_primary_document(
              read_page("0000999999-26-000001-index.htm"),
              "https://www.sec.gov/Archives/edgar/data/999999/000099999926000001/0000999999-26-000001-index.htm") ==
          "https://www.sec.gov/Archives/edgar/data/999999/000099999926000001/pages/ex8k.htm");
    CHECK(edgar_primary_document(
              "<table class=tableFile><tr><td><a href=/Archives/edgar/data/1/2/doc.txt>doc</a></td></tr></table>",
              "https://www.sec.gov/x-index.htm") == "https://www.sec.gov/Archives/edgar/data/1/2/doc.txt");
    CHECK(edgar_primary_document("<p>no documents</p>", "https://www.sec.gov/x-index.htm").empty());
}
