// Moving a store from SQLite to PostgreSQL (signalctl store migrate).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace signalmon::store {

// Copies every row of the SQLite store at sqlite_path into the PostgreSQL store at url, row ids
// kept, in one transaction, after bringing both to this build's schema. Refuses a target that
// already holds feeds or items. Returns the rows copied per table. Throws StoreError.
std::vector<std::pair<std::string, std::int64_t>> copy_sqlite_to_postgres(const std::filesystem::path& sqlite_path,
                                                                          const std::string& url,
                                                                          const std::string& password);

}  // namespace signalmon::store
