// Human-friendly durations ("90s", "15m", "1h30m", "7d") and sizes ("16MiB", "512KiB", "1000").
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace signalmon::config {

// Beyond these a value is refused rather than wrapped: a duration that wraps to -1 s would be a
// poll storm or no transfer timeout at all.
inline constexpr std::chrono::seconds k_max_duration{std::chrono::days(3650)};
inline constexpr std::uint64_t k_max_size = std::uint64_t{1} << 40;  // 1024 GiB

// On failure, the error says what was expected.
std::expected<std::chrono::seconds, std::string> parse_duration(std::string_view text);
std::expected<std::size_t, std::string> parse_size(std::string_view text);

}  // namespace signalmon::config
