// Tests for src/config/time_zone.cpp: TZif reading, offsets across daylight saving, local times.
#include <doctest/doctest.h>

#include "config/time_zone.hpp"
#include "temp_dir.hpp"

using namespace signalmon;
using signalmon::testing::TempDir;

namespace {

const std::filesystem::path k_zones = std::filesystem::path(SIGNALMON_TEST_DATA) / "tz";

// 2026-01-15T12:00:00Z and 2026-07-15T12:00:00Z.
constexpr std::int64_t k_winter = 1'768'478'400;
constexpr std::int64_t k_summer = 1'784'116'800;

}  // namespace

TEST_CASE("UTC needs no file and formats as UTC") {
    const config::TimeZone utc;
    CHECK(utc.is_utc());
    CHECK(utc.name() == "UTC");
    CHECK(utc.format(k_winter) == "2026-01-15 12:00 UTC");
    CHECK(config::TimeZone::load("UTC", "/nonexistent")->is_utc());
}

TEST_CASE("Europe/Berlin is CET in winter and CEST in summer") {
    const auto berlin = config::TimeZone::load("Europe/Berlin", k_zones);
    REQUIRE(berlin.has_value());
    CHECK_FALSE(berlin->is_utc());
    CHECK(berlin->at(k_winter).offset_seconds == 3600);
    CHECK(berlin->at(k_winter).abbreviation == "CET");
    CHECK(berlin->at(k_summer).offset_seconds == 7200);
    CHECK(berlin->format(k_winter) == "2026-01-15 13:00 CET");
    CHECK(berlin->format(k_summer) == "2026-07-15 14:00 CEST");
    // 2026-03-29 01:00Z is the change: 01:59:59Z is still CET, 01:00Z on is CEST.
    CHECK(berlin->at(1'774'746'000 - 1).abbreviation == "CET");
    CHECK(berlin->at(1'774'746'000).abbreviation == "CEST");
    // Local 2026-07-15 14:00 is 12:00Z.
    CHECK(berlin->to_utc(k_summer + 7200) == k_summer);
    CHECK(berlin->to_utc(k_winter + 3600) == k_winter);
}

TEST_CASE("America/New_York: a negative offset and a date that changes at local midnight") {
    const auto new_york = config::TimeZone::load("America/New_York", k_zones);
    REQUIRE(new_york.has_value());
    CHECK(new_york->at(k_winter).offset_seconds == -5 * 3600);
    // 2026-01-16T03:00Z is still the 15th in New York.
    CHECK(new_york->format(k_winter + 15 * 3600) == "2026-01-15 22:00 EST");
    CHECK(new_york->format(k_summer) == "2026-07-15 08:00 EDT");
}

TEST_CASE("unknown, unsafe and damaged zones are errors that say so") {
    const auto unknown = config::TimeZone::load("Europe/Atlantis", k_zones);
    REQUIRE_FALSE(unknown.has_value());
    CHECK(unknown.error().find("unknown time zone 'Europe/Atlantis'") != std::string::npos);
    for (const std::string_view name : {"../tz/Europe/Berlin", "/etc/passwd", "", "Europe/Ber lin"}) {
        const auto refused = config::TimeZone::load(name, k_zones);
        REQUIRE_FALSE(refused.has_value());
        CHECK(refused.error().find("is not an IANA time zone name") != std::string::npos);
    }
    TempDir dir;
    dir.write("Broken", "TZif2 but nothing more");
    const auto damaged = config::TimeZone::load("Broken", dir.path());
    REQUIRE_FALSE(damaged.has_value());
    CHECK(damaged.error() == "'Broken' is not a TZif time zone file");
}
