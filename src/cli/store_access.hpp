// What the read-only subcommands share: finding the config's store and opening it without
// disturbing a running daemon, and the output formats.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cli/command.hpp"
#include "config/config.hpp"
#include "feed/item.hpp"
#include "store/store.hpp"

namespace signalmon::cli {

enum class OutputFormat { table, json, csv };

struct StoreContext {
    config::Config config;
    std::unique_ptr<store::Store> store;
};

// Loads the config and opens its store read-only; on failure prints why and returns nullopt.
std::optional<StoreContext> open_store_read_only(const GlobalOptions& global);
// The same for the commands that write (replay): WAL and the busy timeout let a daemon run alongside.
std::optional<StoreContext> open_store_read_write(const GlobalOptions& global);

// The briefs a `--brief` may name: the live rules' (when they load) and every brief with stored hits.
std::vector<std::string> known_briefs(StoreContext& context);

// "24h", "7d" (before now) or an RFC 3339 time; nullopt if neither.
std::optional<feed::UnixTime> parse_since(std::string_view text, feed::UnixTime now);

std::string csv_field(std::string_view value);

// The clock tables show times on: feeds.yaml's `timezone`, or UTC with --utc. JSON and CSV stay
// RFC 3339 UTC, for programs.
const config::TimeZone& display_zone(const GlobalOptions& global, const config::Config& config);

}  // namespace signalmon::cli
