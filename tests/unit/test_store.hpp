// The store the store-level tests run against: the SQLite file in a temp directory, or, when
// SIGNALMON_TEST_POSTGRES_HOST names the socket directory of a throwaway cluster (the CTest
// fixture in tests/CMakeLists.txt starts one), a fresh database there, dropped at the end.
#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"
#include "temp_dir.hpp"

namespace signalmon::testing {

class TestStore {
public:
    explicit TestStore(const TempDir& dir);
    TestStore(const TestStore&) = delete;
    TestStore& operator=(const TestStore&) = delete;
    TestStore(TestStore&&) = delete;
    TestStore& operator=(TestStore&&) = delete;
    ~TestStore();

    store::Store& operator*() const { return *m_store; }
    store::Store* operator->() const { return m_store.get(); }
    // Another connection to the same store (as a second process would open it).
    std::unique_ptr<store::Store> open(store::OpenMode mode) const;
    bool on_postgres() const { return !m_database.empty(); }
    // Runs one statement on a connection of its own and returns the first column of its first row
    // ("" without one): for rows and columns the store's interface neither writes nor reads.
    std::string query_text(const std::string& sql) const;
    const std::string& location() const { return m_location; }

private:
    std::string m_location;
    std::string m_database;  // on PostgreSQL
    std::unique_ptr<store::Store> m_store;
};

}  // namespace signalmon::testing
