// HTML helpers for pages built from feed text: everything from a feed goes through escape(), links
// through safe_href(), and highlighting escapes the text around the marks it adds.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace signalmon::web {

// & < > " ' as character references, control characters dropped: safe in HTML and XML text and
// in quoted attribute values.
std::string escape(std::string_view text);

// The link, escaped, if it is http or https; "" otherwise (javascript:, data: and friends run
// script when followed, however well escaped).
std::string safe_href(std::string_view link);

// text escaped, with every case-insensitive (ASCII) occurrence of a term wrapped in <mark>.
std::string highlight(std::string_view text, std::span<const std::string> terms);

// An FTS5 excerpt: the found words sit between \x02 and \x03; those become <mark>, the rest is escaped.
std::string highlight_excerpt(std::string_view excerpt);

}  // namespace signalmon::web
