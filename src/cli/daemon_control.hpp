// What status, reload and poll share: finding the running daemon's control socket and asking it.
#pragma once

#include <chrono>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/command.hpp"
#include "config/config.hpp"

namespace signalmon::cli {

struct DaemonReply {
    std::optional<config::Config> config;  // nullopt if the config could not be read (already reported)
    std::expected<nlohmann::json, std::string> reply = std::unexpected(std::string());
};

// Loads the config, then sends request to the socket it names and waits up to timeout.
DaemonReply ask_daemon(const GlobalOptions& global, const nlohmann::json& request, std::chrono::seconds timeout);

// Prints why the daemon did not answer and returns the exit code for it.
int report_unreachable(const std::string& error);

}  // namespace signalmon::cli
