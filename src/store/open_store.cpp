// Picks the backend a store location names.
#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace signalmon::store {

bool is_server_url(std::string_view location) {
    return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::unique_ptr<Store> open_store(const std::string& location, OpenMode mode, const std::string& password) {
    if (is_server_url(location)) return std::make_unique<PostgresStore>(location, password, mode);
    return std::make_unique<SqliteStore>(location, mode);
}

}  // namespace signalmon::store
