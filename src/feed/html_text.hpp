// HTML (or entity-laden text) to the plain text that rules match and people read.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace signalmon::feed {

// Every text field of an Item is cut to this many bytes (at a character boundary), so a hostile
// feed cannot make one item arbitrarily large.
inline constexpr std::size_t k_max_text_bytes = 1024 * 1024;

// Tags stripped, <script>/<style> contents and comments dropped, block elements turned into
// spaces, named and numeric character references decoded, whitespace (including no-break
// spaces) collapsed to single spaces and trimmed; always valid UTF-8, at most max_bytes long.
std::string html_to_text(std::string_view html, std::size_t max_bytes = k_max_text_bytes);

// Text that is already plain: only whitespace collapsing, trimming, UTF-8 repair and the cap.
std::string plain_text(std::string_view text, std::size_t max_bytes = k_max_text_bytes);

// The code point of an HTML named character reference ("nbsp", "rsquo"; case-sensitive, without
// '&' and ';'), or std::nullopt if HTML 4 does not define it.
std::optional<char32_t> html_entity(std::string_view name);

}  // namespace signalmon::feed
