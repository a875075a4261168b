// Feed discovery in web pages (src/feed/discover.cpp).
#include <doctest/doctest.h>

#include <string>

#include "feed/discover.hpp"

using signalmon::feed::discover_feed_links;

TEST_CASE("feeds announced with <link rel=alternate>, in page order, resolved, each once") {
    const auto links = discover_feed_links(R"(<!doctype html><html><head>
<LINK REL="alternate stylesheet" href="/style.css" type="text/css">
<link rel="Alternate" type="application/rss+xml" title="News &amp; views" href="/feed.rss">
<link href=atom.xml rel=alternate type='application/atom+xml' title='Atom'/>
<link rel="alternate" type="application/feed+json" href="https://cdn.example.net/feed.json">
<link rel="alternate" type="application/rss+xml" href="/feed.rss">
<link rel="alternate" type="text/html" hreflang="fr" href="/fr/">
<link rel="icon" href="/favicon.ico">
</head><body><a rel="alternate" type="application/rss+xml" href="/not-a-link-tag.rss">x</a></body></html>)",
                                           "https://example.com/blog/index.html");
    REQUIRE(links.size() == 3);
    CHECK(links[0].url == "https://example.com/feed.rss");
    CHECK(links[0].title == "News & views");
    CHECK(links[0].type == "application/rss+xml");
    CHECK(links[1].url == "https://example.com/blog/atom.xml");
    CHECK(links[1].title == "Atom");
    CHECK(links[2].url == "https://cdn.example.net/feed.json");
}

TEST_CASE("the first <base href> sets where relative feed links point") {
    const auto links = discover_feed_links(
        "<base href='https://other.example/a/'><base href='/ignored/'>"
        "<link rel=alternate type=application/atom+xml href=feed>",
        "https://example.com/");
    REQUIRE(links.size() == 1);
    CHECK(links[0].url == "https://other.example/a/feed");
}

TEST_CASE("pages without feeds, and broken markup") {
    CHECK(discover_feed_links("<html><head><title>none</title></head></html>", "https://example.com/").empty());
    CHECK(discover_feed_links("<link rel=alternate type=application/rss+xml href=\"/cut", "https://example.com/")
              .size() == 1);
    CHECK(discover_feed_links("<link", "https://example.com/").empty());
    CHECK(
        discover_feed_links("<linked rel=alternate type=application/rss+xml href=/x>", "https://example.com/").empty());
}
