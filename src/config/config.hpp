// feeds.yaml: daemon settings and the list of feeds, validated at startup with file:line:col errors.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/alerts_config.hpp"

namespace signalmon::config {

// A startup error in feeds.yaml; what() is "FILE:LINE:COL: message" (1-based).
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct FeedSpec {
    std::string id;
    std::string url;  // absolute: http://, https:// or file:///…
    std::chrono::seconds interval{0};
    std::vector<std::string> tags;
};

struct Config {
    std::filesystem::path path;  // the file this came from
    std::filesystem::path state_dir;
    std::filesystem::path rules_dir;
    std::string user_agent;
    std::chrono::seconds interval{std::chrono::minutes(15)};
    std::chrono::seconds connect_timeout{10};
    std::chrono::seconds timeout{60};
    std::size_t max_body_size = 16u << 20;
    int max_parallel = 16;
    // How long items keep their text for `signalctl replay` and `hits --explain`.
    std::chrono::seconds item_retention{std::chrono::days(90)};
    std::vector<FeedSpec> feeds;
    AlertsConfig alerts;  // empty when feeds.yaml has no `alerts:`

    std::filesystem::path database_path() const { return state_dir / "signalmon.db"; }
};

// Reads and validates the file. Relative paths (state_dir, rules_dir, feed paths) resolve against
// the file's folder. Throws ConfigError.
Config load_config(const std::filesystem::path& path);

}  // namespace signalmon::config
