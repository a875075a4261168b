// A thin RAII layer over libpq: a connection, results read as text, transactions.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/error.hpp"

namespace signalmon::store {

class PostgresError : public StoreError {
public:
    using StoreError::StoreError;
};

// Query parameters in text form; nullopt is SQL NULL.
class PgParams {
public:
    PgParams& add(std::string_view value);
    PgParams& add(std::int64_t value);
    PgParams& add(std::optional<std::int64_t> value);

    int size() const { return static_cast<int>(m_values.size()); }
    std::vector<const char*> pointers() const;

private:
    std::vector<std::optional<std::string>> m_values;
};

class PgResult {
public:
    explicit PgResult(PGresult* result) : m_result(result) {}

    int rows() const { return PQntuples(m_result.get()); }
    // Rows an INSERT, UPDATE or DELETE touched.
    std::int64_t affected() const;
    bool is_null(int row, int column) const { return PQgetisnull(m_result.get(), row, column) != 0; }
    std::string text(int row, int column) const { return PQgetvalue(m_result.get(), row, column); }
    std::int64_t integer(int row, int column) const;
    std::optional<std::int64_t> optional_integer(int row, int column) const;

private:
    struct Clear {
        void operator()(PGresult* result) const { PQclear(result); }
    };
    std::unique_ptr<PGresult, Clear> m_result;
};

// The result's row, read through the accessors store/codec.hpp expects.
struct PgRow {
    const PgResult& result;
    int row;
    std::string text(int column) const { return result.text(row, column); }
    std::int64_t integer(int column) const { return result.integer(row, column); }
    std::optional<std::int64_t> optional_integer(int column) const { return result.optional_integer(row, column); }
};

// Every row of result, each made a Value by read(PgRow).
template <class Value, class Read>
std::vector<Value> read_rows(const PgResult& result, Read read) {
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(result.rows()));
    for (int row = 0; row < result.rows(); ++row) values.push_back(read(PgRow{result, row}));
    return values;
}

// A text[] literal of project(value) for each of values: every element double-quoted, with its
// quotes and backslashes escaped.
template <class Range, class Project>
std::string text_array(const Range& values, Project project) {
    std::string literal = "{";
    for (const auto& value : values) {
        if (literal.size() > 1) literal += ',';
        literal += '"';
        for (const char c : std::string_view(std::invoke(project, value))) {
            if (c == '"' || c == '\\') literal += '\\';
            literal += c;
        }
        literal += '"';
    }
    return literal + "}";
}

class PgConnection {
public:
    // url is a libpq connection URI (postgresql://host/db?...); password, when not empty, is used
    // instead of one in the URI or ~/.pgpass. Throws PostgresError.
    PgConnection(const std::string& url, const std::string& password);

    // Runs one statement with parameters (or, without, any number of statements). Throws PostgresError.
    PgResult run(std::string_view sql, const PgParams& params = {});

private:
    struct Finish {
        void operator()(PGconn* connection) const { PQfinish(connection); }
    };
    std::unique_ptr<PGconn, Finish> m_connection;
};

// Commits on commit(); rolls back if destroyed without it.
class PgTransaction {
public:
    explicit PgTransaction(PgConnection& connection);
    PgTransaction(const PgTransaction&) = delete;
    PgTransaction& operator=(const PgTransaction&) = delete;
    PgTransaction(PgTransaction&&) = delete;
    PgTransaction& operator=(PgTransaction&&) = delete;
    ~PgTransaction();
    void commit();

private:
    PgConnection& m_connection;
    bool m_done = false;
};

}  // namespace signalmon::store
