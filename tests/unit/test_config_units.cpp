// Tests for src/config/units.cpp.
#include <doctest/doctest.h>

#include "config/units.hpp"

using namespace signalmon::config;

TEST_CASE("durations") {
    CHECK(parse_duration("90s").value() == std::chrono::seconds(90));
    CHECK(parse_duration("15m").value() == std::chrono::minutes(15));
    CHECK(parse_duration("1h30m").value() == std::chrono::minutes(90));
    CHECK(parse_duration("7d").value() == std::chrono::hours(7 * 24));
    CHECK(parse_duration("2w").value() == std::chrono::hours(14 * 24));
    CHECK_FALSE(parse_duration("15").has_value());
    CHECK_FALSE(parse_duration("m").has_value());
    CHECK_FALSE(parse_duration("").has_value());
    CHECK_FALSE(parse_duration("5y").has_value());
}

TEST_CASE("durations and sizes out of range are refused, never wrapped") {
    CHECK(parse_duration("3650d").value() == std::chrono::days(3650));
    for (const char* huge : {"18446744073709551615s", "99999999999999999999999s", "3651d", "3650d1s",
                             "9223372036854775807s1s", "30500000000w"}) {
        CAPTURE(huge);
        CHECK(parse_duration(huge).error() == "duration '" + std::string(huge) + "' is out of range (at most 3650d)");
    }
    CHECK(parse_size("1024GiB").value() == std::size_t{1} << 40);
    for (const char* huge : {"18446744073709551615", "17179869184GiB", "1025GiB", "99999999999999999999999KiB"}) {
        CAPTURE(huge);
        CHECK(parse_size(huge).error() == "size '" + std::string(huge) + "' is out of range (at most 1024GiB)");
    }
}

TEST_CASE("sizes") {
    CHECK(parse_size("1000").value() == 1000);
    CHECK(parse_size("512KiB").value() == 512u << 10);
    CHECK(parse_size("16MiB").value() == 16u << 20);
    CHECK(parse_size("1GiB").value() == 1u << 30);
    CHECK_FALSE(parse_size("16MB").has_value());
    CHECK_FALSE(parse_size("lots").has_value());
}
