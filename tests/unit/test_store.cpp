// The backend switch of the store-level tests.
#include "test_store.hpp"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "store/postgres.hpp"
#include "store/sqlite.hpp"

namespace signalmon::testing {
namespace {

std::string server_url(const std::string& host, std::string_view database) {
    return "postgresql:///" + std::string(database) + "?host=" + host + "&user=signalmon";
}

// Runs one statement on the cluster's postgres database (CREATE / DROP DATABASE).
void administer(const std::string& host, const std::string& sql) {
    PGconn* connection = PQconnectdb(server_url(host, "postgres").c_str());
    std::string error;
    if (PQstatus(connection) != CONNECTION_OK) {
        error = PQerrorMessage(connection);
    } else {
        PGresult* result = PQexec(connection, sql.c_str());
        if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQresultErrorMessage(result);
        PQclear(result);
    }
    PQfinish(connection);
    if (!error.empty()) throw std::runtime_error(sql + ": " + error);
}

const char* postgres_host() { return std::getenv("SIGNALMON_TEST_POSTGRES_HOST"); }

}  // namespace

TestStore::TestStore(const TempDir& dir) {
    if (const char* host = postgres_host()) {
        static std::atomic<int> counter{0};
        m_database = "test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        administer(host, "CREATE DATABASE " + m_database);
        m_location = server_url(host, m_database);
    } else {
        m_location = (dir.path() / "s.db").string();
    }
    m_store = store::open_store(m_location, store::OpenMode::read_write);
}

TestStore::~TestStore() {
    m_store.reset();
    if (m_database.empty()) return;
    try {
        administer(postgres_host(), "DROP DATABASE " + m_database + " WITH (FORCE)");
    } catch (const std::runtime_error&) {
        // The cluster is thrown away at the end anyway.
    }
}

std::unique_ptr<store::Store> TestStore::open(store::OpenMode mode) const {
    return store::open_store(m_location, mode);
}

std::string TestStore::query_text(const std::string& sql) const {
    if (on_postgres()) {
        store::PgConnection connection(m_location, {});
        const store::PgResult result = connection.run(sql);
        return result.rows() == 0 ? std::string() : result.text(0, 0);
    }
    store::Database database(m_location, store::Database::Mode::read_write);
    store::Statement statement = database.prepare(sql);
    return statement.step() ? statement.column_text(0) : std::string();
}

}  // namespace signalmon::testing
