// HTML (or entity-laden text) to the plain text that rules match and people read.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace signalmon::feed {

// Every text field of an Item is cut to this many bytes (at a character boundary), so a hostile
// feed cannot make one item arbitrarily large.
inline constexpr std::size_t k_max_text_bytes = 1024 * 1024;

// Tags stripped, <script>/<style> contents and comments dropped, block elements turned into
// spaces, named and numeric character references decoded, whitespace (including no-break
// spaces) collapsed to single spaces and trimmed; always valid UTF-8, at most max_bytes long.
std::string html_to_text(std::string_view html, std::size_t max_bytes = k_max_text_bytes);

// Whether text of unknown type (an RSS title) was meant as HTML, by feedparser's rule: it has an
// end tag or a character reference, every tag names an HTML element and every named reference
// is HTML's. So "<b>Big</b> news" and "Q&amp;A" are HTML, "Nice <gorilla> what's he weigh?" is not.
bool looks_like_html(std::string_view text);

// Text that is already plain: only whitespace collapsing, trimming, UTF-8 repair and the cap.
std::string plain_text(std::string_view text, std::size_t max_bytes = k_max_text_bytes);

// The code point of an HTML named character reference ("nbsp", "rsquo"; case-sensitive, without
// '&' and ';'), or std::nullopt if HTML 4 does not define it.
std::optional<char32_t> html_entity(std::string_view name);

// The numeric character reference at text[pos] ("&#233;", "&#xE9", "&#XE9;"; the ';' optional as
// in HTML): its code point and length, or std::nullopt if there is none. As HTML5 says, 128-159
// mean their Windows-1252 characters and impossible values (0, surrogates, past U+10FFFF) U+FFFD.
std::optional<std::pair<char32_t, std::size_t>> numeric_reference(std::string_view text, std::size_t pos);

}  // namespace signalmon::feed
