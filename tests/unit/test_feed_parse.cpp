// feed::parse on real fixtures of every format (src/feed/parse*.cpp). Expected values come from
// the source projects' own expected outputs (feed-rs *.serde.json, gofeed, miniflux) where they
// exist, and from reading the fixture otherwise.
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "feed/date.hpp"
#include "feed/html_text.hpp"
#include "feed/parse.hpp"
#include "test_feed_fixture.hpp"
#include "text/controls.hpp"

using signalmon::feed::Feed;
using signalmon::feed::Format;
using signalmon::feed::format_name;
using signalmon::feed::format_rfc3339;
using signalmon::feed::Item;
using signalmon::feed::parse;
using signalmon::feed::ParseOptions;
using signalmon::feed::test::read_fixture;

namespace {

Feed parse_fixture(const std::string& name, const std::string& base_url = "http://example.com/feed.xml") {
    auto feed = parse(read_fixture(name), ParseOptions{.base_url = base_url, .content_type = {}});
    REQUIRE_MESSAGE(feed.has_value(), name << ": " << (feed ? "" : feed.error().message));
    return *feed;
}

Feed parse_text(std::string_view text, const std::string& base_url = "http://example.com/feed.xml") {
    auto feed = parse(text, ParseOptions{.base_url = base_url, .content_type = {}});
    REQUIRE_MESSAGE(feed.has_value(), (feed ? "" : feed.error().message));
    return *feed;
}

std::string published(const Item& item) { return item.published ? format_rfc3339(*item.published) : "absent"; }
std::string updated(const Item& item) { return item.updated ? format_rfc3339(*item.updated) : "absent"; }

}  // namespace

TEST_CASE("format names") {
    CHECK(format_name(Format::rss) == "rss");
    CHECK(format_name(Format::rdf) == "rdf");
    CHECK(format_name(Format::atom) == "atom");
    CHECK(format_name(Format::json) == "json");
}

TEST_CASE("RSS 2.0: BBC podcast feed (feed-rs)") {
    const Feed feed = parse_fixture("feedrs_rss_2.0_bbc.xml");
    CHECK(feed.format == Format::rss);
    CHECK(feed.title == "In Our Time");
    CHECK(feed.link == "http://www.bbc.co.uk/programmes/b006qykl");
    REQUIRE(feed.items.size() == 1);
    const Item& item = feed.items[0];
    CHECK(item.key == "urn:bbc:podcast:m000sjxt");
    CHECK(item.title == "Marcus Aurelius");
    CHECK(item.link == "http://www.bbc.co.uk/programmes/m000sjxt");
    CHECK(published(item) == "2021-02-25T10:15:00Z");
    CHECK(updated(item) == "absent");
    CHECK(item.summary == "Melvyn Bragg and guests discuss...");
}

TEST_CASE("RSS 2.0: content:encoded, author and an Italian day name (feed-rs)") {
    const Feed relurl = parse_fixture("feedrs_rss_2.0_relurl_1.xml");
    REQUIRE(relurl.items.size() >= 2);
    CHECK(relurl.items[0].title == "Pareto-optimal compression");
    CHECK(relurl.items[0].author == "jonas@insanity.industries (Jonas Große Sundrup)");
    CHECK(published(relurl.items[0]) == "2021-03-02T22:39:15Z");
    CHECK(relurl.items[1].content.starts_with("Automatically resolving and installing dependencies"));

    const Feed italian = parse_fixture("feedrs_rss_2.0_ilmessaggero.xml");
    REQUIRE(italian.items.size() == 1);
    CHECK(italian.items[0].title ==
          "Missili Polonia, cosa è successo? Tensione Nato-Russia, Mosca: non siamo stati noi");
    CHECK(published(italian.items[0]) == "2022-11-15T23:38:15Z");
    CHECK(italian.items[0].categories == std::vector<std::string>{"Mondo"});
}

TEST_CASE("RSS 0.91 and 0.92") {
    const Feed spec = parse_fixture("feedrs_rss_0.91_spec_1.xml");
    CHECK(spec.title == "WriteTheWeb");
    REQUIRE(spec.items.size() == 2);
    CHECK(spec.items[0].title == "Giving the world a pluggable Gnutella");
    CHECK(spec.items[0].key == "http://writetheweb.com/read.php?item=24");  // no guid: the link

    const Feed missing_id = parse_fixture("feedrs_rss_0.91_missing_id.xml");
    REQUIRE(missing_id.items.size() == 1);
    CHECK(missing_id.items[0].title ==
          "Oferta de Empleo Público // 3 PROFESOR/A TÉCNICO/A (INGENIE. TÉC. FORESTAL) 17/17");
    CHECK(missing_id.items[0].key.size() == 16);  // no guid, no link: a hash

    // Items with neither title, link nor guid still get distinct, stable keys.
    const Feed untitled = parse_fixture("feedrs_rss_0.92_spec_1.xml");
    REQUIRE(untitled.items.size() == 3);
    CHECK(untitled.items[0].key != untitled.items[1].key);
    CHECK(untitled.items[0].key == parse_fixture("feedrs_rss_0.92_spec_1.xml").items[0].key);
    CHECK(untitled.items[2].summary == "This is a test of a change I just made. Still diggin..");

    const Feed newsboat = parse_fixture("newsboat_rss092_1.xml");
    REQUIRE(newsboat.items.size() == 3);
    CHECK(newsboat.items[0].title == "1 < 2");
}

TEST_CASE("RSS 1.0: items beside the channel, dc:date, dc:creator") {
    const Feed debian = parse_fixture("feedrs_rss_1.0_debian.xml");
    CHECK(debian.format == Format::rdf);
    CHECK(debian.title == "Debian News");
    CHECK(debian.link == "https://www.debian.org/News/");
    REQUIRE(debian.items.size() == 1);
    CHECK(debian.items[0].title == "Updated Debian 11: 11.6 released");
    CHECK(debian.items[0].link == "https://www.debian.org/News/2022/20221217");
    CHECK(published(debian.items[0]) == "2022-12-17T00:00:00Z");

    const Feed golem = parse_fixture("feedrs_rss_1.0_iso8859.xml");
    REQUIRE(golem.items.size() == 1);
    CHECK(golem.items[0].title == "Digitalministerium: Neue Glasfaserförderung mit Schnellkasse");
    CHECK(golem.items[0].author == "Achim Sawall");
    CHECK(published(golem.items[0]) == "2023-01-25T18:03:02Z");

    const Feed newsboat = parse_fixture("newsboat_rss10_1.xml");
    REQUIRE(newsboat.items.size() == 1);
    CHECK(newsboat.items[0].link == "http://www.example.org/status/foo");
    CHECK(published(newsboat.items[0]) == "2008-12-30T07:20:00Z");
}

TEST_CASE("Atom 1.0: spec example, relative links, xml:base") {
    const Feed example = parse_fixture("feedrs_atom_example_1.xml");
    CHECK(example.format == Format::atom);
    CHECK(example.title == "dive into mark");
    CHECK(example.link == "http://example.org/");
    REQUIRE(example.items.size() == 1);
    const Item& entry = example.items[0];
    CHECK(entry.key == "tag:example.org,2003:3.2397");
    CHECK(entry.title == "Atom draft-07 snapshot");
    CHECK(entry.link == "http://example.org/2005/04/02/atom");
    CHECK(published(entry) == "2003-12-13T12:29:29Z");
    CHECK(updated(entry) == "2005-07-31T12:29:29Z");
    CHECK(entry.author == "Mark Pilgrim");
    CHECK(entry.content == "[Update: The Atom draft is finished.]");  // type="xhtml"

    const Feed relative = parse_fixture("feedrs_atom_relative.xml", "https://example.com/blog/feed.xml");
    CHECK(relative.link == "https://example.com/blog/");
    REQUIRE(relative.items.size() == 1);
    CHECK(relative.items[0].link == "https://example.com/blog/2003/12/13/atom03");
    CHECK(relative.items[0].author == "Jane Doe");    // inherited from the feed
    CHECK(published(relative.items[0]) == "absent");  // only <updated>
    CHECK(updated(relative.items[0]) == "2003-12-13T18:30:02Z");

    const Feed based = parse_text(R"(<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/blog/">
        <title type="html">A &lt;em&gt;title&lt;/em&gt;</title>
        <entry xml:base="2024/"><id>urn:x:1</id><title>One</title>
          <link rel="self" href="/self"/><link href="post.html"/></entry>
        <entry><id>urn:x:2</id><link rel="alternate" href="../other.html"/>
          <link rel="enclosure" href="a.mp3"/></entry>
      </feed>)");
    CHECK(based.title == "A title");
    REQUIRE(based.items.size() == 2);
    CHECK(based.items[0].link == "http://example.org/blog/2024/post.html");
    CHECK(based.items[1].link == "http://example.org/other.html");
}

TEST_CASE("escape and control characters never leave the parser, whatever field they hide in") {
    // &#27; is not allowed in XML 1.0 text, but raw bytes and xml:base values carry controls anyway.
    const Feed hostile = parse_text(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"http://example.org/\x1b[2J/\">"
        "<title>T\xc2\x9b"
        "31m</title><entry xml:base=\"a\x07/\"><id>urn:\x1b]0;x\x07</id>"
        "<title>One\x1b[31m</title><author><name>Eve\r\x1b[1A</name></author>"
        "<category term=\"c\x1b\"/><link href=\"p\x1b[0m.html\"/></entry></feed>");
    REQUIRE(hostile.items.size() == 1);
    const auto& item = hostile.items[0];
    // The href and id are plain text (a control there becomes a space); xml:base values were not.
    CHECK(item.link == "http://example.org/[2J/a/p [0m.html");
    CHECK(item.key == "urn: ]0;x");
    for (const std::string& field : {hostile.title, item.title, item.author, item.categories.at(0)}) {
        CAPTURE(field);
        CHECK_FALSE(signalmon::text::has_controls(field));
    }
}

TEST_CASE("Atom: newsboat link choice and EDGAR getcurrent") {
    const Feed newsboat = parse_fixture("newsboat_atom10_1.xml");
    REQUIRE(newsboat.items.size() == 3);
    for (const Item& item : newsboat.items) {
        CHECK(item.link == "http://example.com/atom_testing.html");  // alternate, even when not first
    }

    const Feed edgar =
        parse_fixture("edgar_getcurrent_10-K.atom.xml", "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent");
    CHECK(edgar.title == "Latest Filings - Thu, 25 Feb 2016 18:54:17 EST");
    CHECK(edgar.link == "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent");
    REQUIRE(edgar.items.size() >= 2);
    const Item& first = edgar.items[0];
    CHECK(first.key == "0000050104-16-000055");  // the accession number (test_feed_filings.cpp)
    CHECK(first.title == "10-K - TESORO CORP /NEW/ (0000050104) (Filer)");
    CHECK(first.link ==
          "http://www.sec.gov/Archives/edgar/data/50104/000005010416000055/0000050104-16-000055-index.htm");
    CHECK(updated(first) == "2016-02-25T22:29:49Z");
    CHECK(first.categories == std::vector<std::string>{"10-K"});
    CHECK(first.summary == "Filed: 2016-02-25 AccNo: 0000050104-16-000055 Size: 23 MB");
    CHECK(edgar.items[1].title == "10-K - BB&T CORP (0000092230) (Filer)");
}

TEST_CASE("Atom 0.3 is tolerated") {
    const Feed feed = parse_text(R"(<feed version="0.3" xmlns="http://purl.org/atom/ns#">
        <title>Old</title><link rel="alternate" type="text/html" href="http://example.org/"/>
        <entry><title>E</title><id>tag:e</id><issued>2004-01-02T03:04:05Z</issued>
          <modified>2004-01-03T03:04:05Z</modified>
          <content type="text/html" mode="escaped">&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;</content></entry>
      </feed>)");
    CHECK(feed.format == Format::atom);
    CHECK(feed.link == "http://example.org/");
    REQUIRE(feed.items.size() == 1);
    CHECK(published(feed.items[0]) == "2004-01-02T03:04:05Z");
    CHECK(updated(feed.items[0]) == "2004-01-03T03:04:05Z");
    CHECK(feed.items[0].content == "Hi & bye");
    CHECK(parse_fixture("gofeed_atom03_feed.xml").title == "Feed Title");
}

TEST_CASE("JSON Feed 1.0 and 1.1") {
    const Feed spec = parse_fixture("feedrs_jsonfeed_spec_1.json");
    CHECK(spec.format == Format::json);
    CHECK(spec.title == "JSON Feed");
    CHECK(spec.link == "https://jsonfeed.org/");
    REQUIRE(spec.items.size() == 1);
    CHECK(spec.items[0].key == "https://jsonfeed.org/2017/05/17/announcing_json_feed");
    CHECK(spec.items[0].title == "Announcing JSON Feed");
    CHECK(published(spec.items[0]) == "2017-05-17T15:02:12Z");
    CHECK(spec.items[0].author == "Brent Simmons and Manton Reece");
    CHECK(spec.items[0].content.starts_with("We — Manton Reece and Brent Simmons — have noticed"));

    const Feed elastic = parse_fixture("feedrs_jsonfeed_elastic_1.1.json");
    CHECK(elastic.title == "Blog – InfluxData");
    REQUIRE_FALSE(elastic.items.empty());
    CHECK(elastic.items[0].author == "Chris Churilo");  // authors[0].name
    CHECK(elastic.items[0].categories ==
          std::vector<std::string>{"InfluxDB", "Community", "Elasticsearch", "Time Series Database"});

    const Feed gofeed = parse_fixture("gofeed_json10_feed.json");
    REQUIRE(gofeed.items.size() == 1);
    const Item& item = gofeed.items[0];
    CHECK(item.key == "id");
    CHECK(item.link == "https://sample-json-feed.com/id");
    CHECK(published(item) == "2019-10-12T07:20:50Z");
    CHECK(item.summary == "summary");
    CHECK(item.content == "content_text");
    CHECK(item.author == "author_name");
    CHECK(item.categories == std::vector<std::string>{"tag1", "tag2"});
}

TEST_CASE("HTML entities without a DTD, CDATA with HTML, xml:base in RSS, items without guid") {
    const Feed feed = parse_fixture("html_entities_cdata.rss.xml");
    CHECK(feed.title == "Café & Co — news");
    CHECK(feed.link == "https://news.example.org/");
    REQUIRE(feed.items.size() == 3);
    const Item& first = feed.items[0];
    CHECK(first.title == "It’s “open” – or not");
    CHECK(first.link == "https://news.example.org/section/story/1.html");
    CHECK(first.key == first.link);
    CHECK(first.summary == "First paragraph with bold & link. Second\u2009one — done.");
    CHECK(first.content == "Head one two");
    CHECK(published(first) == "2024-03-05T07:30:00Z");  // dc:date
    CHECK(first.author == "Zoë Müller");
    CHECK(first.categories == std::vector<std::string>{"Politics"});

    const Item& second = feed.items[1];
    CHECK(second.key.size() == 16);                      // hash of text and date
    CHECK(published(second) == "2024-03-05T14:00:00Z");  // "tues, 5 mar 2024 9:00 EST"

    CHECK(feed.items[2].key == "id-3");
    CHECK(published(feed.items[2]) == "absent");
}

TEST_CASE("HTML entities and CDATA are found at every offset of the document") {
    for (std::size_t length = 0; length <= 17; ++length) {
        const std::string pad(length, 'p');
        CAPTURE(length);
        const Feed feed =
            parse_text("<rss><channel><title>" + pad + "&eacute;</title><item><title>" + pad +
                       "&amp;&nbsp;&lt;</title><description><![CDATA[" + pad +
                       "&amp;nbsp;<b>&copy;</b>]]></description><guid>" + pad + "</guid></item></channel></rss>");
        CHECK(feed.title == pad + "\u00E9");
        REQUIRE(feed.items.size() == 1);
        CHECK(feed.items[0].title == (length == 0 ? "& <" : pad + "& <"));
        CHECK(feed.items[0].summary == pad + "&nbsp;\u00A9");
    }
}

TEST_CASE("Federal Register style RSS: agency, topics, escaped HTML abstract") {
    const Feed feed = parse_fixture("federal_register_ai.rss.xml");
    REQUIRE(feed.items.size() == 2);
    const Item& item = feed.items[0];
    CHECK(item.key == "https://www.federalregister.gov/d/2023-24283");
    CHECK(item.author == "Executive Office of the President");
    CHECK(item.categories == std::vector<std::string>{"Artificial intelligence", "National security"});
    CHECK(item.summary == "By the authority vested in me as President & by the Constitution… it is hereby ordered:");
    CHECK(published(item) == "2023-11-01T04:00:00Z");
}

TEST_CASE("legacy charsets through the whole parse") {
    const Feed koi8 = parse_fixture("miniflux_koi8r.xml");
    REQUIRE(koi8.items.size() == 2);
    CHECK(koi8.items[0].title == "Первая новость");
    CHECK(koi8.items[1].summary == "Проверка специальных символов: & < > А также числа: 1234567890.");

    const Feed cp1251 = parse_fixture("miniflux_encoding_WINDOWS-1251.xml");
    REQUIRE_FALSE(cp1251.items.empty());
    CHECK(cp1251.items[0].title == "Цитата #17703");

    const Feed latin1 = parse_fixture("miniflux_no_encoding_ISO-8859-1.xml");
    REQUIRE_FALSE(latin1.items.empty());
    CHECK(latin1.items[0].summary.starts_with("Si leur impact semble discret au premier abord, nombre d'études"));

    const Feed smart = parse_fixture("windows-1252_labelled_latin1.xml");
    REQUIRE(smart.items.size() == 1);
    CHECK(smart.items[0].title == "It’s … € 5");
}

TEST_CASE("relative links resolve against the feed URL when there is no xml:base") {
    const Feed feed = parse_text("<rss><channel><link>/home</link><item><link> a/b.html </link></item></channel></rss>",
                                 "file:///srv/feeds/demo/news.xml");
    CHECK(feed.link == "file:///home");
    REQUIRE(feed.items.size() == 1);
    CHECK(feed.items[0].link == "file:///srv/feeds/demo/a/b.html");
}

TEST_CASE("an XML error keeps the entries before it, with a warning") {
    const Feed truncated = parse_fixture("truncated_end.rss.xml");
    CHECK(truncated.title == "Cut short");
    REQUIRE(truncated.items.size() == 2);
    CHECK(truncated.items[1].title == "Second");
    REQUIRE(truncated.warnings.size() == 1);
    CHECK(truncated.warnings[0].starts_with("XML error at offset"));
    CHECK(truncated.warnings[0].ends_with("; kept the 2 entries before it"));

    // The entry the error cuts short is dropped, and so is everything after it.
    const Feed broken = parse_fixture("broken_third_item.rss.xml");
    REQUIRE(broken.items.size() == 2);
    CHECK(broken.items[0].title == "First & foremost");
    CHECK(broken.items[0].summary == "Tom & Jerry");  // a stray '&' is text
    CHECK(broken.items[1].key == "A-second");         // &#X41;
    CHECK(broken.warnings.size() == 1);

    // Atom too.
    const Feed atom = parse_text(
        "<feed xmlns='http://www.w3.org/2005/Atom'><entry><id>1</id></entry>"
        "<entry><id>2</id><title>cut</ti");
    REQUIRE(atom.items.size() == 1);
    CHECK(atom.items[0].key == "1");
}

TEST_CASE("internal DTD entities, undefined entities and an unclosed CDATA section") {
    const Feed feed = parse_fixture("dtd_entities.rss.xml");
    CHECK(feed.title == "Example & Sons news");
    REQUIRE(feed.items.size() == 3);
    CHECK(feed.items[0].title == "Widget™ recall by Example & Sons");
    CHECK(feed.items[0].key == "tag:1");  // never "&undefined;"
    CHECK(feed.items[0].summary == "Price cut “soon”");
    CHECK(feed.items[1].summary == "Text that never closes");
    CHECK(feed.items[2].title == "After it");
    CHECK(feed.warnings == std::vector<std::string>{"unterminated CDATA section ended at </description>",
                                                    "undefined entity references dropped, the first &undefined;"});
}

TEST_CASE("malformed input is a ParseError, never a crash") {
    const auto error_of = [](std::string_view bytes) {
        const auto feed = parse(bytes, {});
        REQUIRE_FALSE(feed.has_value());
        return feed.error().message;
    };
    CHECK(error_of(read_fixture("malformed.xml")).starts_with("XML error at offset"));
    CHECK(error_of(read_fixture("feedrs_rss_2.0_invalid_1.xml")).starts_with("XML error at offset"));
    CHECK(error_of(read_fixture("not_a_feed.html")) == "not a feed: root element <html>");
    CHECK(error_of("") == "not a feed: empty document");
    CHECK(error_of("   \n") == "not a feed: empty document");
    CHECK(error_of("<note><to>x</to></note>") == "not a feed: root element <note>");
    CHECK(error_of("{\"version\": \"https://jsonfeed.org/version/1\", \"items\": [") ==
          "JSON error: the document is not valid JSON");
    CHECK(error_of("{\"title\": \"no items\"}") == "not a feed: JSON without a JSON Feed items array");
    CHECK(error_of(std::string_view("\xFF\xFE\x00\xD8", 4)).starts_with("XML error"));  // lone surrogate
}

TEST_CASE("hostile sizes stay bounded") {
    std::string many = "<rss><channel>";
    for (std::size_t i = 0; i < signalmon::feed::k_max_items + 5; ++i) {
        many += "<item><guid>" + std::to_string(i) + "</guid></item>";
    }
    many += "</channel></rss>";
    CHECK(parse_text(many).items.size() == signalmon::feed::k_max_items);

    // Many categories are deduplicated in linear time; deeply nested iTunes categories are no recursion.
    std::string categories = "<rss xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd'><channel><item>";
    for (int i = 0; i < 200'000; ++i) categories += "<category>" + std::to_string(i % 100'000) + "</category>";
    for (int i = 0; i < 100'000; ++i) categories += "<itunes:category text='deep'>";
    for (int i = 0; i < 100'000; ++i) categories += "</itunes:category>";
    const auto start = std::chrono::steady_clock::now();
    const Feed tagged = parse_text(categories + "</item></channel></rss>");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    REQUIRE(tagged.items.size() == 1);
    CHECK(tagged.items[0].categories.size() == 100'001);
    CHECK(tagged.items[0].categories.back() == "deep");

    const std::string huge(3 * signalmon::feed::k_max_text_bytes, 'x');
    const Feed feed = parse_text("<rss><channel><item><title>" + huge + "</title><description>" + huge +
                                 "</description></item></channel></rss>");
    REQUIRE(feed.items.size() == 1);
    CHECK(feed.items[0].title.size() == signalmon::feed::k_max_text_bytes);
    CHECK(feed.items[0].summary.size() == signalmon::feed::k_max_text_bytes);
    CHECK(feed.items[0].key.size() == 16);
}

TEST_CASE("an RSS title is HTML only when it looks like HTML") {
    const Feed feed = parse_text(
        "<rss><channel><title>Q&amp;amp;A</title>"
        "<item><title>Nice &lt;gorilla&gt; what's he weigh?</title></item>"
        "<item><title>&lt;b&gt;Bold&lt;/b&gt; news</title></item>"
        "<item><title><![CDATA[AT&T <3 you]]></title></item></channel></rss>");
    CHECK(feed.title == "Q&A");
    REQUIRE(feed.items.size() == 3);
    CHECK(feed.items[0].title == "Nice <gorilla> what's he weigh?");
    CHECK(feed.items[1].title == "Bold news");
    CHECK(feed.items[2].title == "AT&T <3 you");
}

TEST_CASE("extension elements stand in for absent core elements") {
    const Feed feed = parse_fixture("extension_fallbacks.rss.xml");
    REQUIRE(feed.items.size() == 3);
    const Item& dc = feed.items[0];
    CHECK(dc.title == "Title from dc:title");
    CHECK(dc.summary == "Summary from dc:description");
    CHECK(dc.author == "iTunes Author");
    CHECK(published(dc) == "2024-03-01T10:00:00Z");
    CHECK(updated(dc) == "2024-03-02T11:00:00Z");
    CHECK(dc.content == "Body from xhtml:body");
    CHECK(dc.categories == std::vector<std::string>{"Technology", "Podcasting", "Media/Category"});

    const Item& media = feed.items[1];
    CHECK(media.title == "Title from media:title");
    CHECK(media.summary == "Summary from media:description");
    CHECK(media.author == "DC Author");
    CHECK(media.content == "Content from fullitem");

    const Item& itunes = feed.items[2];
    CHECK(itunes.title == "Core title wins");
    CHECK(itunes.summary == "Summary from itunes:summary");
    CHECK(itunes.content == "Content from body");
    CHECK(itunes.categories == std::vector<std::string>{"Core"});
}

TEST_CASE("undeclared module prefixes, nested Media RSS and Atom elements in RSS items") {
    const Feed feed = parse_text(
        "<rss version='2.0' xmlns:media='http://search.yahoo.com/mrss/' xmlns:atom='http://www.w3.org/2005/Atom'>"
        "<channel><item><guid>1</guid><itunes:summary><![CDATA[ Line 1\n Line 2 ]]></itunes:summary>"
        "<dc:creator>Undeclared DC</dc:creator></item>"
        "<item><guid>2</guid><media:group><media:content url='x'><media:title>Nested title</media:title>"
        "<media:description>Nested description</media:description></media:content></media:group></item>"
        "<item><guid>3</guid><enclosure url='x.jpg'><media:title>Enclosure title</media:title></enclosure>"
        "<atom:published>2019-01-02T15:04:05Z</atom:published><atom:content type='html'>&lt;b&gt;Body&lt;/b&gt;"
        "</atom:content></item></channel></rss>");
    REQUIRE(feed.items.size() == 3);
    CHECK(feed.items[0].summary == "Line 1 Line 2");
    CHECK(feed.items[0].author == "Undeclared DC");
    CHECK(feed.items[1].title == "Nested title");
    CHECK(feed.items[1].summary == "Nested description");
    CHECK(feed.items[2].title == "Enclosure title");
    CHECK(published(feed.items[2]) == "2019-01-02T15:04:05Z");
    CHECK(feed.items[2].content == "Body");
}

TEST_CASE("variant spellings of the iTunes and Media RSS namespaces") {
    const Feed feed = parse_text(
        "<rss xmlns:itunes='http://www.itunes.com/DTDs/PodCast-1.0.dtd'"
        " xmlns:media='http://search.yahoo.com/mrss'><channel><item><guid>1</guid>"
        "<itunes:summary>Apple's spelling</itunes:summary>"
        "<media:title>No final slash</media:title></item></channel></rss>");
    REQUIRE(feed.items.size() == 1);
    CHECK(feed.items[0].summary == "Apple's spelling");
    CHECK(feed.items[0].title == "No final slash");
}

TEST_CASE("a lowercase <rdf> root, and Atom text of a made-up type is text") {
    const Feed rdf = parse_text("<rdf><item><title>Lower</title></item></rdf>");
    CHECK(rdf.format == Format::rdf);
    REQUIRE(rdf.items.size() == 1);
    CHECK(rdf.items[0].title == "Lower");
    const Feed atom =
        parse_text("<feed xmlns='http://www.w3.org/2005/Atom'><entry><title type='custom'>test</title></entry></feed>");
    REQUIRE(atom.items.size() == 1);
    CHECK(atom.items[0].title == "test");
}

TEST_CASE("Atom: an entry without a link is linked by an id that is a web address") {
    const Feed feed = parse_fixture("feedrs_atom_xml_base.xml");
    REQUIRE(feed.items.size() == 1);
    CHECK(feed.items[0].link == "https://numi.st/post/2022/travel-uke");
    CHECK(parse_fixture("atom_base64_content.xml").items[0].link.empty());  // urn: ids are not pages
}

TEST_CASE("Atom: base64 content is decoded, binary never shown") {
    const Feed feed = parse_fixture("atom_base64_content.xml");
    REQUIRE(feed.items.size() == 1);
    CHECK(feed.items[0].title == "Base64 title");
    CHECK(feed.items[0].summary == "Plain text in an octet stream");
    CHECK(feed.items[0].content.empty());
}

TEST_CASE("Atom: a standalone entry document, TypePad's escaped HTML in an XHTML div") {
    const Feed feed = parse_fixture("atom_entry_document.xml", "http://example.com/entry.xml");
    CHECK(feed.format == Format::atom);
    REQUIRE(feed.items.size() == 1);
    const Item& entry = feed.items[0];
    CHECK(entry.key == "urn:example:entry:1");
    CHECK(entry.title == "A standalone entry");
    CHECK(entry.link == "http://example.com/entries/1");
    CHECK(updated(entry) == "2024-05-06T07:08:09Z");
    CHECK(entry.author == "Entry Author");
    CHECK(entry.content == "TypePad style content");
}

TEST_CASE("RSS 1.1") {
    const Feed feed = parse_fixture("rss_1.1.xml");
    CHECK(feed.format == Format::rdf);
    CHECK(feed.title == "RSS 1.1 example");
    CHECK(feed.link == "http://example.com/");
    REQUIRE(feed.items.size() == 2);
    CHECK(feed.items[0].key == "http://example.com/one");
    CHECK(feed.items[0].title == "First RSS 1.1 item");
    CHECK(feed.items[0].link == "http://example.com/one");
    CHECK(feed.items[0].summary == "Its description");
    CHECK(feed.items[1].title == "Second RSS 1.1 item");
}

TEST_CASE("a date in an unknown zone is kept as UTC, with a warning") {
    const Feed feed = parse_text(
        "<rss><channel><item><pubDate>Tue, 10 Jun 2003 04:00:00 XYZ</pubDate></item>"
        "<item><pubDate>Wed, 11 Jun 2003 04:00:00 XYZ</pubDate></item></channel></rss>");
    REQUIRE(feed.items.size() == 2);
    CHECK(published(feed.items[0]) == "2003-06-10T04:00:00Z");
    CHECK(feed.warnings == std::vector<std::string>{"unknown time zone \"XYZ\" read as UTC"});
}
