// Tests for rules/lexicon: inflections, spellings and nominalizations from the embedded WordNet data,
// never another real word; function words and unknown words; the parser on a small data text.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "rules/lexicon.hpp"

using signalmon::rules::Lexicon;

namespace {

std::vector<std::string> forms(std::string_view word) { return Lexicon::shared().forms(word); }

bool has(const std::vector<std::string>& list, std::string_view form) {
    return std::ranges::find(list, form) != list.end();
}

void check_includes(std::string_view word, std::initializer_list<std::string_view> expected) {
    const std::vector<std::string> list = forms(word);
    for (const std::string_view form : expected) {
        INFO(word, " → ", form);
        CHECK(has(list, form));
    }
}

void check_excludes(std::string_view word, std::initializer_list<std::string_view> unexpected) {
    const std::vector<std::string> list = forms(word);
    for (const std::string_view form : unexpected) {
        INFO(word, " ↛ ", form);
        CHECK_FALSE(has(list, form));
    }
}

}  // namespace

TEST_CASE("lexicon: forms are the word first, then sorted and unique") {
    for (const std::string_view word : {"nationalize", "standardized", "buy", "the", "rfp", "centres"}) {
        const std::vector<std::string> list = forms(word);
        REQUIRE_FALSE(list.empty());
        CHECK(list.front() == word);
        CHECK(std::is_sorted(list.begin() + 1, list.end()));
        CHECK(std::adjacent_find(list.begin(), list.end()) == list.end());
        CHECK(std::count(list.begin(), list.end(), std::string(word)) == 1);
    }
}

TEST_CASE("lexicon: a verb's inflections, British spellings and nominalizations") {
    check_includes("nationalize",
                   {"nationalise", "nationalizes", "nationalises", "nationalized", "nationalised", "nationalizing",
                    "nationalising", "nationalization", "nationalisation", "nationalizations"});
    check_includes("cancel", {"cancelled", "canceled", "cancelling", "canceling", "cancellation", "cancels"});
    check_includes("require", {"requires", "required", "requiring", "requirement", "requirements"});
    check_includes("contract", {"contracts", "contracted", "contracting"});
}

TEST_CASE("lexicon: spelling variants go both ways") {
    check_includes("center", {"centre", "centres", "centers"});
    check_includes("centre", {"center", "centers", "centres"});
    check_includes("labor", {"labour", "labours"});
    check_includes("defense", {"defence"});
    check_includes("analyze", {"analyse", "analysed"});
}

TEST_CASE("lexicon: an inflected word is analysed to its lemma (morphy) before generating") {
    check_includes("standardized",
                   {"standardize", "standardise", "standardised", "standardizes", "standardizing", "standardising"});
    check_includes("centres", {"centre", "center", "centers"});
    check_includes("bought", {"buy", "buys", "buying"});
    check_includes("crises", {"crisis"});
    check_excludes("hoped", {"hop", "hopped"});  // "hoped" is hope's; hop's past is hopped
    check_excludes("singed", {"sing", "sang"});
}

TEST_CASE("lexicon: irregular forms come from WordNet's exception lists") {
    check_includes("buy", {"bought", "buys", "buying"});
    check_includes("crisis", {"crises"});
    check_includes("sing", {"sang", "sung", "sings", "singing"});
    check_includes("child", {"children"});
    check_includes("man", {"men"});
    check_includes("stop", {"stopped", "stopping"});
    check_includes("die", {"died", "dying"});
}

TEST_CASE("lexicon: forms never include a different real word") {
    check_excludes("new", {"news"});
    check_excludes("nationalize", {"nation", "national", "nationals", "nationalist"});
    check_excludes("sing", {"singe", "singed", "singes"});
    check_excludes("see", {"seed"});
    check_excludes("hop", {"hope", "hoped", "hoping"});
    check_excludes("hope", {"hop", "hopped", "hopping"});
    check_excludes("require", {"requisition"});
    check_excludes("species", {"specie"});
    check_excludes("stock", {"stockings"});      // the gerund stocking is not a nominalization to pluralize
    check_excludes("found", {"find", "finds"});  // a lemma itself: not read as find's past
    check_excludes("saw", {"see", "seen"});
    check_includes("found", {"founded", "founding"});
}

TEST_CASE("lexicon: function words are only themselves") {
    const Lexicon& lexicon = Lexicon::shared();
    for (const std::string_view word : {"the", "of", "for", "to", "a", "an", "and", "or", "in", "on", "at", "by",
                                        "with", "from", "as", "is", "are", "be"}) {
        INFO(word);
        CHECK(lexicon.is_function_word(word));
        CHECK(lexicon.forms(word) == std::vector<std::string>{std::string(word)});
    }
    CHECK_FALSE(lexicon.is_function_word("contract"));
}

TEST_CASE("lexicon: a word WordNet does not know is itself and its plural") {
    CHECK(forms("rfp") == std::vector<std::string>{"rfp", "rfps"});
    CHECK(forms("nvidia") == std::vector<std::string>{"nvidia", "nvidias"});
}

TEST_CASE("lexicon: parses a data text of its own; version hashes the bytes") {
    const std::string data =
        "# test lexicon\n"
        "[lemmas]\n"
        "color nv ~colour\n"
        "colour nv ~color\n"
        "govern v +government\n"
        "government n\n"
        "mouse nv\n"
        "[noun.exc]\n"
        "mice mouse\n"
        "[verb.exc]\n"
        "[function]\n"
        "the\n";
    const Lexicon lexicon(data);
    CHECK(lexicon.forms("colours") == std::vector<std::string>{"colours", "color", "colored", "coloring", "colors",
                                                               "colour", "coloured", "colouring"});
    CHECK(lexicon.forms("govern") ==
          std::vector<std::string>{"govern", "governed", "governing", "government", "governments", "governs"});
    CHECK(lexicon.forms("mice") == std::vector<std::string>{"mice", "mouse", "moused", "mouses", "mousing"});
    CHECK(lexicon.forms("the") == std::vector<std::string>{"the"});
    CHECK(lexicon.is_function_word("the"));
    CHECK_FALSE(Lexicon::shared().is_function_word("colour"));
    CHECK(lexicon.version().size() == 16);
    CHECK(lexicon.version() != Lexicon(data + "\n").version());
    CHECK(lexicon.version() == Lexicon(data).version());
    const Lexicon copy = lexicon;  // the index is offsets, so a copy is valid
    CHECK(copy.forms("colour") == lexicon.forms("colour"));
}

TEST_CASE("lexicon: the embedded data is the committed file, parsed fast") {
    std::ifstream in(std::string(SIGNALMON_SOURCE_DIR) + "/data/lexicon/wordnet-lexicon.txt", std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    const std::string data = text.str();
    CHECK(data.size() <= 1'500'000);
    const auto start = std::chrono::steady_clock::now();
    const Lexicon parsed(data);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    MESSAGE("parsed ", data.size(), " bytes in ", ms, " ms");
    CHECK(parsed.version() == Lexicon::shared().version());
    CHECK(parsed.forms("nationalize") == Lexicon::shared().forms("nationalize"));
}
