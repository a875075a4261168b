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

TEST_CASE("sizes") {
    CHECK(parse_size("1000").value() == 1000);
    CHECK(parse_size("512KiB").value() == 512u << 10);
    CHECK(parse_size("16MiB").value() == 16u << 20);
    CHECK(parse_size("1GiB").value() == 1u << 30);
    CHECK_FALSE(parse_size("16MB").has_value());
    CHECK_FALSE(parse_size("lots").has_value());
}
