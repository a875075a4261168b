// Parsing of durations and sizes used in feeds.yaml and on signalctl's command line.
#include "config/units.hpp"

#include <charconv>
#include <cstdint>

namespace signalmon::config {
namespace {

// Splits "15m" into 15 and "m"; false if text does not start with digits. Digits past what 64 bits
// hold read as the largest number, which the callers' range checks then refuse by name.
bool split_number(std::string_view& text, std::uint64_t& number) {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (end == text.data()) return false;
    if (error == std::errc::result_out_of_range) {
        number = UINT64_MAX;
    } else if (error != std::errc()) {
        return false;
    }
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    return true;
}

}  // namespace

std::expected<std::chrono::seconds, std::string> parse_duration(std::string_view text) {
    const std::string expected_form =
        "expected a duration such as 90s, 15m, 1h30m or 7d, got '" + std::string(text) + "'";
    if (text.empty()) return std::unexpected(expected_form);
    const std::string_view whole = text;
    std::chrono::seconds total{0};
    while (!text.empty()) {
        std::uint64_t number = 0;
        if (!split_number(text, number)) return std::unexpected(expected_form);
        std::int64_t unit_seconds = 0;
        if (text.empty()) return std::unexpected(expected_form);
        switch (text.front()) {
            case 's': unit_seconds = 1; break;
            case 'm': unit_seconds = 60; break;
            case 'h': unit_seconds = 3600; break;
            case 'd': unit_seconds = 86400; break;
            case 'w': unit_seconds = 7 * 86400; break;
            default: return std::unexpected(expected_form);
        }
        text.remove_prefix(1);
        const auto limit = static_cast<std::uint64_t>(k_max_duration.count());
        if (number > limit / static_cast<std::uint64_t>(unit_seconds) ||
            static_cast<std::uint64_t>(total.count()) + number * static_cast<std::uint64_t>(unit_seconds) > limit) {
            return std::unexpected("duration '" + std::string(whole) + "' is out of range (at most " +
                                   std::to_string(k_max_duration.count() / 86400) + "d)");
        }
        total += std::chrono::seconds(static_cast<std::int64_t>(number) * unit_seconds);
    }
    return total;
}

std::expected<std::size_t, std::string> parse_size(std::string_view text) {
    const std::string expected_form =
        "expected a size such as 16MiB, 512KiB or a number of bytes, got '" + std::string(text) + "'";
    const std::string_view whole = text;
    std::uint64_t number = 0;
    if (!split_number(text, number)) return std::unexpected(expected_form);
    std::uint64_t multiplier = 1;
    if (text == "KiB") {
        multiplier = 1u << 10;
    } else if (text == "MiB") {
        multiplier = 1u << 20;
    } else if (text == "GiB") {
        multiplier = 1u << 30;
    } else if (!text.empty() && text != "B") {
        return std::unexpected(expected_form);
    }
    if (number > k_max_size / multiplier) {
        return std::unexpected("size '" + std::string(whole) + "' is out of range (at most " +
                               std::to_string(k_max_size >> 30) + "GiB)");
    }
    return static_cast<std::size_t>(number * multiplier);
}

}  // namespace signalmon::config
