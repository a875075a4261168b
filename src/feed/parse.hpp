// Feed bytes in, one plain Feed out: format detection, parsing and normalization of every entry.
#pragma once

#include <expected>
#include <string>
#include <string_view>

#include "feed/item.hpp"

namespace signalmon::feed {

struct ParseOptions {
    std::string base_url;      // the feed's own URL: relative links resolve against it (after xml:base)
    std::string content_type;  // HTTP Content-Type if known; its charset is a hint for decoding
};

struct ParseError {
    std::string message;  // e.g. "not a feed: root element <html>" or "XML error at offset 120: ..."
};

std::expected<Feed, ParseError> parse(std::string_view bytes, const ParseOptions& options);

}  // namespace signalmon::feed
