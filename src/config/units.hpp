// Human-friendly durations ("90s", "15m", "1h30m", "7d") and sizes ("16MiB", "512KiB", "1000").
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <string>
#include <string_view>

namespace signalmon::config {

// On failure, the error says what was expected.
std::expected<std::chrono::seconds, std::string> parse_duration(std::string_view text);
std::expected<std::size_t, std::string> parse_size(std::string_view text);

}  // namespace signalmon::config
