// Date parsing for feeds: a strict-enough ISO 8601 reader and a token-based RFC 822 reader that
// accepts the broken variants real feeds send (no day name, no comma, "Tues", lowercase, spacing).
#include "feed/date.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

namespace signalmon::feed {

namespace {

struct DateFields {
    int year = -1;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int offset_seconds = 0;  // local time = UTC + offset
    std::string_view unknown_zone;
};

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
    constexpr std::array<int, 12> k_days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : k_days[static_cast<std::size_t>(month - 1)];
}

std::optional<UnixTime> to_unix(const DateFields& f) {
    if (f.year < 1 || f.year > 9999 || f.month < 1 || f.month > 12 || f.day < 1 ||
        f.day > days_in_month(f.year, f.month) || f.hour < 0 || f.hour > 24 || f.minute < 0 || f.minute > 59 ||
        f.second < 0 || f.second > 60 || (f.hour == 24 && (f.minute != 0 || f.second != 0))) {
        return std::nullopt;
    }
    const std::int64_t days = days_from_civil(f.year, static_cast<unsigned>(f.month), static_cast<unsigned>(f.day));
    const UnixTime time = days * 86400 + f.hour * 3600 + f.minute * 60 + f.second - f.offset_seconds;
    // A zone offset can move year 1 or 9999 out of the years RFC 3339 writes: such a date could
    // not be written back (the fuzzer found "0001-01-01 … +0600").
    const UnixTime first = days_from_civil(1, 1, 1) * 86400;
    const UnixTime last = days_from_civil(9999, 12, 31) * 86400 + 86399;
    if (time < first || time > last) return std::nullopt;
    return time;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool equals_lower(std::string_view text, std::string_view lowercase) {
    if (text.size() != lowercase.size()) {
        return false;
    }
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text::ascii_lower(text[i]) != lowercase[i]) {
            return false;
        }
    }
    return true;
}

bool starts_with_lower(std::string_view text, std::string_view lowercase_prefix) {
    return text.size() >= lowercase_prefix.size() &&
           equals_lower(text.substr(0, lowercase_prefix.size()), lowercase_prefix);
}

// A word naming something by a prefix of its full name, at least three letters: "Tue", "Tues",
// "Tuesday"; "Sept", "September".
bool names(std::string_view word, std::string_view full_name) {
    return word.size() >= 3 && word.size() <= full_name.size() && equals_lower(word, full_name.substr(0, word.size()));
}

constexpr std::array<std::string_view, 12> k_months{"january",   "february", "march",    "april",
                                                    "may",       "june",     "july",     "august",
                                                    "september", "october",  "november", "december"};
constexpr std::array<std::string_view, 7> k_weekdays{"monday", "tuesday",  "wednesday", "thursday",
                                                     "friday", "saturday", "sunday"};

// Month names feedparser reads in other languages, exactly as written: Greek (as Greek sites
// abbreviate them, with their common misspellings) and Hungarian.
constexpr std::pair<std::string_view, int> k_localized_months[] = {
    {"Ιαν", 1},      {"Φεβ", 2},       {"Μάώ", 3},       {"Μαώ", 3},      {"Απρ", 4},       {"Μάι", 5},
    {"Μαϊ", 5},      {"Μαι", 5},       {"Ιούν", 6},      {"Ιον", 6},      {"Ιούλ", 7},      {"Ιολ", 7},
    {"Αύγ", 8},      {"Αυγ", 8},       {"Σεπ", 9},       {"Οκτ", 10},     {"Νοέ", 11},      {"Νοε", 11},
    {"Δεκ", 12},     {"január", 1},    {"február", 2},   {"februári", 2}, {"március", 3},   {"április", 4},
    {"május", 5},    {"máujus", 5},    {"június", 6},    {"július", 7},   {"augusztus", 8}, {"szeptember", 9},
    {"október", 10}, {"november", 11}, {"december", 12},
};

int month_number(std::string_view word) {
    for (std::size_t i = 0; i < k_months.size(); ++i) {
        if (names(word, k_months[i])) {
            return static_cast<int>(i) + 1;
        }
    }
    for (const auto& [name, month] : k_localized_months) {
        if (word == name) {
            return month;
        }
    }
    return 0;
}

bool is_weekday(std::string_view word) {
    for (std::string_view day : k_weekdays) {
        if (names(word, day)) {
            return true;
        }
    }
    return false;
}

// Reads exactly `count` digits at text[pos]; advances pos.
std::optional<int> read_digits(std::string_view text, std::size_t& pos, std::size_t count) {
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        if (pos >= text.size() || !is_digit(text[pos])) {
            return std::nullopt;
        }
        value = value * 10 + (text[pos++] - '0');
    }
    return value;
}

// Reads one or two digits at text[pos]; advances pos.
std::optional<int> read_one_or_two_digits(std::string_view text, std::size_t& pos) {
    const std::size_t count = pos + 1 < text.size() && is_digit(text[pos + 1]) ? 2 : 1;
    return read_digits(text, pos, count);
}

// "+5", "+05", "+0530", "+05:30", and the sloppy "+00:0" (sign included in text); the whole text
// must be the offset.
std::optional<int> numeric_offset(std::string_view text) {
    if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) {
        return std::nullopt;
    }
    std::size_t hour_digits = 0;
    while (1 + hour_digits < text.size() && is_digit(text[1 + hour_digits])) ++hour_digits;
    std::size_t pos = 1;
    std::optional<int> hours;
    std::optional<int> minutes = 0;
    if (hour_digits == 4) {
        hours = read_digits(text, pos, 2);
        minutes = read_digits(text, pos, 2);
    } else if (hour_digits == 1 || hour_digits == 2) {
        hours = read_digits(text, pos, hour_digits);
        if (pos < text.size() && text[pos] == ':') {
            ++pos;
            minutes = read_one_or_two_digits(text, pos);
        }
    }
    if (!hours || !minutes || pos != text.size() || *hours > 23 || *minutes > 59) {
        return std::nullopt;
    }
    const int seconds = *hours * 3600 + *minutes * 60;
    return text[0] == '-' ? -seconds : seconds;
}

// Named zones: RFC 822's own and its US forms, GMT+hh and UTC-hh, Etc/GMT±h, plus the
// abbreviations feeds most often use.
std::optional<int> zone_offset(std::string_view word) {
    constexpr std::pair<std::string_view, int> k_zones[] = {
        {"ut", 0},        {"utc", 0},       {"gmt", 0},        {"z", 0},          {"zulu", 0},       {"at", -4 * 60},
        {"ast", -4 * 60}, {"adt", -3 * 60}, {"et", -5 * 60},   {"est", -5 * 60},  {"edt", -4 * 60},  {"ct", -6 * 60},
        {"cst", -6 * 60}, {"cdt", -5 * 60}, {"mt", -7 * 60},   {"mst", -7 * 60},  {"mdt", -6 * 60},  {"pt", -8 * 60},
        {"pst", -8 * 60}, {"pdt", -7 * 60}, {"akst", -9 * 60}, {"akdt", -8 * 60}, {"hst", -10 * 60}, {"wet", 0},
        {"west", 60},     {"bst", 60},      {"cet", 60},       {"cest", 120},     {"met", 60},       {"mest", 120},
        {"eet", 120},     {"eest", 180},    {"jst", 540},      {"kst", 540},      {"aest", 600},     {"aedt", 660},
        {"nzst", 720},    {"nzdt", 780},
    };
    for (const auto& [name, minutes] : k_zones) {
        if (equals_lower(word, name)) {
            return minutes * 60;
        }
    }
    if (word.size() == 1 && text::is_ascii_alpha(word[0]) && text::ascii_lower(word[0]) != 'j') {
        return 0;  // military letter, see date.hpp
    }
    // The tz database's Etc/GMT+5 is five hours *behind* UTC (POSIX signs), Etc/UTC is UTC.
    const bool etc = starts_with_lower(word, "etc/");
    const std::string_view zone = word.substr(etc ? 4 : 0);
    for (const std::string_view base : {"utc", "gmt", "ut"}) {
        if (starts_with_lower(zone, base) && zone.size() > base.size()) {
            const auto offset = numeric_offset(zone.substr(base.size()));
            return offset && etc ? std::optional(-*offset) : offset;
        }
    }
    return etc ? zone_offset(zone) : std::nullopt;
}

// A word where a zone belongs that names no zone read_date knows ("XYZ", "America/Nowhere"):
// letters first, then letters, digits and the punctuation of tz names.
bool is_zone_name(std::string_view word) {
    return !word.empty() && word.size() <= 32 && text::is_ascii_alpha(word[0]) && std::ranges::all_of(word, [](char c) {
        return text::is_ascii_alpha(c) || is_digit(c) || c == '/' || c == '_' || c == '-' || c == '+';
    });
}

// The zone at the end of a date: numeric, named, or a name read_date does not know, which is
// kept in f.unknown_zone with the time taken as UTC. False if text is no zone at all.
bool read_zone(std::string_view text, DateFields& f) {
    if (text.empty()) {
        return true;
    }
    const auto offset = text[0] == '+' || text[0] == '-' ? numeric_offset(text) : zone_offset(text);
    if (offset) {
        f.offset_seconds = *offset;
        return true;
    }
    if (is_zone_name(text)) {
        f.unknown_zone = text;
        return true;
    }
    return false;
}

// The time of an ISO 8601 date at text[pos], after its 'T' or space: hh:mm[:ss[.fraction]] or the
// basic hhmm[ss], then the zone. A one-digit hour or second is tolerated ("T9:15", "12:35:4").
bool read_iso_time(std::string_view text, std::size_t pos, DateFields& f) {
    const bool basic = pos + 4 <= text.size() && is_digit(text[pos]) && is_digit(text[pos + 1]) &&
                       is_digit(text[pos + 2]) && is_digit(text[pos + 3]);
    const auto hour = basic ? read_digits(text, pos, 2) : read_one_or_two_digits(text, pos);
    if (!hour || (!basic && (pos >= text.size() || text[pos++] != ':'))) {
        return false;
    }
    const auto minute = read_digits(text, pos, 2);
    if (!minute) {
        return false;
    }
    f.hour = *hour;
    f.minute = *minute;
    const bool has_seconds =
        basic ? pos + 2 <= text.size() && is_digit(text[pos]) : pos < text.size() && text[pos] == ':';
    if (has_seconds) {
        pos += basic ? 0 : 1;
        const auto second = basic ? read_digits(text, pos, 2) : read_one_or_two_digits(text, pos);
        if (!second) {
            return false;
        }
        f.second = *second;
        if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
            ++pos;
            while (pos < text.size() && is_digit(text[pos])) ++pos;
        }
    }
    return read_zone(text::trim_ascii_space(text.substr(pos)), f);
}

// YYYY[-MM[-DD]], YYYYMMDD, the ordinal YYYY-DDD, and a month name in place of MM ("2004-július-13"),
// each optionally followed by (T|space) and a time.
std::optional<DateFields> parse_iso(std::string_view text) {
    DateFields f;
    std::size_t pos = 0;
    f.year = *read_digits(text, pos, 4);  // parse_date checked the four digits
    const auto digits_from = [&](std::size_t at) {
        std::size_t end = at;
        while (end < text.size() && is_digit(text[end])) ++end;
        return end - at;
    };
    if (digits_from(pos) == 4) {  // basic: YYYYMMDD
        f.month = *read_digits(text, pos, 2);
        f.day = *read_digits(text, pos, 2);
    } else if (pos < text.size() && text[pos] == '-') {
        ++pos;
        const std::size_t digits = digits_from(pos);
        if (digits == 3 && text[pos] == '0' && pos + 3 < text.size() && text[pos + 3] == '-') {
            ++pos;  // Google's extra zero in the month: "2003-012-31"
            f.month = *read_digits(text, pos, 2);
        } else if (digits == 3) {  // ordinal day of the year
            const int ordinal = *read_digits(text, pos, 3);
            if (ordinal < 1 || ordinal > (is_leap(f.year) ? 366 : 365)) {
                return std::nullopt;
            }
            f.day = ordinal;
            for (f.month = 1; f.day > days_in_month(f.year, f.month); ++f.month)
                f.day -= days_in_month(f.year, f.month);
        } else if (digits == 2) {
            f.month = *read_digits(text, pos, 2);
        } else {
            const std::size_t end = text.find('-', pos);
            f.month = end == std::string_view::npos ? 0 : month_number(text.substr(pos, end - pos));
            if (f.month == 0) {
                return std::nullopt;
            }
            pos = end;
        }
        if (pos < text.size() && text[pos] == '-') {
            ++pos;
            const auto day = read_one_or_two_digits(text, pos);
            if (!day) {
                return std::nullopt;
            }
            f.day = *day;
        }
    }
    if (pos < text.size()) {
        if (text[pos] != 'T' && text[pos] != 't' && !text::is_ascii_space(text[pos])) {
            return std::nullopt;
        }
        ++pos;
        while (pos < text.size() && text::is_ascii_space(text[pos])) ++pos;
        if (!read_iso_time(text, pos, f)) {
            return std::nullopt;
        }
    }
    return f;
}

// ISO 8601's dates with a two-digit year (its implied century, taken as RFC 2822 takes it):
// YYMMDD and YY-MM-DD, and the month forms -YYMM and -YY-MM (the first of the month).
std::optional<DateFields> parse_two_digit_year(std::string_view text) {
    const bool month_only = text.starts_with('-');
    if (month_only) text.remove_prefix(1);
    const bool extended = text.size() > 2 && text[2] == '-';
    if (text.size() != (month_only ? 4U : 6U) + (extended ? (month_only ? 1U : 2U) : 0U)) return std::nullopt;
    std::string digits;
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (extended && (at == 2 || at == 5)) {
            if (text[at] != '-') return std::nullopt;
        } else if (is_digit(text[at])) {
            digits += text[at];
        } else {
            return std::nullopt;
        }
    }
    std::size_t pos = 0;
    DateFields f;
    const int year = *read_digits(digits, pos, 2);
    f.year = year < 50 ? 2000 + year : 1900 + year;
    f.month = *read_digits(digits, pos, 2);
    f.day = month_only ? 1 : *read_digits(digits, pos, 2);
    return f;
}

// hh:mm[:ss], optionally followed directly by a zone ("10:00:00GMT").
bool read_time(std::string_view token, DateFields& f, bool& zone_seen) {
    std::size_t pos = 0;
    int parts[3] = {0, 0, 0};
    int count = 0;
    while (count < 3) {
        const std::size_t start = pos;
        int value = 0;
        while (pos < token.size() && is_digit(token[pos]) && pos - start < 2) {
            value = value * 10 + (token[pos++] - '0');
        }
        if (pos == start) {
            return false;
        }
        parts[count++] = value;
        if (pos < token.size() && token[pos] == ':') {
            ++pos;
        } else {
            break;
        }
    }
    if (count < 2) {
        return false;
    }
    f.hour = parts[0];
    f.minute = parts[1];
    f.second = parts[2];
    const std::string_view rest = token.substr(pos);
    zone_seen = !rest.empty();
    return read_zone(rest, f);
}

// A date written as one token of numbers and a month: Perforce's "2006/09/15" or RFC 850's
// "06-Nov-94".
bool read_compact_date(std::string_view token, DateFields& f, int& day) {
    const char separator = token.find('/') != std::string_view::npos ? '/' : '-';
    const std::size_t first = token.find(separator);
    const std::size_t second = token.find(separator, first + 1);
    if (second == std::string_view::npos || token.find(separator, second + 1) != std::string_view::npos) {
        return false;
    }
    const std::string_view parts[3] = {token.substr(0, first), token.substr(first + 1, second - first - 1),
                                       token.substr(second + 1)};
    const auto number = [](std::string_view part) {
        std::size_t pos = 0;
        return part.empty() || part.size() > 4 ? std::nullopt : read_digits(part, pos, part.size());
    };
    const auto year = number(separator == '/' ? parts[0] : parts[2]);
    const auto month = separator == '/' ? number(parts[1]) : std::optional(month_number(parts[1]));
    const auto day_of_month = number(separator == '/' ? parts[2] : parts[0]);
    if (!year || !month || !day_of_month || *month == 0) {
        return false;
    }
    f.year = separator == '-' && parts[2].size() <= 2 ? (*year < 50 ? 2000 + *year : 1900 + *year) : *year;
    f.month = *month;
    day = *day_of_month;
    return true;
}

std::optional<DateFields> parse_rfc822(std::string_view text) {
    DateFields f;
    int day = 0;
    bool month_seen = false;
    bool time_seen = false;
    bool zone_seen = false;
    std::size_t pos = 0;
    while (pos < text.size()) {
        if (text::is_ascii_space(text[pos]) || text[pos] == ',') {
            ++pos;
            continue;
        }
        if (text[pos] == '(') {  // an RFC 2822 comment: "-0400 (EDT)"
            const std::size_t close = text.find(')', pos);
            pos = close == std::string_view::npos ? text.size() : close + 1;
            continue;
        }
        const std::size_t start = pos;
        while (pos < text.size() && !text::is_ascii_space(text[pos]) && text[pos] != ',') ++pos;
        std::string_view token = text.substr(start, pos - start);
        const bool first_token = start == 0;
        if (text::is_ascii_alpha(token[0]) && token.back() == '.') {
            token.remove_suffix(1);  // "Tue." / "Sept."
        }
        if (is_digit(token[0]) && token.find(':') != std::string_view::npos) {
            if (time_seen || !read_time(token, f, zone_seen)) {
                return std::nullopt;
            }
            time_seen = true;
        } else if (is_digit(token[0]) && token.find_first_of("/-") != std::string_view::npos) {
            if (month_seen || !read_compact_date(token, f, day)) {
                return std::nullopt;
            }
            month_seen = true;
        } else if (is_digit(token[0])) {
            std::size_t digits_end = 0;
            const auto value = token.size() <= 4 ? read_digits(token, digits_end, token.size()) : std::nullopt;
            if (!value) {
                return std::nullopt;
            }
            if (token.size() == 4 && f.year < 0) {
                f.year = *value;
            } else if (token.size() <= 2 && day == 0) {
                day = *value;
            } else if (token.size() <= 2 && f.year < 0) {
                f.year = *value < 50 ? 2000 + *value : 1900 + *value;  // RFC 2822 4.3
            } else {
                return std::nullopt;
            }
        } else if (token[0] == '+' || token[0] == '-') {
            const auto offset = numeric_offset(token);
            if (!offset || zone_seen) {
                return std::nullopt;
            }
            f.offset_seconds = *offset;
            zone_seen = true;
        } else if (const int month = month_number(token); month != 0 && !month_seen && !time_seen) {
            f.month = month;
            month_seen = true;
        } else if ((is_weekday(token) || first_token) && !time_seen) {
            // A leading word that is no month is a day name, possibly localized ("mer", "Di").
        } else if (time_seen && !zone_seen && read_zone(token, f)) {
            zone_seen = true;
        } else {
            return std::nullopt;
        }
    }
    if (day == 0 || !month_seen || f.year < 0) {
        return std::nullopt;
    }
    f.day = day;
    return f;
}

// Korean blog software writes local (Korean) time: OnBlog "2004년 05월 28일 01:31:15" and Nate
// "2004-05-25 오후 11:23:17" (오전 AM, 오후 PM).
std::optional<DateFields> parse_korean(std::string_view text) {
    const bool pm = text.find("오후") != std::string_view::npos;
    if (!pm && text.find("오전") == std::string_view::npos && text.find("년") == std::string_view::npos) {
        return std::nullopt;
    }
    int numbers[6] = {};
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < text.size() && count < 6;) {
        if (!is_digit(text[pos])) {
            ++pos;
            continue;
        }
        const std::size_t start = pos;
        while (pos < text.size() && is_digit(text[pos]) && pos - start < 4) ++pos;
        std::size_t at = start;
        numbers[count++] = *read_digits(text, at, pos - start);
    }
    if (count < 5) {
        return std::nullopt;
    }
    DateFields f{.year = numbers[0],
                 .month = numbers[1],
                 .day = numbers[2],
                 .hour = numbers[3],
                 .minute = numbers[4],
                 .second = numbers[5],
                 .offset_seconds = 9 * 3600,
                 .unknown_zone = {}};
    f.hour += pm && f.hour < 12 ? 12 : 0;
    return f;
}

}  // namespace

std::optional<DateReading> read_date(std::string_view text) {
    text = text::trim_ascii_space(text);
    const bool iso = text.size() >= 4 && is_digit(text[0]) && is_digit(text[1]) && is_digit(text[2]) &&
                     is_digit(text[3]) && (text.size() == 4 || text[4] == '-' || is_digit(text[4]));
    std::optional<DateFields> fields = parse_korean(text);
    if (!fields) {
        fields = iso ? parse_iso(text) : parse_rfc822(text);
    }
    if (!fields) {
        fields = parse_two_digit_year(text);
    }
    const auto time = fields ? to_unix(*fields) : std::nullopt;
    if (!time) {
        return std::nullopt;
    }
    return DateReading{*time, std::string(fields->unknown_zone)};
}

std::optional<UnixTime> parse_date(std::string_view text) {
    const auto date = read_date(text);
    return date ? std::optional(date->time) : std::nullopt;
}

std::string format_rfc3339(UnixTime time) {
    std::int64_t days = time / 86400;
    std::int64_t seconds = time % 86400;
    if (seconds < 0) {
        seconds += 86400;
        --days;
    }
    // Inverse of days_from_civil (Howard Hinnant's civil_from_days).
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto day_of_era = static_cast<unsigned>(days - era * 146097);
    const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const unsigned mp = (5 * day_of_year + 2) / 153;
    const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(year), month,
                  day, static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                  static_cast<long long>(seconds % 60));
    return buffer;
}

}  // namespace signalmon::feed
