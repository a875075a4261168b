// The rewrites before XML parsing (src/feed/xml_repair.cpp): references, DTD entities, CDATA.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "feed/xml_repair.hpp"

using signalmon::feed::repair_xml;

namespace {

std::string repaired(std::string_view xml) {
    std::vector<std::string> warnings;
    return repair_xml(xml, warnings);
}

}  // namespace

TEST_CASE("references become what XML reads as the publisher meant") {
    CHECK(repaired("<t>&nbsp;&rsquo;&amp;&lt;&gt;&quot;&apos;</t>") == "<t>&#160;&#8217;&amp;&lt;&gt;&quot;&apos;</t>");
    CHECK(repaired("<t>&#X41;&#x42;&#67;</t>") == "<t>&#65;&#66;&#67;</t>");
    // 128-159 are Windows-1252's characters; impossible values are U+FFFD.
    CHECK(repaired("<t>&#147;q&#x94;&#128;</t>") == "<t>&#8220;q&#8221;&#8364;</t>");
    CHECK(repaired("<t>&#0;&#xD800;</t>") == "<t>&#65533;&#65533;</t>");
    // A stray '&' is escaped; an undefined name is dropped, with one warning.
    std::vector<std::string> warnings;
    CHECK(repair_xml("<t>Tom & Jerry &foo; &bar;</t>", warnings) == "<t>Tom &amp; Jerry  </t>");
    CHECK(warnings == std::vector<std::string>{"undefined entity references dropped, the first &foo;"});
}

TEST_CASE("CDATA sections and comments are copied untouched") {
    CHECK(repaired("<t><![CDATA[&nbsp; & <b>]]>&nbsp;<!-- &x; --></t>") ==
          "<t><![CDATA[&nbsp; & <b>]]>&#160;<!-- &x; --></t>");
}

TEST_CASE("an unterminated CDATA section ends at its element's end tag") {
    std::vector<std::string> warnings;
    CHECK(repair_xml("<i><d><![CDATA[<p>text</p></d><n>after</n></i>", warnings) ==
          "<i><d><![CDATA[<p>text</p>]]></d><n>after</n></i>");
    CHECK(warnings == std::vector<std::string>{"unterminated CDATA section ended at </d>"});
    CHECK(repaired("<d><![CDATA[no end") == "<d><![CDATA[no end]]>");
}

TEST_CASE("many unterminated CDATA sections take linear time") {
    std::string xml = "<r>";
    for (int i = 0; i < 50'000; ++i) xml += "<d><![CDATA[a]b</d>";
    xml += "</r>";
    const auto start = std::chrono::steady_clock::now();
    const std::string out = repaired(xml);
    // Searching the rest of the document for "]]>" at each section took minutes.
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
    CHECK(out.ends_with("<d><![CDATA[a]b]]></d></r>"));
}

TEST_CASE("internal DTD entities are expanded as text, within limits") {
    CHECK(repaired("<!DOCTYPE r [<!ENTITY co \"A &amp; B <i>\"><!ENTITY tm '&#8482;'>]><r>&co;&tm;</r>") ==
          "<!DOCTYPE r [<!ENTITY co \"A &amp; B <i>\"><!ENTITY tm '&#8482;'>]><r>A &amp; B &lt;i>&#8482;</r>");
    // One expansion never leads to another (no billion laughs): the inner reference is text.
    CHECK(repaired("<!DOCTYPE r [<!ENTITY a \"x\"><!ENTITY b \"&a;&a;\">]><r>&b;</r>")
              .ends_with("<r>&amp;a;&amp;a;</r>"));
    // External and parameter entities are not read.
    CHECK(repaired("<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><r>&e;</r>").ends_with("<r></r>"));

    std::string many = "<!DOCTYPE r [<!ENTITY big \"" + std::string(1000, 'x') + "\">]><r>";
    for (int i = 0; i < 2000; ++i) many += "&big;";
    many += "</r>";
    std::vector<std::string> warnings;
    const std::string out = repair_xml(many, warnings);
    CHECK(out.size() <= 2 * many.size());  // expansions add at most the document's own size
    CHECK(warnings ==
          std::vector<std::string>{"DTD entity expansions stopped at " + std::to_string(many.size()) + " bytes"});
}
