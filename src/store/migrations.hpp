// The ordered schema migrations of the store; version N is the Nth entry.
#pragma once

#include <span>
#include <string_view>

namespace signalmon::store {

// Each entry is SQL run in one transaction to move the schema from version i to i + 1.
std::span<const std::string_view> migrations();

}  // namespace signalmon::store
