// The copy reads each table's columns from SQLite's own catalogue, so columns later migrations
// add are copied without a change here.
#include "store/copy.hpp"

#include <array>
#include <string_view>

#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace signalmon::store {
namespace {

// Parents before children, so every foreign key finds its row.
constexpr std::array<std::string_view, 6> k_tables{"feeds", "items", "hits", "alert_clusters", "alert_cluster_members",
                                                   "outbox"};

std::vector<std::string> columns_of(Database& source, std::string_view table) {
    Statement info = source.prepare("PRAGMA table_info(" + std::string(table) + ")");
    std::vector<std::string> names;
    while (info.step()) names.push_back(info.column_text(1));
    return names;
}

// outbox.digest_id points at a digest row created after its members: set once every row is in.
bool set_afterwards(std::string_view table, std::string_view column) {
    return table == "outbox" && column == "digest_id";
}

std::int64_t copy_table(Database& source, PgConnection& target, std::string_view table) {
    const std::vector<std::string> columns = columns_of(source, table);
    std::string names;
    std::string placeholders;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        names += (i == 0 ? "" : ", ") + columns[i];
        placeholders += (i == 0 ? "$" : ", $") + std::to_string(i + 1);
    }
    const std::string insert = "INSERT INTO " + std::string(table) + " (" + names + ") VALUES (" + placeholders + ")";
    Statement rows = source.prepare("SELECT " + names + " FROM " + std::string(table));
    std::vector<std::pair<std::string, std::string>> deferred;  // (id, digest_id)
    std::int64_t copied = 0;
    while (rows.step()) {
        PgParams params;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const int column = static_cast<int>(i);
            if (rows.column_is_null(column)) {
                params.add(std::optional<std::int64_t>());
            } else if (set_afterwards(table, columns[i])) {
                deferred.emplace_back(rows.column_text(0), rows.column_text(column));
                params.add(std::optional<std::int64_t>());
            } else {
                params.add(rows.column_text(column));
            }
        }
        target.run(insert, params);
        ++copied;
    }
    for (const auto& [id, digest_id] : deferred) {
        target.run("UPDATE outbox SET digest_id = $2 WHERE id = $1", PgParams().add(id).add(digest_id));
    }
    return copied;
}

}  // namespace

std::vector<std::pair<std::string, std::int64_t>> copy_sqlite_to_postgres(const std::filesystem::path& sqlite_path,
                                                                          const std::string& url,
                                                                          const std::string& password) {
    // Opening each store for writing brings it to this build's schema, so the columns match.
    const int source_version = SqliteStore(sqlite_path, OpenMode::read_write).schema_version();
    if (const int target_version = PostgresStore(url, password, OpenMode::read_write).schema_version();
        target_version != source_version) {
        throw PostgresError("schema versions differ after migrating: SQLite " + std::to_string(source_version) +
                            ", PostgreSQL " + std::to_string(target_version));
    }
    Database source(sqlite_path, Database::Mode::read_only);
    PgConnection target(url, password);
    PgTransaction transaction(target);
    if (target.run("SELECT EXISTS (SELECT 1 FROM feeds) OR EXISTS (SELECT 1 FROM items)").text(0, 0) == "t") {
        throw PostgresError("the PostgreSQL store already holds feeds or items: migrate into an empty database");
    }
    std::vector<std::pair<std::string, std::int64_t>> counts;
    for (const std::string_view table : k_tables) {
        counts.emplace_back(table, copy_table(source, target, table));
        // feeds are keyed by their config id, cluster members by their two references.
        if (table == "feeds" || table == "alert_cluster_members") continue;
        // The identity columns continue after the copied ids.
        target.run("SELECT setval(pg_get_serial_sequence('" + std::string(table) +
                   "', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM " + std::string(table) + "), false)");
    }
    transaction.commit();
    return counts;
}

}  // namespace signalmon::store
