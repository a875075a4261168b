// Feed date parsing (RFC 822/1123, RFC 3339, ISO 8601, W3C-DTF and common broken forms) to UTC.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "feed/item.hpp"

namespace signalmon::feed {

// Seconds since the Unix epoch for a date as feeds write it; std::nullopt when it cannot be read
// (never a made-up 1970). Missing parts default to the start of the period ("2003-12" is
// 2003-12-01T00:00:00Z), a missing zone means UTC, and the obsolete military zone letters other
// than Z count as UTC because RFC 2822 (4.3) says their sign was defined backwards and is unreliable.
std::optional<UnixTime> parse_date(std::string_view text);

// "2003-12-31T10:14:55Z".
std::string format_rfc3339(UnixTime time);

}  // namespace signalmon::feed
