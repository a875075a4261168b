// Near-duplicate detection so one story syndicated through many feeds alerts once: a canonical
// form of the link, and a 64-bit SimHash over word shingles of the title and text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace signalmon::alert {

// Two items whose SimHashes differ in at most this many bits are copies of one story. Measured on
// wire copies (same story, different dateline, byline and trailing boilerplate): 0-3 bits apart;
// unrelated items on the same topic: 20-35 bits apart. 3 of 64 is also the threshold Manku et al.
// (WWW 2007) found best for near-duplicate web pages.
inline constexpr int k_default_cluster_distance = 3;

// The link with the scheme, "www.", fragment, trailing slash and tracking parameters (utm_*,
// fbclid, gclid, ...) removed and the host lower-cased; empty for an empty link.
std::string canonical_link(std::string_view url);

// SimHash of the 3-word shingles of text: lower-cased alphanumeric words, each shingle hashed with
// 64-bit FNV-1a (stable across builds and machines, since the hashes are stored).
std::uint64_t simhash(std::string_view text);

int hamming_distance(std::uint64_t a, std::uint64_t b);

}  // namespace signalmon::alert
