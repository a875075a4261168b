// Tests for src/cli/opml.cpp: reading readers' OPML exports, writing OPML 2.0, feeds.yaml entries.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "cli/opml.hpp"

using namespace signalmon;

namespace {

// Shaped like Miniflux's and FreshRSS's exports: folders as outer outlines, text/title attributes.
constexpr std::string_view k_export = R"(<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="News" title="News">
      <outline type="rss" text="Ars Technica" title="Ars Technica" xmlUrl="https://feeds.arstechnica.com/arstechnica/index" htmlUrl="https://arstechnica.com"/>
      <outline type="rss" text="Already &amp; there" xmlUrl="https://example.org/feed"/>
    </outline>
    <outline type="rss" text="SEC: 8-K filings" xmlUrl="https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&amp;type=8-K&amp;output=atom"/>
    <outline text="Not a feed, just a folder"/>
    <outline type="rss" text="Ars Technica" xmlUrl="https://feeds.arstechnica.com/arstechnica/science"/>
  </body>
</opml>
)";

}  // namespace

TEST_CASE("OPML: every outline with an xmlUrl, tagged with its folders") {
    const auto subscriptions = cli::read_opml(k_export);
    REQUIRE(subscriptions.has_value());
    REQUIRE(subscriptions->size() == 4);
    CHECK((*subscriptions)[0].title == "Ars Technica");
    CHECK((*subscriptions)[0].tags == std::vector<std::string>{"News"});
    CHECK((*subscriptions)[1].title == "Already & there");
    CHECK((*subscriptions)[2].url == "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom");
    CHECK((*subscriptions)[2].tags.empty());
    CHECK(cli::read_opml("<html/>").error() == "not OPML: no <opml><body>");
    CHECK(cli::read_opml("<opml><body>").error().starts_with("XML error at offset"));
}

TEST_CASE("OPML import: new feeds only, ids unique, valid YAML") {
    const std::vector<config::FeedSpec> existing{{.id = "ars-technica", .url = "https://example.org/feed"}};
    const std::string yaml = cli::feeds_yaml_for(*cli::read_opml(k_export), existing);
    CHECK(yaml ==
          "  - id: ars-technica-2\n"
          "    url: \"https://feeds.arstechnica.com/arstechnica/index\"\n"
          "    tags: [News]\n"
          "  - id: sec-8-k-filings\n"
          "    url: \"https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom\"\n"
          "  - id: ars-technica-3\n"
          "    url: \"https://feeds.arstechnica.com/arstechnica/science\"\n");
    const YAML::Node parsed = YAML::Load("feeds:\n" + yaml);
    CHECK(parsed["feeds"].size() == 3);
    CHECK(cli::feeds_yaml_for({}, existing).empty());
}

TEST_CASE("OPML export round-trips through import") {
    const std::vector<config::FeedSpec> feeds{
        {.id = "edgar",
         .url = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K",
         .tags = {"filings", "sec"}},
        {.id = "blog", .url = "https://example.org/feed?a=<b>"}};
    const std::string opml = cli::write_opml(feeds);
    CHECK(opml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">"));
    CHECK(opml.find("xmlUrl=\"https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&amp;type=8-K\"") !=
          std::string::npos);
    CHECK(opml.find("category=\"filings,sec\"") != std::string::npos);
    const auto back = cli::read_opml(opml);
    REQUIRE(back.has_value());
    REQUIRE(back->size() == 2);
    CHECK((*back)[0].title == "edgar");
    CHECK((*back)[1].url == "https://example.org/feed?a=<b>");
}
