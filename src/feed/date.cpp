// Date parsing for feeds: a strict-enough ISO 8601 reader and a token-based RFC 822 reader that
// accepts the broken variants real feeds send (no day name, no comma, "Tues", lowercase, spacing).
#include "feed/date.hpp"
#include "text/ascii.hpp"

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
    return days * 86400 + f.hour * 3600 + f.minute * 60 + f.second - f.offset_seconds;
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

int month_number(std::string_view word) {
    for (std::size_t i = 0; i < k_months.size(); ++i) {
        if (names(word, k_months[i])) {
            return static_cast<int>(i) + 1;
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

// Named zones: RFC 822's own, plus the abbreviations feeds most often use.
std::optional<int> zone_offset(std::string_view word) {
    constexpr std::array<std::pair<std::string_view, int>, 26> k_zones{{
        {"ut", 0},         {"utc", 0},        {"gmt", 0},        {"z", 0},         {"est", -5 * 60}, {"edt", -4 * 60},
        {"cst", -6 * 60},  {"cdt", -5 * 60},  {"mst", -7 * 60},  {"mdt", -6 * 60}, {"pst", -8 * 60}, {"pdt", -7 * 60},
        {"akst", -9 * 60}, {"akdt", -8 * 60}, {"hst", -10 * 60}, {"wet", 0},       {"west", 60},     {"bst", 60},
        {"cet", 60},       {"cest", 120},     {"eet", 120},      {"eest", 180},    {"jst", 540},     {"aest", 600},
        {"aedt", 660},     {"nzst", 720},
    }};
    for (const auto& [name, minutes] : k_zones) {
        if (equals_lower(word, name)) {
            return minutes * 60;
        }
    }
    if (word.size() == 1 && text::is_ascii_alpha(word[0]) && text::ascii_lower(word[0]) != 'j') {
        return 0;  // military letter, see date.hpp
    }
    return std::nullopt;
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

// "+hh:mm", "+hhmm", "+hh" (sign included in text); whole text must be the offset.
std::optional<int> numeric_offset(std::string_view text) {
    if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) {
        return std::nullopt;
    }
    std::size_t pos = 1;
    const auto hours = read_digits(text, pos, 2);
    int minutes = 0;
    if (pos < text.size() && text[pos] == ':') {
        ++pos;
    }
    if (pos < text.size()) {
        const auto parsed = read_digits(text, pos, 2);
        if (!parsed) {
            return std::nullopt;
        }
        minutes = *parsed;
    }
    if (!hours || pos != text.size() || *hours > 23 || minutes > 59) {
        return std::nullopt;
    }
    const int seconds = *hours * 3600 + minutes * 60;
    return text[0] == '-' ? -seconds : seconds;
}

std::optional<int> any_zone(std::string_view text) {
    if (text.empty()) {
        return 0;
    }
    if (text[0] == '+' || text[0] == '-') {
        return numeric_offset(text);
    }
    return zone_offset(text);
}

// YYYY[-MM[-DD[(T|space)hh:mm[:ss[.fraction]][zone]]]]
std::optional<UnixTime> parse_iso(std::string_view text) {
    DateFields f;
    std::size_t pos = 0;
    const auto year = read_digits(text, pos, 4);
    if (!year) {
        return std::nullopt;
    }
    f.year = *year;
    const auto part = [&](int& field) {
        if (pos == text.size()) {
            return true;
        }
        if (text[pos] != '-') {
            return false;
        }
        ++pos;
        const auto value = read_digits(text, pos, 2);
        if (value) field = *value;
        return value.has_value();
    };
    if (!part(f.month) || !part(f.day)) {
        return std::nullopt;
    }
    if (pos < text.size()) {
        if (text[pos] != 'T' && text[pos] != 't' && !text::is_ascii_space(text[pos])) {
            return std::nullopt;
        }
        ++pos;
        while (pos < text.size() && text::is_ascii_space(text[pos])) ++pos;
        const auto hour = read_digits(text, pos, 2);
        if (!hour || pos >= text.size() || text[pos] != ':') {
            return std::nullopt;
        }
        ++pos;
        const auto minute = read_digits(text, pos, 2);
        if (!minute) {
            return std::nullopt;
        }
        f.hour = *hour;
        f.minute = *minute;
        if (pos < text.size() && text[pos] == ':') {
            ++pos;
            const auto second = read_digits(text, pos, 2);
            if (!second) {
                return std::nullopt;
            }
            f.second = *second;
            if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
                ++pos;
                while (pos < text.size() && is_digit(text[pos])) ++pos;
            }
        }
        const auto zone = any_zone(text::trim_ascii_space(text.substr(pos)));
        if (!zone) {
            return std::nullopt;
        }
        f.offset_seconds = *zone;
    }
    return to_unix(f);
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
    if (!rest.empty()) {
        const auto zone = any_zone(rest);
        if (!zone) {
            return false;
        }
        f.offset_seconds = *zone;
        zone_seen = true;
    }
    return true;
}

std::optional<UnixTime> parse_rfc822(std::string_view text) {
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
        } else if (const auto zone = zone_offset(token); zone && time_seen && !zone_seen) {
            f.offset_seconds = *zone;
            zone_seen = true;
        } else {
            return std::nullopt;
        }
    }
    if (day == 0 || !month_seen || f.year < 0) {
        return std::nullopt;
    }
    f.day = day;
    return to_unix(f);
}

}  // namespace

std::optional<UnixTime> parse_date(std::string_view text) {
    text = text::trim_ascii_space(text);
    if (text.size() >= 4 && is_digit(text[0]) && is_digit(text[1]) && is_digit(text[2]) && is_digit(text[3]) &&
        (text.size() == 4 || text[4] == '-')) {
        return parse_iso(text);
    }
    return parse_rfc822(text);
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
