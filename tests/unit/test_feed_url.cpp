// Table tests for feed::resolve_url and file_url (src/feed/url.cpp), using RFC 3986's examples.
#include <doctest/doctest.h>

#include <string_view>

#include "feed/url.hpp"

using signalmon::feed::file_url;
using signalmon::feed::resolve_url;

TEST_CASE("resolve_url follows RFC 3986 section 5.4") {
    constexpr std::string_view base = "http://a/b/c/d;p?q";
    struct Case {
        std::string_view reference;
        std::string_view expected;
    };
    const Case cases[] = {
        {"g:h", "g:h"},
        {"g", "http://a/b/c/g"},
        {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"},
        {"/g", "http://a/g"},
        {"//g", "http://g"},
        {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"},
        {"#s", "http://a/b/c/d;p?q#s"},
        {"g#s", "http://a/b/c/g#s"},
        {";x", "http://a/b/c/;x"},
        {"", "http://a/b/c/d;p?q"},
        {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},
        {"..", "http://a/b/"},
        {"../", "http://a/b/"},
        {"../g", "http://a/b/g"},
        {"../..", "http://a/"},
        {"../../g", "http://a/g"},
        {"../../../g", "http://a/g"},
        {"/./g", "http://a/g"},
        {"/../g", "http://a/g"},
        {"g.", "http://a/b/c/g."},
        {"..g", "http://a/b/c/..g"},
        {"./../g", "http://a/b/g"},
        {"g/./h", "http://a/b/c/g/h"},
        {"g/../h", "http://a/b/c/h"},
        {"  g  ", "http://a/b/c/g"},  // feeds pad links with whitespace
    };
    for (const Case& c : cases) {
        CAPTURE(c.reference);
        CHECK(resolve_url(base, c.reference) == c.expected);
    }
}

TEST_CASE("resolve_url edge cases for feeds") {
    CHECK(resolve_url("http://example.com", "story") == "http://example.com/story");
    CHECK(resolve_url("https://example.com/feed.xml", "https://other.org/a/../b") == "https://other.org/b");
    CHECK(resolve_url("", "/relative/only") == "/relative/only");  // nothing to resolve against
    CHECK(resolve_url("not a url", "x") == "x");
    CHECK(resolve_url("file:///srv/feeds/news.xml", "items/1.html") == "file:///srv/feeds/items/1.html");
    CHECK(resolve_url("http://example.com/a/", "tag:example.com,2003:1") == "tag:example.com,2003:1");
}

TEST_CASE("file_url percent-encodes what a path cannot hold") {
    CHECK(file_url("/srv/feeds/news.xml") == "file:///srv/feeds/news.xml");
    CHECK(file_url("/tmp/my feed#1.xml") == "file:///tmp/my%20feed%231.xml");
}
