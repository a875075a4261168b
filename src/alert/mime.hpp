// Building blocks of a safe Internet message: header sanitising, RFC 2047 encoded words, base64
// bodies, RFC 5322 dates, HTML escaping. Feed text is hostile; these keep it inside its field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace signalmon::alert {

// One line of text for a header: CR, LF and other control characters become spaces, runs of
// whitespace collapse, and the result is cut to at most max_bytes without splitting a UTF-8 character.
std::string header_text(std::string_view text, std::size_t max_bytes = 400);

// A header value that may hold non-ASCII: returned as is when it is printable ASCII, else as
// RFC 2047 "=?UTF-8?B?...?=" words of at most 75 characters, folded with CRLF + space. The name
// is the header's name, so the first line stays under 78 characters.
std::string encode_header_value(std::string_view header_name, std::string_view value);

// Base64 in lines of 76 characters ending in CRLF (RFC 2045 body encoding).
std::string base64_lines(std::string_view data);
std::string base64(std::string_view data);

// "Tue, 24 Nov 2026 22:56:26 +0000"
std::string rfc5322_date(std::int64_t unix_time);

// &, <, >, " and ' as entities.
std::string html_escape(std::string_view text);

// The bare address of "Name <address>" or "address".
std::string mailbox_address(std::string_view mailbox);

}  // namespace signalmon::alert
