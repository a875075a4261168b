// A thin RAII layer over the SQLite C API: a connection, prepared statements, transactions.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "store/error.hpp"

namespace signalmon::store {

class SqliteError : public StoreError {
public:
    using StoreError::StoreError;
};

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql);
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    ~Statement();

    // Binding is 1-based like SQLite; an empty optional binds NULL.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    // Binds without copying: value must stay alive and unchanged until the statement is reset
    // (run() resets it), which saves copying each ~2 KB item text on the ingest path.
    Statement& bind_static(int index, std::string_view value);
    Statement& bind(int index, std::optional<std::int64_t> value);
    Statement& bind_null(int index);

    bool step();  // true while a row is available
    void run();   // steps to completion, then resets for reuse
    void reset();

    std::int64_t column_int(int index) const;
    std::optional<std::int64_t> column_optional_int(int index) const;
    bool column_is_null(int index) const { return sqlite3_column_type(m_statement, index) == SQLITE_NULL; }
    std::string column_text(int index) const;

private:
    Statement& bind_text(int index, std::string_view value, void (*lifetime)(void*));

    sqlite3* m_db;
    sqlite3_stmt* m_statement = nullptr;
};

// The statement's current row, read through the accessors store/codec.hpp expects.
struct SqliteRow {
    const Statement& statement;
    std::string text(int column) const { return statement.column_text(column); }
    std::int64_t integer(int column) const { return statement.column_int(column); }
    std::optional<std::int64_t> optional_integer(int column) const { return statement.column_optional_int(column); }
};

class Database {
public:
    enum class Mode { read_write, read_only };
    Database(const std::filesystem::path& path, Mode mode);
    Database(Database&& other) noexcept;
    Database& operator=(Database&&) = delete;
    Database(const Database&) = delete;
    ~Database();

    void execute(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(m_db, sql); }
    std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(m_db); }
    int changes() const { return sqlite3_changes(m_db); }
    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
};

// Commits on commit(); rolls back if destroyed without it (an exception or early return).
class Transaction {
public:
    explicit Transaction(Database& db);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

}  // namespace signalmon::store
