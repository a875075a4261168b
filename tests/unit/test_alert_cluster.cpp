// Tests for src/alert/cluster.cpp: canonical links and SimHash distances of copies and non-copies.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "alert/cluster.hpp"

using namespace signalmon;

namespace {

const std::string k_story =
    "The European Commission on Monday opened a tender for sovereign AI systems that requires bidders to deliver "
    "open weights models with local control and escrow of the trained parameters, according to procurement documents "
    "published in the Official Journal. The tender, worth 120 million euros, asks suppliers to guarantee on premises "
    "deployment for ministries and to document the training data used. Officials said the rules were meant to avoid "
    "dependence on a handful of closed frontier laboratories. Bids are due by the end of June and contracts could be "
    "awarded in the autumn, the documents show.";

const std::string k_other_story =
    "Chipmakers reported record quarterly revenue on Tuesday as demand for data centre accelerators kept rising, "
    "while analysts warned that prices for rented graphics processors had started to fall in spot markets. Several "
    "cloud providers said they would offer standardized compute contracts that can be traded, a first step toward a "
    "commodity market for computing power, though regulators have not yet approved any exchange.";

}  // namespace

TEST_CASE("canonical links ignore scheme, www, fragments, trailing slashes and tracking parameters") {
    CHECK(alert::canonical_link("https://www.Example.org/news/story/?utm_source=rss&id=7&utm_medium=feed#top") ==
          "example.org/news/story?id=7");
    CHECK(alert::canonical_link("http://example.org/news/story?id=7") == "example.org/news/story?id=7");
    CHECK(alert::canonical_link("https://example.org/a?b=2&a=1") ==
          alert::canonical_link("https://example.org/a?a=1&b=2"));
    CHECK(alert::canonical_link("https://example.org/a?id=1") != alert::canonical_link("https://example.org/a?id=2"));
    CHECK(alert::canonical_link("") == "");
}

TEST_CASE("SimHash is stable: the same text always gives the same 64 bits") {
    CHECK(alert::simhash(k_story) == alert::simhash(k_story));
    CHECK(alert::simhash("") == 0);
    CHECK(alert::hamming_distance(0, ~std::uint64_t{0}) == 64);
}

TEST_CASE("wire copies of one story are within the cluster distance; other stories are far") {
    const std::string title = "EU tender demands open weights and model escrow\n";
    const std::vector<std::string> copies{
        title + k_story,
        title + "BRUSSELS (Reuters) - " + k_story,
        title + "BRUSSELS, March 9 (AP) — " + k_story + " Reporting by Jan Strupczewski; Editing by Alison Williams",
        "EU Tender Demands Open Weights And Model Escrow\n" + k_story + " (c) 2026 Agence France-Presse",
        title + k_story + " Read more: Subscribe to our newsletter for daily AI policy news.",
    };
    const std::uint64_t first = alert::simhash(copies[0]);
    for (const std::string& copy : copies) {
        CAPTURE(copy);
        CHECK(alert::hamming_distance(first, alert::simhash(copy)) <= alert::k_default_cluster_distance);
    }
    const int other = alert::hamming_distance(first, alert::simhash("Chip revenue hits record\n" + k_other_story));
    CHECK(other > 2 * alert::k_default_cluster_distance);
    // A second story with the same title but a different body is a different story.
    CHECK(alert::hamming_distance(first, alert::simhash(title + k_other_story)) > alert::k_default_cluster_distance);
}
