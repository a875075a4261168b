// Feed date parsing (RFC 822/1123, RFC 3339, ISO 8601, W3C-DTF and common broken forms) to UTC.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "feed/item.hpp"

namespace signalmon::feed {

// A date as read_date found it.
struct DateReading {
    UnixTime time = 0;
    // A zone name read_date does not know ("Tue, 10 Jun 2003 04:00:00 XYZ"); the date and time
    // were then taken as UTC rather than dropped, and the caller should say so.
    std::string unknown_zone;
};

// A date as feeds write it: RFC 822/2822 with every variant feedparser reads (obsolete and US
// zone names, GMT+hh, Etc/GMT±h, asctime, Perforce's yyyy/mm/dd, Greek month names), ISO 8601
// with its basic, ordinal, two-digit-year and partial forms, W3C-DTF, and the Korean and Hungarian forms.
// std::nullopt when it cannot be read (never a made-up 1970). Missing parts default to the start
// of the period ("2003-12" is 2003-12-01T00:00:00Z), a missing zone means UTC, and the obsolete
// military zone letters other than Z count as UTC because RFC 2822 (4.3) says their sign was
// defined backwards and is unreliable.
std::optional<DateReading> read_date(std::string_view text);

// read_date's time, for callers with nobody to warn.
std::optional<UnixTime> parse_date(std::string_view text);

// "2003-12-31T10:14:55Z".
std::string format_rfc3339(UnixTime time);

}  // namespace signalmon::feed
