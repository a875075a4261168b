// Near-duplicate detection so one story syndicated through many feeds alerts once: a canonical
// form of the link, and a 64-bit SimHash over word shingles of the title and text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace signalmon::alert {

// Two items whose SimHashes differ in at most this many bits are copies of one story. Measured on
// news-length texts (tests/unit/test_alert_cluster.cpp): wire copies with another dateline, byline,
// title case or trailing boilerplate are 3-9 bits apart; unrelated stories 30-35 (random pairs
// average 32, σ 4). Manku et al. (WWW 2007) used 3 bits for whole web pages, where a few changed
// words move few of thousands of shingles; in a 60-word story the same edit moves a tenth of them.
// 12 stays more than 5σ below unrelated pairs.
inline constexpr int k_default_cluster_distance = 12;

// The link with the scheme, "www.", fragment, trailing slash and tracking parameters (utm_*,
// fbclid, gclid, ...) removed and the host lower-cased; empty for an empty link.
std::string canonical_link(std::string_view url);

// SimHash of the 3-word shingles of text: lower-cased alphanumeric words, each shingle hashed with
// 64-bit FNV-1a (stable across builds and machines, since the hashes are stored).
std::uint64_t simhash(std::string_view text);

int hamming_distance(std::uint64_t a, std::uint64_t b);

}  // namespace signalmon::alert
