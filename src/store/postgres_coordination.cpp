// Several daemons on one PostgreSQL store: instances' heartbeats, politeness lanes leased with
// FOR UPDATE SKIP LOCKED and an expiry, outbox claims (store/postgres_store.cpp's due_outbox) and
// the leader's advisory lock, as the job queues graphile-worker, pgmq and river lease their work.
#include <algorithm>
#include <functional>

#include "store/postgres_store.hpp"

namespace signalmon::store {
namespace {

// Held by the instance that runs retention and digests (next to the migration and daemon locks).
constexpr std::int64_t k_leader_lock = 0x5349474e4d4f50;

}  // namespace

std::expected<std::vector<Instance>, std::string> PostgresStore::heartbeat(const Instance& self, UnixTime alive_since) {
    return reading([&] {
        m_connection.run(R"sql(
INSERT INTO instances (id, rules_hash, started_at, seen_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET rules_hash = excluded.rules_hash, started_at = excluded.started_at,
    seen_at = excluded.seen_at)sql",
                         PgParams().add(self.id).add(self.rules_hash).add(self.started_at).add(self.seen_at));
        return read_rows<Instance>(
            m_connection.run(
                "SELECT id, rules_hash, started_at, seen_at FROM instances WHERE seen_at >= $1 ORDER BY id",
                PgParams().add(alive_since)),
            [](const PgRow& row) {
                return Instance{.id = row.text(0),
                                .rules_hash = row.text(1),
                                .started_at = row.integer(2),
                                .seen_at = row.integer(3)};
            });
    });
}

std::expected<std::vector<std::string>, std::string> PostgresStore::lease_lanes(std::string_view holder,
                                                                                std::span<const std::string> candidates,
                                                                                std::size_t want, UnixTime now,
                                                                                UnixTime expires_at) {
    return reading([&] {
        PgTransaction transaction(m_connection);
        std::vector<std::string> held =
            read_rows<std::string>(m_connection.run("UPDATE lanes SET expires_at = $2 WHERE holder = $1 RETURNING lane",
                                                    PgParams().add(holder).add(expires_at)),
                                   [](const PgRow& row) { return row.text(0); });
        if (want > held.size() && !candidates.empty()) {
            const std::string lanes = text_array(candidates, std::identity{});
            m_connection.run("INSERT INTO lanes (lane) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING",
                             PgParams().add(lanes));
            const PgResult taken = m_connection.run(
                R"sql(
UPDATE lanes SET holder = $1, expires_at = $4 WHERE lane IN (
    SELECT lane FROM lanes WHERE lane = ANY($2::text[]) AND holder <> $1 AND expires_at <= $3
    ORDER BY lane LIMIT $5 FOR UPDATE SKIP LOCKED)
RETURNING lane)sql",
                PgParams()
                    .add(holder)
                    .add(lanes)
                    .add(now)
                    .add(expires_at)
                    .add(static_cast<std::int64_t>(want - held.size())));
            for (int row = 0; row < taken.rows(); ++row) held.push_back(taken.text(row, 0));
        }
        transaction.commit();
        std::ranges::sort(held);
        return held;
    });
}

std::expected<void, std::string> PostgresStore::release_lanes(std::string_view holder,
                                                              std::span<const std::string> lanes) {
    try {
        m_connection.run("UPDATE lanes SET holder = '', expires_at = 0 WHERE holder = $1 AND lane = ANY($2::text[])",
                         PgParams().add(holder).add(text_array(lanes, std::identity{})));
    } catch (const PostgresError& error) {
        return std::unexpected(std::string(error.what()));
    }
    return {};
}

std::expected<void, std::string> PostgresStore::leave(std::string_view holder) {
    try {
        PgTransaction transaction(m_connection);
        m_connection.run("UPDATE lanes SET holder = '', expires_at = 0 WHERE holder = $1", PgParams().add(holder));
        m_connection.run("UPDATE outbox SET claimed_by = '', claim_expires = 0 WHERE claimed_by = $1",
                         PgParams().add(holder));
        m_connection.run("DELETE FROM instances WHERE id = $1", PgParams().add(holder));
        transaction.commit();
    } catch (const PostgresError& error) {
        return std::unexpected(std::string(error.what()));
    }
    return {};
}

void PostgresStore::claim_outbox_as(std::string holder, std::int64_t claim_seconds) {
    m_claimant = std::move(holder);
    m_claim_seconds = claim_seconds;
}

bool PostgresStore::lead() {
    // Taken once and kept: a session lock is re-entrant, so asking again would stack it.
    if (m_leading) return true;
    try {
        m_leading =
            m_connection.run("SELECT pg_try_advisory_lock($1)", PgParams().add(k_leader_lock)).text(0, 0) == "t";
    } catch (const PostgresError&) {
        return false;  // the store is unreachable: nobody leads through this connection
    }
    return m_leading;
}

}  // namespace signalmon::store
