// The ordered schema migrations of the store; version N is the Nth entry.
#pragma once

#include <span>
#include <string_view>

namespace signalmon::store {

// One schema step in each backend's dialect: the same tables, columns and indexes, so a store
// moves between backends (signalctl store migrate) at equal versions.
struct Migration {
    std::string_view sqlite;
    std::string_view postgresql;  // BIGINT for every integer, identity columns for row ids
};

// Each entry is run in one transaction to move the schema from version i to i + 1.
std::span<const Migration> migrations();

}  // namespace signalmon::store
