// An IANA time zone read from the system's TZif files (RFC 8536), for showing times and placing
// quiet hours in the analyst's own clock. libstdc++ 12 has no std::chrono::tzdb, and setting TZ
// for localtime_r is process-wide state a reload would have to change under running threads.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::config {

class TimeZone {
public:
    struct LocalTime {
        std::int32_t offset_seconds = 0;  // local time minus UTC
        std::string abbreviation;         // "CET", "EDT"; "UTC"
    };

    // UTC: no file needed.
    TimeZone();

    // Reads zoneinfo_dir/NAME ("Europe/Berlin"). The error says what is wrong in a sentence.
    static std::expected<TimeZone, std::string> load(std::string_view name,
                                                     const std::filesystem::path& zoneinfo_dir = "/usr/share/zoneinfo");

    const std::string& name() const { return m_name; }
    bool is_utc() const { return m_types.size() == 1 && m_types.front().offset_seconds == 0; }

    // The offset in force at a UTC instant. Past the file's last transition (2037 in Debian's
    // files) the last rule stays in force.
    const LocalTime& at(std::int64_t unix_time) const;

    // The UTC instant of a local wall-clock time, given as seconds since 1970-01-01 00:00 local;
    // in a gap or overlap at a change of offset, the offset in force just before the change.
    std::int64_t to_utc(std::int64_t local_seconds) const;

    // "2026-11-30 14:05 CET".
    std::string format(std::int64_t unix_time) const;

private:
    std::string m_name = "UTC";
    std::vector<std::int64_t> m_transitions;  // UTC instants, ascending
    std::vector<std::uint8_t> m_type_after;   // index into m_types from each transition on
    std::vector<LocalTime> m_types{LocalTime{.offset_seconds = 0, .abbreviation = "UTC"}};
};

}  // namespace signalmon::config
