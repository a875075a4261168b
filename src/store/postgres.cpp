// libpq wrapper: every failure becomes a PostgresError carrying the server's own message.
#include "store/postgres.hpp"

#include <charconv>

namespace signalmon::store {
namespace {

std::int64_t parse_integer(const char* text) {
    std::int64_t value = 0;
    const std::string_view digits(text);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size()) {
        throw PostgresError("reading '" + std::string(digits) + "' as an integer");
    }
    return value;
}

std::string trimmed(const char* message) {
    std::string text = message ? message : "unknown error";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

PgParams& PgParams::add(std::string_view value) {
    m_values.emplace_back(std::string(value));
    return *this;
}

PgParams& PgParams::add(std::int64_t value) {
    m_values.emplace_back(std::to_string(value));
    return *this;
}

PgParams& PgParams::add(std::optional<std::int64_t> value) {
    if (value) return add(*value);
    m_values.emplace_back(std::nullopt);
    return *this;
}

std::vector<const char*> PgParams::pointers() const {
    std::vector<const char*> pointers;
    pointers.reserve(m_values.size());
    for (const auto& value : m_values) pointers.push_back(value ? value->c_str() : nullptr);
    return pointers;
}

std::int64_t PgResult::affected() const {
    const char* count = PQcmdTuples(m_result.get());
    return count[0] == '\0' ? 0 : parse_integer(count);
}

std::int64_t PgResult::integer(int row, int column) const {
    return parse_integer(PQgetvalue(m_result.get(), row, column));
}

std::optional<std::int64_t> PgResult::optional_integer(int row, int column) const {
    if (is_null(row, column)) return std::nullopt;
    return integer(row, column);
}

PgConnection::PgConnection(const std::string& url, const std::string& password) {
    // expand_dbname lets the URI carry host, port, database and options; the password goes apart
    // so it never has to be written into feeds.yaml.
    const char* const keywords[] = {"dbname", password.empty() ? nullptr : "password", nullptr};
    const char* const values[] = {url.c_str(), password.empty() ? nullptr : password.c_str(), nullptr};
    m_connection.reset(PQconnectdbParams(keywords, values, 1));
    if (!m_connection) throw PostgresError("connecting to PostgreSQL: out of memory");
    if (PQstatus(m_connection.get()) != CONNECTION_OK) {
        throw PostgresError("connecting to PostgreSQL: " + trimmed(PQerrorMessage(m_connection.get())));
    }
    // Warnings (a NOTICE for CREATE ... IF NOT EXISTS) are not errors: keep them off stderr.
    PQsetNoticeProcessor(
        m_connection.get(), [](void*, const char*) {}, nullptr);
}

PgResult PgConnection::run(std::string_view sql, const PgParams& params) {
    const std::string text(sql);
    PGresult* raw = nullptr;
    if (params.size() == 0) {
        raw = PQexec(m_connection.get(), text.c_str());
    } else {
        const std::vector<const char*> values = params.pointers();
        raw =
            PQexecParams(m_connection.get(), text.c_str(), params.size(), nullptr, values.data(), nullptr, nullptr, 0);
    }
    PgResult result(raw);
    const ExecStatusType status = raw ? PQresultStatus(raw) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw PostgresError("running '" + text.substr(0, 60) +
                            "': " + trimmed(raw ? PQresultErrorMessage(raw) : PQerrorMessage(m_connection.get())));
    }
    return result;
}

PgTransaction::PgTransaction(PgConnection& connection) : m_connection(connection) { m_connection.run("BEGIN"); }

PgTransaction::~PgTransaction() {
    if (m_done) return;
    try {
        m_connection.run("ROLLBACK");
    } catch (const PostgresError&) {
        // The connection is gone or broken; the server rolls the transaction back itself.
    }
}

void PgTransaction::commit() {
    m_connection.run("COMMIT");
    m_done = true;
}

}  // namespace signalmon::store
