// TZif reading (RFC 8536 section 3) and local time arithmetic.
#include "config/time_zone.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

namespace signalmon::config {
namespace {

constexpr std::size_t k_header_size = 44;

std::int64_t big_endian(std::string_view bytes) {
    std::uint64_t value = 0;
    for (const char byte : bytes) value = (value << 8) | static_cast<unsigned char>(byte);
    // Sign-extend from the field's width.
    const unsigned unused_bits = 64 - (8 * static_cast<unsigned>(bytes.size()));
    return static_cast<std::int64_t>(value << unused_bits) >> unused_bits;
}

struct Counts {
    std::size_t ut_indicators = 0, standard_indicators = 0, leaps = 0, transitions = 0, types = 0, characters = 0;

    std::size_t body_size(std::size_t time_size) const {
        return transitions * (time_size + 1) + types * 6 + characters + leaps * (time_size + 4) + standard_indicators +
               ut_indicators;
    }
};

std::optional<Counts> read_header(std::string_view data) {
    if (data.size() < k_header_size || !data.starts_with("TZif")) return std::nullopt;
    const auto count = [&](std::size_t index) {
        return static_cast<std::size_t>(big_endian(data.substr(20 + 4 * index, 4)));
    };
    return Counts{count(0), count(1), count(2), count(3), count(4), count(5)};
}

// The zone's name must be a path below the zoneinfo folder, never out of it.
bool plausible_name(std::string_view name) {
    if (name.empty() || name.starts_with('/') || name.find("..") != std::string_view::npos) return false;
    return std::ranges::all_of(name, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
               c == '-' || c == '+';
    });
}

}  // namespace

TimeZone::TimeZone() = default;

std::expected<TimeZone, std::string> TimeZone::load(std::string_view name, const std::filesystem::path& zoneinfo_dir) {
    const std::string quoted = "'" + std::string(name) + "'";
    if (name == "UTC") return TimeZone();
    if (!plausible_name(name)) return std::unexpected(quoted + " is not an IANA time zone name such as Europe/Berlin");
    std::ifstream file(zoneinfo_dir / std::string(name), std::ios::binary);
    if (!file) {
        return std::unexpected("unknown time zone " + quoted + " (no " + (zoneinfo_dir / std::string(name)).string() +
                               "; is the tzdata package installed?)");
    }
    std::ostringstream content;
    content << file.rdbuf();
    const std::string data = std::move(content).str();
    const auto damaged = std::unexpected(quoted + " is not a TZif time zone file");
    auto counts = read_header(data);
    if (!counts) return damaged;
    // Version 2 and later repeat the data with 64-bit times after the 32-bit block: read that one.
    std::size_t at = k_header_size;
    std::size_t time_size = 4;
    if (data[4] >= '2') {
        at += counts->body_size(4);
        counts = read_header(std::string_view(data).substr(std::min(at, data.size())));
        if (!counts) return damaged;
        at += k_header_size;
        time_size = 8;
    }
    if (counts->types == 0 || data.size() < at + counts->body_size(time_size)) return damaged;
    const std::string_view body = std::string_view(data).substr(at);

    TimeZone zone;
    zone.m_name = std::string(name);
    zone.m_types.clear();
    const std::size_t type_table = counts->transitions * (time_size + 1);
    const std::string_view characters = body.substr(type_table + counts->types * 6, counts->characters);
    for (std::size_t index = 0; index < counts->types; ++index) {
        const std::string_view type = body.substr(type_table + index * 6, 6);
        const auto abbreviation_at = static_cast<unsigned char>(type[5]);
        if (abbreviation_at >= characters.size()) return damaged;
        const std::string_view rest = characters.substr(abbreviation_at);
        zone.m_types.push_back({.offset_seconds = static_cast<std::int32_t>(big_endian(type.substr(0, 4))),
                                .abbreviation = std::string(rest.substr(0, rest.find('\0')))});
    }
    for (std::size_t index = 0; index < counts->transitions; ++index) {
        const auto type = static_cast<std::uint8_t>(body[(counts->transitions * time_size) + index]);
        if (type >= counts->types) return damaged;
        zone.m_transitions.push_back(big_endian(body.substr(index * time_size, time_size)));
        zone.m_type_after.push_back(type);
    }
    if (!std::ranges::is_sorted(zone.m_transitions)) return damaged;
    return zone;
}

const TimeZone::LocalTime& TimeZone::at(std::int64_t unix_time) const {
    const auto after = std::ranges::upper_bound(m_transitions, unix_time);
    // Before the first transition, type 0 applies (RFC 8536 3.2).
    if (after == m_transitions.begin()) return m_types.front();
    return m_types[m_type_after[static_cast<std::size_t>(after - m_transitions.begin() - 1)]];
}

std::int64_t TimeZone::to_utc(std::int64_t local_seconds) const {
    const std::int64_t guess = local_seconds - at(local_seconds).offset_seconds;
    return local_seconds - at(guess).offset_seconds;
}

std::string TimeZone::format(std::int64_t unix_time) const {
    const LocalTime& local = at(unix_time);
    const std::int64_t seconds = unix_time + local.offset_seconds;
    const auto day = std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds(std::chrono::seconds(seconds)));
    const std::chrono::year_month_day date(day);
    const std::int64_t of_day = seconds - (day.time_since_epoch().count() * 86'400);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(of_day / 3600), static_cast<int>(of_day % 3600 / 60));
    return text + local.abbreviation;
}

}  // namespace signalmon::config
