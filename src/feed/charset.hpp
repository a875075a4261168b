// Feed bytes in any declared or sniffed charset to UTF-8, before any parser sees them.
#pragma once

#include <string>
#include <string_view>

namespace signalmon::feed {

// The charset parameter of an HTTP Content-Type ("text/xml; charset=ISO-8859-1" → "ISO-8859-1"),
// or empty.
std::string content_type_charset(std::string_view content_type);

// The encoding named by a leading XML declaration (whitespace before it tolerated), or empty.
std::string declared_encoding(std::string_view bytes);

// Converts bytes to valid UTF-8. The charset is taken from, in order: a byte order mark (UTF-8,
// UTF-16LE/BE, UTF-32LE/BE; UTF-16 and UTF-32 are also sniffed from zero bytes without one), then,
// as RFC 7303 says, the HTTP Content-Type charset, then the XML declaration; the declared charset
// is used instead of the HTTP one only when the body does not decode under the HTTP one and does
// under the declared one. Unlabelled bytes are UTF-8, or Windows-1252 if they are not valid UTF-8,
// and so are bytes only the declaration calls UTF-8 (when they are valid Windows-1252).
// Two repairs of common mislabelling: text labelled ISO-8859-1 or US-ASCII that has bytes
// 0x80-0x9F is Windows-1252 (smart quotes), and text labelled with a single-byte Latin charset
// that is valid multi-byte UTF-8 is UTF-8. Unknown charsets are read as UTF-8; invalid sequences
// become U+FFFD; U+0080-U+009F become the Windows-1252 characters feeds mean by them. Leading
// whitespace is dropped, and an XML declaration is rewritten to say UTF-8 so the XML parser does
// not convert a second time.
std::string decode_to_utf8(std::string_view bytes, std::string_view content_type);

}  // namespace signalmon::feed
