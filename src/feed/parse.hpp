// Feed bytes in, one plain Feed out: format detection, parsing and normalization of every entry.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

#include "feed/item.hpp"

namespace signalmon::feed {

// A feed with more entries keeps only the first k_max_items, so hostile input stays bounded; each
// text field is capped at k_max_text_bytes (feed/html_text.hpp).
inline constexpr std::size_t k_max_items = 10'000;
// Links and authors get tighter caps because one value reaches every item (a long xml:base joined
// to each relative link, the feed author inherited by each entry): 10,000 copies of a 1 MiB value
// would turn a small feed into gigabytes.
inline constexpr std::size_t k_max_link_bytes = 4096;
inline constexpr std::size_t k_max_author_bytes = 1024;

struct ParseOptions {
    std::string base_url;      // the feed's own URL: relative links resolve against it (after xml:base)
    std::string content_type;  // HTTP Content-Type if known; its charset is a hint for decoding
};

struct ParseError {
    std::string message;  // e.g. "not a feed: root element <html>" or "XML error at offset 120: ..."
};

// RSS 0.9x/2.0, RSS 1.0 (RDF) and 1.1, Atom 1.0 (and 0.3; a feed or a lone entry), JSON Feed
// 1.0/1.1 or a Federal Register API search, in any charset decode_to_utf8 (feed/charset.hpp)
// understands. XML broken after some entries keeps those entries, with a warning. Never throws
// on bad input.
std::expected<Feed, ParseError> parse(std::string_view bytes, const ParseOptions& options);

}  // namespace signalmon::feed
