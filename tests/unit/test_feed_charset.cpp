// Charset detection and conversion (src/feed/charset.cpp), on inline bytes and real fixtures.
#include <doctest/doctest.h>

#include <string>

#include "feed/charset.hpp"
#include "feed/parse.hpp"
#include "test_feed_fixture.hpp"
#include "text/utf8.hpp"

using signalmon::feed::content_type_charset;
using signalmon::feed::declared_encoding;
using signalmon::feed::decode_to_utf8;

namespace {

using signalmon::feed::test::read_fixture;

std::string feed_title(const std::string& bytes, const std::string& content_type = {}) {
    const auto feed = signalmon::feed::parse(bytes, {.base_url = {}, .content_type = content_type});
    REQUIRE(feed.has_value());
    return feed->title;
}

}  // namespace

TEST_CASE("charset labels are read from Content-Type and the XML declaration") {
    CHECK(content_type_charset("text/xml; charset=ISO-8859-1") == "ISO-8859-1");
    CHECK(content_type_charset("application/rss+xml;Charset=\"windows-1251\"; foo=bar") == "windows-1251");
    CHECK(content_type_charset("text/xml") == "");
    CHECK(declared_encoding("\n  <?xml version=\"1.0\" encoding='KOI8-R' ?><rss/>") == "KOI8-R");
    CHECK(declared_encoding("<?xml version=\"1.0\"?><rss/>") == "");
    CHECK(declared_encoding("<rss/>") == "");
}

TEST_CASE("precedence (RFC 7303): BOM, then Content-Type, then XML declaration, then UTF-8") {
    // UTF-8 BOM beats a declaration saying ISO-8859-1.
    CHECK(feed_title("\xEF\xBB\xBF<?xml version=\"1.0\" "
                     "encoding=\"ISO-8859-1\"?><rss><channel><title>caf\xC3\xA9</title></channel></rss>") == "café");
    // The HTTP header beats the declaration when the body decodes under it...
    CHECK(feed_title(read_fixture("koi8r_declared_latin1.xml"), "text/xml; charset=KOI8-R") == "Пример ленты");
    CHECK(feed_title(read_fixture("windows-1252_declared_utf8.xml"), "application/rss+xml; charset=windows-1252") ==
          "Café “news” – €5");
    CHECK(feed_title(read_fixture("windows-1252_declared_utf8.xml")) == "Café “news” – €5");
    // ...and loses when the body does not decode under it but does under the declared one.
    CHECK(feed_title(
              "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>caf\xE9</title></channel></rss>",
              "text/xml; charset=utf-8") == "café");
    // Header used when there is no declaration.
    CHECK(feed_title("<rss><channel><title>\xF0\xD2\xC9\xCD\xC5\xD2</title></channel></rss>",
                     "text/xml; charset=KOI8-R") == "Пример");
    // Nothing declared, valid UTF-8.
    CHECK(feed_title("<rss><channel><title>caf\xC3\xA9</title></channel></rss>") == "café");
    // Nothing declared and not UTF-8: read as Windows-1252.
    CHECK(feed_title("<rss><channel><title>caf\xE9 \x93q\x94</title></channel></rss>") == "café “q”");
}

TEST_CASE("UTF-32 with and without a byte order mark") {
    CHECK(feed_title(read_fixture("utf32le_bom.xml")) == "UTF-32 “feed” ✓");
    CHECK(feed_title(read_fixture("utf32be_no_bom.xml")) == "UTF-32 “feed” ✓");
}

TEST_CASE("U+0080-U+009F in decoded text and references mean their Windows-1252 characters") {
    // UTF-8 of the C1 controls, as a Windows-1252 text converted as if it were ISO-8859-1.
    CHECK(feed_title("<rss><channel><title>\xC2\x93quoted\xC2\x94 \xC2\x80 5</title></channel></rss>") ==
          "“quoted” € 5");
    CHECK(decode_to_utf8("<a>\xC2\x96\xC2\xA0\xC3\xA9</a>", "") == "<a>\xE2\x80\x93\xC2\xA0\xC3\xA9</a>");
    // Numeric references in plain XML text (a guid is not HTML).
    const auto feed =
        signalmon::feed::parse("<rss><channel><item><guid>&#147;id&#x94;</guid></item></channel></rss>", {});
    REQUIRE(feed.has_value());
    REQUIRE(feed->items.size() == 1);
    CHECK(feed->items[0].key == "“id”");
}

TEST_CASE("real fixtures in legacy charsets decode to the right text") {
    CHECK(feed_title(read_fixture("miniflux_koi8r.xml")) == "Пример RSS ленты");
    CHECK(feed_title(read_fixture("miniflux_iso-8859-1.xml")) == "Café");
    CHECK(feed_title(read_fixture("miniflux_windows-1252.xml")) == "Euro €");
    CHECK(feed_title(read_fixture("windows-1252_labelled_latin1.xml")) == "Smart “quotes” – café");
    CHECK(feed_title(read_fixture("feedrs_rss_1.0_iso8859.xml")) == "Golem.de");
    CHECK(feed_title(read_fixture("simplepie_feed-utf16le.xml")) == "Test feed");
    CHECK(feed_title(read_fixture("simplepie_feed-utf16be.xml")) == "Test feed");
    CHECK(feed_title(read_fixture("gofeed_rss_feed_bom.xml")) == "Feed Title");
    CHECK(feed_title(read_fixture("simplepie_feed-with-whitespace-before-xml-declaration.xml")) ==
          "Whitespace before XML declaration");
}

TEST_CASE("mislabelled and unknown charsets") {
    // Declared Windows-1252 / ISO-8859-1 but the bytes are UTF-8: the bytes win.
    CHECK(feed_title(read_fixture("miniflux_windows-1252-incorrect-prolog.xml")) == "Euro €");
    CHECK(feed_title(read_fixture("miniflux_utf8-incorrect-prolog.xml")) == "테스트 피드");
    // An encoding iconv does not know is read as UTF-8.
    CHECK(feed_title(read_fixture("miniflux_invalid-prolog.xml")) == "테스트 피드");
}

TEST_CASE("invalid sequences are replaced, never passed on") {
    // The server says UTF-8: the bytes that are not are replaced.
    const std::string title = feed_title(read_fixture("invalid_utf8.xml"), "text/xml; charset=utf-8");
    CHECK(title == "Bad \xEF\xBF\xBD\xEF\xBF\xBD bytes \xEF\xBF\xBD( here");
    // Only the declaration says UTF-8: the bytes are read as the Windows-1252 they are valid in.
    CHECK(feed_title(read_fixture("invalid_utf8.xml")) == "Bad ÿþ bytes Ã( here");
    // A lone surrogate in UTF-16.
    CHECK(decode_to_utf8(std::string_view("\xFF\xFE<\x00\x00\xD8", 6), "") == "<\xEF\xBF\xBD");
}

TEST_CASE("the XML declaration is rewritten to UTF-8 and leading whitespace dropped") {
    CHECK(decode_to_utf8("\n\n  <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>\xE9</a>", "") ==
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\xC3\xA9</a>");
}
