// Tests for the source adapters (src/feed/source_adapter.cpp, their parse steps in parse_xml.cpp
// and parse_json.cpp): SEC EDGAR latest filings and company feeds, the Federal Register (RSS and
// API); and the schedule hints RSS <ttl> and sy:updatePeriod.
#include <doctest/doctest.h>

#include <algorithm>

#include "feed/date.hpp"
#include "feed/parse.hpp"
#include "feed/source_adapter.hpp"
#include "test_feed_fixture.hpp"

using signalmon::feed::Feed;
using signalmon::feed::Item;

namespace {

Feed parse_file(const std::string& name, const std::string& base_url = "https://example.org/feed") {
    auto feed =
        signalmon::feed::parse(signalmon::feed::test::read_fixture(name), {.base_url = base_url, .content_type = {}});
    REQUIRE_MESSAGE(feed.has_value(), name << ": " << feed.error().message);
    return std::move(*feed);
}

using Fields = std::map<std::string, std::string, std::less<>>;

}  // namespace

TEST_CASE("EDGAR latest filings: accession number is the key; form, CIK and company are fields") {
    const Feed feed =
        parse_file("edgar_getcurrent_10-K.atom.xml", "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent");
    REQUIRE(feed.items.size() >= 2);
    CHECK(feed.items[0].key == "0000050104-16-000055");
    CHECK(feed.items[0].fields == Fields{{"accession_number", "0000050104-16-000055"},
                                         {"cik", "0000050104"},
                                         {"company", "TESORO CORP /NEW/"},
                                         {"form_type", "10-K"}});
    CHECK(feed.items[1].fields.at("company") == "BB&T CORP");
    CHECK(feed.items[1].fields.at("cik") == "0000092230");
}

TEST_CASE("EDGAR company feed: the company comes from <company-info>, the form from the filing XML") {
    const Feed feed =
        parse_file("edgarWebR_company_AAPL_all.atom.xml", "https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany");
    REQUIRE(feed.items.size() >= 2);
    const Item& first = feed.items[0];
    CHECK(first.key == "0001193125-21-054710");
    CHECK(first.title == "8-K - Current report");
    CHECK(first.fields == Fields{{"accession_number", "0001193125-21-054710"},
                                 {"cik", "0000320193"},
                                 {"company", "Apple Inc."},
                                 {"form_type", "8-K"}});
    CHECK(first.content.empty());  // the filing's XML description is data, not prose to match
    CHECK(first.summary ==
          "Filed: 2021-02-24 AccNo: 0001193125-21-054710 Size: 314 KB Item 5.07: Submission of Matters to a Vote of "
          "Security Holders");
    CHECK(feed.items[1].fields.at("form_type") == "PX14A6G");
}

TEST_CASE("Federal Register: agency, document number and topics") {
    const Feed feed = parse_file("federal_register_ai.rss.xml");
    REQUIRE(feed.items.size() == 2);
    CHECK(feed.items[0].fields == Fields{{"agency", "Executive Office of the President"},
                                         {"document_number", "2023-24283"},
                                         {"topics", "Artificial intelligence; National security"}});
    CHECK(feed.items[1].fields.at("document_number") == "2024-03763");
    CHECK(feed.items[1].fields.at("agency") == "National Telecommunications and Information Administration");
}

TEST_CASE("Federal Register API search results (documents.json)") {
    const Feed feed = parse_file("federal_register_api_documents.json");
    CHECK(feed.title == "Documents matching 'artificial intelligence' from Commerce Department");
    REQUIRE(feed.items.size() == 2);
    const Item& rule = feed.items[0];
    CHECK(rule.key == "2025-00636");
    CHECK(rule.title == "Export Controls on Advanced Computing Items");
    CHECK(
        rule.link ==
        "https://www.federalregister.gov/documents/2025/01/15/2025-00636/export-controls-on-advanced-computing-items");
    CHECK(signalmon::feed::format_rfc3339(*rule.published) == "2025-01-15T00:00:00Z");
    CHECK(rule.summary == "The Bureau of Industry and Security amends the Export Administration Regulations.");
    CHECK(rule.content == "… controls on artificial intelligence model weights …");
    CHECK(rule.author == "Commerce Department; Industry and Security Bureau");
    CHECK(rule.categories == std::vector<std::string>{"Exports", "Reporting and recordkeeping requirements"});
    CHECK(rule.fields == Fields{{"agency", "Commerce Department; Industry and Security Bureau"},
                                {"document_number", "2025-00636"},
                                {"topics", "Exports; Reporting and recordkeeping requirements"},
                                {"type", "Rule"}});
    CHECK(feed.items[1].summary.empty());  // "abstract": null
    CHECK(feed.items[1].fields.at("type") == "Notice");
}

TEST_CASE("ordinary feeds have no source and no fields") {
    for (const char* name : {"feedrs_rss_2.0_bbc.xml", "newsboat_atom10_1.xml", "feedrs_jsonfeed_spec_1.json"}) {
        CAPTURE(name);
        const Feed feed = parse_file(name);
        CHECK(feed.source.empty());
        for (const Item& item : feed.items) CHECK(item.fields.empty());
    }
}

TEST_CASE("a feed is read by the adapter of its source, which declares every field it gives") {
    const std::pair<const char*, std::string_view> cases[] = {
        {"edgar_getcurrent_10-K.atom.xml", "sec-edgar"},
        {"edgarWebR_company_AAPL_all.atom.xml", "sec-edgar"},
        {"federal_register_ai.rss.xml", "federal-register"},
        {"federal_register_api_documents.json", "federal-register"},
    };
    for (const auto& [name, source] : cases) {
        CAPTURE(name);
        const Feed feed = parse_file(name);
        CHECK(feed.source == source);
        const signalmon::feed::SourceAdapter* adapter = signalmon::feed::source_adapter(feed.source);
        REQUIRE(adapter != nullptr);
        for (const Item& item : feed.items) {
            for (const auto& [field, value] : item.fields) {
                CAPTURE(field);
                CHECK(std::ranges::find(adapter->fields, field) != adapter->fields.end());
            }
        }
    }
    // Only EDGAR has documents behind its items (fetch_document); every name is unique.
    CHECK((signalmon::feed::source_adapter("sec-edgar")->document_link != nullptr));
    CHECK((signalmon::feed::source_adapter("federal-register")->document_link == nullptr));
    CHECK(signalmon::feed::source_adapter("nonesuch") == nullptr);
    CHECK(signalmon::feed::item_field_names() == std::vector<std::string_view>{"accession_number", "agency", "cik",
                                                                               "company", "document_number",
                                                                               "form_type", "topics", "type"});
}

TEST_CASE("a Federal Register link in another source's feed is not read as a Federal Register item") {
    // Only a document the Federal Register adapter claims gets its fields: a blog linking to a
    // rule keeps its items plain.
    const std::string blog =
        "<rss version='2.0'><channel><title>Policy blog</title><link>https://blog.example.org/</link>"
        "<item><title>New rule</title><guid>https://www.federalregister.gov/d/2023-24283</guid>"
        "<link>https://www.federalregister.gov/documents/2023/11/01/2023-24283/x</link></item></channel></rss>";
    const auto feed = signalmon::feed::parse(blog, {});
    REQUIRE(feed);
    CHECK(feed->source.empty());
    CHECK(feed->items.at(0).fields.empty());
}

TEST_CASE("schedule hints: RSS <ttl> and sy:updatePeriod / sy:updateFrequency") {
    CHECK(parse_file("gofeed_rss_channel_ttl.xml").ttl_seconds == 3600);
    const Feed rdf = parse_file("rome_rss_1.0_DC_Sy.xml");
    CHECK(rdf.update_period_seconds == 36);  // hourly, 100 times
    CHECK_FALSE(rdf.ttl_seconds.has_value());
    CHECK_FALSE(parse_file("feedrs_rss_2.0_bbc.xml").update_period_seconds.has_value());
}
