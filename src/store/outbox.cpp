// The alert outbox and story clusters: rows written with their hits, then worked off by the
// alert dispatcher; every state change is one statement or one transaction.
#include "store/codec.hpp"
#include "store/sqlite_store.hpp"

namespace signalmon::store {
namespace {

std::vector<OutboxRow> read_outbox_rows(Statement& statement) {
    std::vector<OutboxRow> rows;
    while (statement.step()) rows.push_back(read_outbox_row(SqliteRow{statement}));
    return rows;
}

}  // namespace

void SqliteStore::enqueue_alert(std::int64_t item_id, const AlertRequest& alert, UnixTime now,
                                const ClusterPolicy& clustering) {
    Statement clusters = m_db.prepare(
        "SELECT id, canonical_link, simhash FROM alert_clusters WHERE brief = ? AND created_at >= ? ORDER BY id");
    clusters.bind(1, alert.brief).bind(2, now - clustering.window_seconds);
    std::optional<std::int64_t> cluster_id;
    while (!cluster_id && clusters.step()) {
        if (same_story(alert, clusters.column_text(1), clusters.column_int(2), clustering)) {
            cluster_id = clusters.column_int(0);
        }
    }
    clusters.reset();
    if (cluster_id) {
        m_db.prepare("UPDATE alert_clusters SET copies = copies + 1 WHERE id = ?").bind(1, *cluster_id).run();
        m_db.prepare("INSERT OR IGNORE INTO alert_cluster_members (item_id, cluster_id) VALUES (?, ?)")
            .bind(1, item_id)
            .bind(2, *cluster_id)
            .run();
        return;
    }
    m_db.prepare(
            "INSERT INTO alert_clusters (brief, canonical_link, simhash, first_item_id, created_at) VALUES (?, ?, ?, "
            "?, ?)")
        .bind(1, alert.brief)
        .bind(2, alert.canonical_link)
        .bind(3, to_column(alert.simhash))
        .bind(4, item_id)
        .bind(5, now)
        .run();
    const std::int64_t new_cluster = m_db.last_insert_rowid();
    m_db.prepare("INSERT INTO alert_cluster_members (item_id, cluster_id) VALUES (?, ?)")
        .bind(1, item_id)
        .bind(2, new_cluster)
        .run();
    Statement insert = m_db.prepare(R"sql(
INSERT INTO outbox (idempotency_key, channel, status, item_id, brief, summary, payload, created_at, queued_at, not_before)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9) ON CONFLICT (idempotency_key) DO NOTHING)sql");
    for (const OutboxDelivery& delivery : alert.deliveries) {
        insert.bind(1, delivery.idempotency_key).bind(2, delivery.channel).bind(3, delivery.held ? "held" : "pending");
        insert.bind(4, item_id).bind(5, alert.brief).bind(6, alert.summary).bind(7, alert.payload);
        insert.bind(8, now).bind(9, delivery.not_before).run();
    }
}

// A key already in the outbox is kept as it is, so raising an episode again never sends it twice.
void SqliteStore::enqueue_health_alert(const HealthAlertRequest& alert, UnixTime now) {
    Statement insert = m_db.prepare(R"sql(
INSERT INTO outbox (idempotency_key, channel, status, kind, brief, summary, payload, created_at, queued_at, not_before)
VALUES (?1, ?2, 'pending', 'health', '', ?3, ?4, ?5, ?5, ?6) ON CONFLICT (idempotency_key) DO NOTHING)sql");
    for (const OutboxDelivery& delivery : alert.deliveries) {
        insert.bind(1, delivery.idempotency_key)
            .bind(2, delivery.channel)
            .bind(3, alert.summary)
            .bind(4, alert.payload);
        insert.bind(5, now).bind(6, delivery.not_before).run();
    }
}

std::vector<OutboxRow> SqliteStore::due_outbox(UnixTime now, std::int64_t limit) {
    Statement statement = m_db.prepare("SELECT " + std::string(k_outbox_columns) +
                                       " FROM outbox WHERE status = 'pending' AND not_before <= ? ORDER BY id LIMIT ?");
    statement.bind(1, now).bind(2, limit);
    return read_outbox_rows(statement);
}

std::vector<OutboxRow> SqliteStore::due_held(std::string_view channel, UnixTime now) {
    Statement statement =
        m_db.prepare("SELECT " + std::string(k_outbox_columns) +
                     " FROM outbox WHERE status = 'held' AND channel = ? AND not_before <= ? ORDER BY id");
    statement.bind(1, channel).bind(2, now);
    return read_outbox_rows(statement);
}

std::vector<std::string> SqliteStore::channels_with_due_held(UnixTime now) {
    Statement statement =
        m_db.prepare("SELECT DISTINCT channel FROM outbox WHERE status = 'held' AND not_before <= ? ORDER BY channel");
    statement.bind(1, now);
    std::vector<std::string> channels;
    while (statement.step()) channels.push_back(statement.column_text(0));
    return channels;
}

std::optional<UnixTime> SqliteStore::next_outbox_time() {
    Statement statement = m_db.prepare("SELECT MIN(not_before) FROM outbox WHERE status IN ('pending', 'held')");
    statement.step();
    return statement.column_optional_int(0);
}

void SqliteStore::outbox_attempted(std::int64_t id, std::string_view status, UnixTime now, UnixTime not_before,
                                   std::string_view error) {
    m_db.prepare(R"sql(
UPDATE outbox SET status = ?2, attempts = attempts + 1, last_attempt = ?3, not_before = ?4, last_error = ?5,
    sent_at = CASE WHEN ?2 = 'sent' THEN ?3 ELSE sent_at END
WHERE id = ?1)sql")
        .bind(1, id)
        .bind(2, status)
        .bind(3, now)
        .bind(4, not_before)
        .bind(5, error)
        .run();
}

void SqliteStore::outbox_hold(std::int64_t id, UnixTime not_before, std::string_view reason) {
    m_db.prepare("UPDATE outbox SET status = 'held', not_before = ?2, last_error = ?3 WHERE id = ?1")
        .bind(1, id)
        .bind(2, not_before)
        .bind(3, reason)
        .run();
}

void SqliteStore::outbox_defer(std::int64_t id, UnixTime not_before) {
    m_db.prepare("UPDATE outbox SET not_before = ?2 WHERE id = ?1").bind(1, id).bind(2, not_before).run();
}

void SqliteStore::outbox_delay_held(std::string_view channel, UnixTime not_before) {
    m_db.prepare("UPDATE outbox SET not_before = ?2 WHERE status = 'held' AND channel = ?1 AND not_before < ?2")
        .bind(1, channel)
        .bind(2, not_before)
        .run();
}

std::pair<std::int64_t, std::optional<UnixTime>> SqliteStore::sent_since(std::string_view channel, UnixTime since) {
    Statement statement =
        m_db.prepare("SELECT COUNT(*), MIN(sent_at) FROM outbox WHERE status = 'sent' AND channel = ? AND sent_at > ?");
    statement.bind(1, channel).bind(2, since);
    statement.step();
    return {statement.column_int(0), statement.column_optional_int(1)};
}

std::int64_t SqliteStore::create_digest(std::string_view channel, std::string_view key, std::string_view summary,
                                        std::string_view payload, const std::vector<std::int64_t>& member_ids,
                                        UnixTime now) {
    Transaction transaction(m_db);
    m_db.prepare(R"sql(
INSERT INTO outbox (idempotency_key, channel, status, digest, brief, summary, payload, created_at, queued_at, not_before)
VALUES (?1, ?2, 'pending', 1, '', ?3, ?4, ?5, ?5, ?5))sql")
        .bind(1, key)
        .bind(2, channel)
        .bind(3, summary)
        .bind(4, payload)
        .bind(5, now)
        .run();
    const std::int64_t digest_id = m_db.last_insert_rowid();
    Statement fold =
        m_db.prepare("UPDATE outbox SET status = 'folded', digest_id = ?2 WHERE id = ?1 AND status = 'held'");
    for (std::int64_t id : member_ids) fold.bind(1, id).bind(2, digest_id).run();
    transaction.commit();
    return digest_id;
}

std::vector<OutboxRow> SqliteStore::query_outbox(const OutboxQuery& query) {
    std::string sql = "SELECT " + std::string(k_outbox_columns) + " FROM outbox";
    for (std::size_t i = 0; i < query.statuses.size(); ++i) sql += (i == 0 ? " WHERE status IN (?" : ", ?");
    if (!query.statuses.empty()) sql += ")";
    sql += " ORDER BY id DESC LIMIT ?";
    Statement statement = m_db.prepare(sql);
    int index = 1;
    for (const std::string& status : query.statuses) statement.bind(index++, status);
    statement.bind(index, query.limit);
    return read_outbox_rows(statement);
}

std::int64_t SqliteStore::requeue_failed(std::optional<std::int64_t> id, UnixTime now) {
    m_db.prepare(R"sql(
UPDATE outbox SET status = 'pending', not_before = ?2, queued_at = ?2, attempts = 0
WHERE status = 'failed' AND (?1 IS NULL OR id = ?1))sql")
        .bind(1, id)
        .bind(2, now)
        .run();
    return m_db.changes();
}

}  // namespace signalmon::store
