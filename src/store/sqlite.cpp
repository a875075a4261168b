// SQLite wrapper: every failure becomes a SqliteError carrying SQLite's own message.
#include "store/sqlite.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace signalmon::store {
namespace {

[[noreturn]] void throw_error(sqlite3* db, std::string_view context) {
    throw SqliteError(std::string(context) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_statement,
                           nullptr) != SQLITE_OK) {
        throw_error(db, "preparing '" + std::string(sql.substr(0, 60)) + "'");
    }
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db), m_statement(std::exchange(other.m_statement, nullptr)) {}

Statement::~Statement() { sqlite3_finalize(m_statement); }

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(m_statement, index, value) != SQLITE_OK) throw_error(m_db, "binding");
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) { return bind_text(index, value, SQLITE_TRANSIENT); }

Statement& Statement::bind_static(int index, std::string_view value) { return bind_text(index, value, SQLITE_STATIC); }

Statement& Statement::bind_text(int index, std::string_view value, void (*lifetime)(void*)) {
    if (sqlite3_bind_text(m_statement, index, value.data(), static_cast<int>(value.size()), lifetime) != SQLITE_OK) {
        throw_error(m_db, "binding");
    }
    return *this;
}

Statement& Statement::bind(int index, std::optional<std::int64_t> value) {
    return value ? bind(index, *value) : bind_null(index);
}

Statement& Statement::bind_null(int index) {
    if (sqlite3_bind_null(m_statement, index) != SQLITE_OK) throw_error(m_db, "binding");
    return *this;
}

bool Statement::step() {
    const int result = sqlite3_step(m_statement);
    if (result == SQLITE_ROW) return true;
    if (result == SQLITE_DONE) return false;
    const std::string sql = sqlite3_sql(m_statement);
    sqlite3_reset(m_statement);
    throw_error(m_db, "running '" + sql.substr(0, 60) + "'");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
}

std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(m_statement, index); }

std::optional<std::int64_t> Statement::column_optional_int(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_int(index);
}

std::string Statement::column_text(int index) const {
    const auto* text = sqlite3_column_text(m_statement, index);
    return text ? std::string(reinterpret_cast<const char*>(text),
                              static_cast<std::size_t>(sqlite3_column_bytes(m_statement, index)))
                : std::string();
}

Database::Database(const std::filesystem::path& path, Mode mode) {
    // SQLite says only "unable to open database file" when the folder cannot take the file, its
    // journal or its WAL (read-only filesystem, permissions), so say why up front.
    if (const auto folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
        mode == Mode::read_write && ::access(folder.c_str(), W_OK) != 0) {
        throw SqliteError("opening " + path.string() + ": cannot write in " + folder.string() + " (" +
                          std::strerror(errno) + ")");
    }
    const int flags = mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        const std::string message = "opening " + path.string() + ": " + (m_db ? sqlite3_errmsg(m_db) : "out of memory");
        sqlite3_close(m_db);
        throw SqliteError(message);
    }
    // A writer holding the lock briefly (checkpoint, commit) must not fail a reader or vice versa.
    sqlite3_busy_timeout(m_db, 5000);
}

Database::Database(Database&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

Database::~Database() { sqlite3_close_v2(m_db); }

void Database::execute(std::string_view sql) {
    char* message = nullptr;
    if (sqlite3_exec(m_db, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw SqliteError("running '" + std::string(sql.substr(0, 60)) + "': " + text);
    }
}

Transaction::Transaction(Database& db) : m_db(db) { m_db.execute("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
    if (!m_done) {
        try {
            m_db.execute("ROLLBACK");
        } catch (const SqliteError&) {
            // The transaction is already gone (SQLite rolled it back itself); nothing left to undo.
        }
    }
}

void Transaction::commit() {
    m_db.execute("COMMIT");
    m_done = true;
}

}  // namespace signalmon::store
