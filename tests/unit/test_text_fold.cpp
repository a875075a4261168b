// Tests for text/fold: what folds to what, and that every folded byte maps back to its source.
#include <doctest/doctest.h>

#include <string>

#include "text/fold.hpp"

using signalmon::text::fold;

namespace {

// The original bytes a folded range stands for.
std::string original_of(std::string_view original, const signalmon::text::FoldedText& folded, std::size_t begin,
                        std::size_t end) {
    const auto span = folded.original(begin, end);
    return std::string(original.substr(span.begin, span.end - span.begin));
}

}  // namespace

TEST_CASE("fold collapses whitespace and hyphen runs into one space") {
    CHECK(fold("open  \t\n weights").text == "open weights");
    CHECK(fold("open-weights").text == "open weights");
    CHECK(fold("open - -weights").text == "open weights");
    CHECK(fold(" lead").text == " lead");
}

TEST_CASE("fold turns Unicode dashes, minus and spaces into a space") {
    CHECK(fold("on\u2010prem").text == "on prem");
    CHECK(fold("a\u2013b\u2014c\u2015d").text == "a b c d");
    CHECK(fold("3\u22124").text == "3 4");
    CHECK(fold("no\u00A0break\u2009thin\u202Fnarrow\u3000wide").text == "no break thin narrow wide");
    CHECK(fold("dash \u2014 between").text == "dash between");
}

TEST_CASE("fold maps typographic quotes to ASCII and drops soft hyphens") {
    CHECK(fold("\u201Copen\u201D lab\u2019s \u2018x\u2019").text == "\"open\" lab's 'x'");
    CHECK(fold("gover\u00ADnance").text == "governance");
    CHECK(fold("zero\u200Bwidth").text == "zerowidth");
}

TEST_CASE("fold keeps case, other UTF-8 and invalid bytes as they are") {
    CHECK(fold("Café ÉTÉ").text == "Café ÉTÉ");
    CHECK(fold("bad \xff\xfe bytes").text == "bad \xff\xfe bytes");
    CHECK(fold("cut \xe2\x80").text == "cut \xe2\x80");
    CHECK(fold("").text.empty());
}

TEST_CASE("the offset map points every folded byte at its original bytes") {
    const std::string original = "The lab\u2019s \u201Copen\u2014weights\u201D  plan";
    const auto folded = fold(original);
    REQUIRE(folded.text == "The lab's \"open weights\" plan");
    REQUIRE(folded.source.size() == folded.text.size());
    const std::size_t open = folded.text.find("open weights");
    CHECK(original_of(original, folded, open, open + 12) == "open\u2014weights");
    const std::size_t quoted = folded.text.find('"');
    CHECK(original_of(original, folded, quoted, quoted + 1) == "\u201C");
    const std::size_t lab = folded.text.find("lab's");
    CHECK(original_of(original, folded, lab, lab + 5) == "lab\u2019s");
    const std::size_t gap = folded.text.find("\" plan") + 1;
    CHECK(original_of(original, folded, gap, gap + 1) == "  ");
}
