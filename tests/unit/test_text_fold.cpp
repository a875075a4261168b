// Tests for text/fold: what folds to what, and that every folded byte maps back to its source.
#include <doctest/doctest.h>

#include <random>
#include <set>
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
    const std::size_t open = folded.text.find("open weights");
    CHECK(original_of(original, folded, open, open + 12) == "open\u2014weights");
    const std::size_t quoted = folded.text.find('"');
    CHECK(original_of(original, folded, quoted, quoted + 1) == "\u201C");
    const std::size_t lab = folded.text.find("lab's");
    CHECK(original_of(original, folded, lab, lab + 5) == "lab\u2019s");
    const std::size_t gap = folded.text.find("\" plan") + 1;
    CHECK(original_of(original, folded, gap, gap + 1) == "  ");
}

TEST_CASE("text that folds byte for byte needs no offset map") {
    const std::string plain = "Open-weights models, state-of-the-art\nresults and more text past eight bytes";
    const auto folded = fold(plain);
    CHECK(folded.text == "Open weights models, state of the art results and more text past eight bytes");
    CHECK(folded.segments.empty());
    CHECK(original_of(plain, folded, 5, 12) == "weights");
}

TEST_CASE("every folded byte maps to original bytes that fold to it, in order, whatever the mix") {
    // Pieces that exercise both the eight-byte path and the per-character path at every alignment.
    static constexpr std::string_view k_pieces[] = {"a",
                                                    "Bc",
                                                    " ",
                                                    "  ",
                                                    "-",
                                                    "\n",
                                                    "\t-",
                                                    "\u2014",
                                                    "\u201C",
                                                    "\u2019",
                                                    "\u00AD",
                                                    "\u200B",
                                                    "\u00A0",
                                                    "\u00E9",
                                                    "\xff",
                                                    "plain words here",
                                                    "x-y",
                                                    "end. ",
                                                    "state-of-the-art results, plain and long text "};
    const std::set<std::string_view> dropped = {"\u00AD", "\u200B"};
    std::mt19937 random(7);
    std::uniform_int_distribution<std::size_t> pick(0, std::size(k_pieces) - 1);
    signalmon::text::FoldedText folded;
    for (int round = 0; round < 500; ++round) {
        std::string original;
        for (int i = 0; i < 24; ++i) {
            original += k_pieces[pick(random)];
        }
        signalmon::text::fold_into(original, folded);
        CHECK(folded.text == fold(original).text);
        // Gaps fold to one space whichever path (16, 8 or 1 byte at a time) met them.
        CHECK(folded.text.find("  ") == std::string::npos);
        CHECK(folded.text.find_first_of("-\n\t") == std::string::npos);
        std::uint32_t covered = 0;
        for (std::size_t i = 0; i < folded.text.size(); ++i) {
            const auto span = folded.original(i, i + 1);
            REQUIRE(span.begin >= covered);
            REQUIRE(span.end > span.begin);
            // Whatever lies between two mapped ranges was dropped by folding.
            const std::string skipped = original.substr(covered, span.begin - covered);
            CHECK(fold(skipped).text.empty());
            const std::string piece = original.substr(span.begin, span.end - span.begin);
            CHECK(fold(piece).text == folded.text.substr(i, 1));
            covered = span.end;
        }
        CHECK(fold(original.substr(covered)).text.empty());
    }
}
