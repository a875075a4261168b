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

std::vector<std::string> shared_forms(std::string_view word) { return Lexicon::shared().forms(word); }

bool contains_form(const std::vector<std::string>& list, std::string_view form) {
    return std::ranges::find(list, form) != list.end();
}

void check_forms_include(std::string_view word, std::initializer_list<std::string_view> expected) {
    const std::vector<std::string> list = shared_forms(word);
    for (const std::string_view form : expected) {
        INFO(word, " → ", form);
        CHECK(contains_form(list, form));
    }
}

void check_forms_exclude(std::string_view word, std::initializer_list<std::string_view> unexpected) {
    const std::vector<std::string> list = shared_forms(word);
    for (const std::string_view form : unexpected) {
        INFO(word, " ↛ ", form);
        CHECK_FALSE(contains_form(list, form));
    }
}

}  // namespace

TEST_CASE("lexicon: forms are the word first, then sorted and unique") {
    for (const std::string_view word : {"nationalize", "standardized", "buy", "the", "rfp", "centres"}) {
        const std::vector<std::string> list = shared_forms(word);
        REQUIRE_FALSE(list.empty());
        CHECK(list.front() == word);
        CHECK(std::is_sorted(list.begin() + 1, list.end()));
        CHECK(std::adjacent_find(list.begin(), list.end()) == list.end());
        CHECK(std::count(list.begin(), list.end(), std::string(word)) == 1);
    }
}

TEST_CASE("lexicon: a verb's inflections, British spellings and nominalizations") {
    check_forms_include("nationalize",
                        {"nationalise", "nationalizes", "nationalises", "nationalized", "nationalised", "nationalizing",
                         "nationalising", "nationalization", "nationalisation", "nationalizations"});
    check_forms_include("cancel", {"cancelled", "canceled", "cancelling", "canceling", "cancellation", "cancels"});
    check_forms_include("require", {"requires", "required", "requiring", "requirement", "requirements"});
    check_forms_include("contract", {"contracts", "contracted", "contracting"});
}

TEST_CASE("lexicon: a country matches its adjective and its capital, a name its commonest country's") {
    check_forms_include("china", {"chinese", "beijing"});
    check_forms_include("russia", {"russian", "moscow"});
    check_forms_include("belgium", {"belgian", "brussels"});
    check_forms_exclude("china", {"taipei"});   // another sense of the name
    check_forms_exclude("city", {"urban"});     // a pertainym without the place's stem
    check_forms_exclude("beijing", {"china"});  // one way: a capital is not every story about its country
}

TEST_CASE("lexicon: spelling variants go both ways") {
    check_forms_include("center", {"centre", "centres", "centers"});
    check_forms_include("centre", {"center", "centers", "centres"});
    check_forms_include("labor", {"labour", "labours"});
    check_forms_include("defense", {"defence"});
    check_forms_include("analyze", {"analyse", "analysed"});
}

TEST_CASE("lexicon: an inflected word is analysed to its lemma (morphy) before generating") {
    check_forms_include("standardized", {"standardize", "standardise", "standardised", "standardizes", "standardizing",
                                         "standardising"});
    check_forms_include("centres", {"centre", "center", "centers"});
    check_forms_include("bought", {"buy", "buys", "buying"});
    check_forms_include("crises", {"crisis"});
    check_forms_exclude("hoped", {"hop", "hopped"});  // "hoped" is hope's; hop's past is hopped
    check_forms_exclude("singed", {"sing", "sang"});
}

TEST_CASE("lexicon: irregular forms come from WordNet's exception lists") {
    check_forms_include("buy", {"bought", "buys", "buying"});
    check_forms_include("crisis", {"crises"});
    check_forms_include("sing", {"sang", "sung", "sings", "singing"});
    check_forms_include("child", {"children"});
    check_forms_include("man", {"men"});
    check_forms_include("stop", {"stopped", "stopping"});
    check_forms_include("die", {"died", "dying"});
}

TEST_CASE("lexicon: forms never include a different real word") {
    check_forms_exclude("new", {"news"});
    check_forms_exclude("nationalize", {"nation", "national", "nationals", "nationalist"});
    check_forms_exclude("sing", {"singe", "singed", "singes"});
    check_forms_exclude("see", {"seed"});
    check_forms_exclude("hop", {"hope", "hoped", "hoping"});
    check_forms_exclude("hope", {"hop", "hopped", "hopping"});
    check_forms_exclude("require", {"requisition"});
    check_forms_exclude("species", {"specie"});
    check_forms_exclude("stock", {"stockings"});      // the gerund stocking is not a nominalization to pluralize
    check_forms_exclude("found", {"find", "finds"});  // a lemma itself: not read as find's past
    check_forms_exclude("saw", {"see", "seen"});
    check_forms_include("found", {"founded", "founding"});
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
    CHECK(shared_forms("rfp") == std::vector<std::string>{"rfp", "rfps"});
    CHECK(shared_forms("nvidia") == std::vector<std::string>{"nvidia", "nvidias"});
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

TEST_CASE("lexicon: a noun that names a thing, and one that names an act or event") {
    const Lexicon& lexicon = Lexicon::shared();
    for (const std::string_view word : {"turbines", "campus", "tariff", "utilities", "collateral", "crane"}) {
        INFO(word);
        CHECK(lexicon.names_a_thing(word));
    }
    for (const std::string_view word : {"outcomes", "attempt", "reactions", "convergence", "require", "nvidia"}) {
        INFO(word);
        CHECK_FALSE(lexicon.names_a_thing(word));
    }
}
