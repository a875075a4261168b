// PostgresStore: the same reads and writes as SqliteStore, in PostgreSQL's dialect ($n
// parameters, RETURNING ids, ON CONFLICT DO NOTHING, affected-row counts from the command tag).
#include "store/postgres_store.hpp"

#include <algorithm>
#include <variant>

#include "store/codec.hpp"
#include "store/migrations.hpp"

namespace signalmon::store {
namespace {

// A fixed number, the same in every instance: it serialises migrations across processes.
constexpr std::int64_t k_migration_lock = 0x5349474e4d4f4e;  // "SIGNMON"

int schema_version_of(PgConnection& connection) {
    if (connection.run("SELECT to_regclass('signalmon_schema') IS NULL").text(0, 0) == "t") return 0;
    return static_cast<int>(connection.run("SELECT version FROM signalmon_schema").integer(0, 0));
}

}  // namespace

PostgresStore::PostgresStore(const std::string& url, const std::string& password, OpenMode mode)
    : m_connection(url, password) {
    const int known_version = static_cast<int>(migrations().size());
    if (const int version = schema_version(); version > known_version) {
        throw PostgresError("the PostgreSQL store has schema version " + std::to_string(version) +
                            ", newer than this signalmon knows (" + std::to_string(known_version) +
                            "): upgrade signalmon");
    }
    if (mode == OpenMode::read_write) migrate();
}

void PostgresStore::migrate() {
    PgTransaction transaction(m_connection);
    m_connection.run("SELECT pg_advisory_xact_lock($1)", PgParams().add(k_migration_lock));
    m_connection.run("CREATE TABLE IF NOT EXISTS signalmon_schema (version INTEGER NOT NULL)");
    if (m_connection.run("SELECT 1 FROM signalmon_schema").rows() == 0) {
        m_connection.run("INSERT INTO signalmon_schema (version) VALUES (0)");
    }
    const int known_version = static_cast<int>(migrations().size());
    for (int version = schema_version_of(m_connection); version < known_version; ++version) {
        m_connection.run(migrations()[static_cast<std::size_t>(version)].postgresql);
        m_connection.run("UPDATE signalmon_schema SET version = $1", PgParams().add(std::int64_t{version + 1}));
    }
    transaction.commit();
}

int PostgresStore::schema_version() { return schema_version_of(m_connection); }

std::expected<void, std::string> PostgresStore::probe_write(std::uint64_t /*min_free_bytes*/) {
    // The server watches its own disk; a committed write is the whole test here.
    try {
        PgTransaction transaction(m_connection);
        m_connection.run("UPDATE signalmon_schema SET version = version");
        transaction.commit();
    } catch (const PostgresError& error) {
        return std::unexpected(std::string(error.what()));
    }
    return {};
}

std::expected<void, std::string> PostgresStore::check_same_file() const { return {}; }

std::expected<std::optional<FeedState>, std::string> PostgresStore::feed_state(std::string_view feed_id) {
    return reading([&]() -> std::optional<FeedState> {
        const PgResult result = m_connection.run("SELECT " + std::string(k_feed_columns) + " FROM feeds WHERE id = $1",
                                                 PgParams().add(feed_id));
        if (result.rows() == 0) return std::nullopt;
        return read_feed_state(PgRow{result, 0});
    });
}

std::expected<std::vector<FeedState>, std::string> PostgresStore::feed_states() {
    return reading([&] {
        return read_rows<FeedState>(
            m_connection.run("SELECT " + std::string(k_feed_columns) + " FROM feeds ORDER BY id"),
            [](const PgRow& row) { return read_feed_state(row); });
    });
}

std::expected<std::vector<const feed::Item*>, std::string> PostgresStore::filter_new(
    std::string_view feed_id, std::span<const feed::Item> items) {
    return reading([&] {
        const PgResult seen = m_connection.run("SELECT key FROM items WHERE feed_id = $1 AND key = ANY($2::text[])",
                                               PgParams().add(feed_id).add(text_array(items, &feed::Item::key)));
        std::vector<std::string> keys = read_rows<std::string>(seen, [](const PgRow& row) { return row.text(0); });
        std::ranges::sort(keys);
        std::vector<const feed::Item*> fresh;
        fresh.reserve(items.size());
        for (const feed::Item& item : items) {
            if (!std::ranges::binary_search(keys, item.key)) fresh.push_back(&item);
        }
        return fresh;
    });
}

std::size_t PostgresStore::insert_hit(std::int64_t item_id, std::string_view brief, const score::SignalHit& hit,
                                      int score, bool alerting, UnixTime found_at, bool replayed,
                                      std::string_view rules_hash) {
    return static_cast<std::size_t>(m_connection
                                        .run(R"sql(
INSERT INTO hits (item_id, brief, signal, kind, weight, score, alerting, terms, snippet, found_at, replayed,
                  rules_hash)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING)sql",
                                             PgParams()
                                                 .add(item_id)
                                                 .add(brief)
                                                 .add(hit.signal_id)
                                                 .add(rules::kind_name(hit.kind))
                                                 .add(std::int64_t{hit.weight})
                                                 .add(std::int64_t{score})
                                                 .add(std::int64_t{alerting})
                                                 .add(to_json_array(hit.terms))
                                                 .add(hit.snippet)
                                                 .add(found_at)
                                                 .add(std::int64_t{replayed})
                                                 .add(rules_hash))
                                        .affected());
}

std::expected<std::size_t, std::string> PostgresStore::write_poll(const PollWrite& write) {
    return reading([&] {
        PgTransaction transaction(m_connection);
        const FeedState& state = write.state;
        m_connection.run(
            R"sql(
INSERT INTO feeds (id, url, title, etag, last_modified, last_poll, last_success, last_error, consecutive_failures,
                   item_count, not_modified_count, next_poll, redirect_url, last_body_bytes, bytes_saved,
                   tracked_since, last_new_item, first_failure, health_alerted)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
ON CONFLICT (id) DO UPDATE SET
    url = excluded.url, title = excluded.title, etag = excluded.etag, last_modified = excluded.last_modified,
    last_poll = excluded.last_poll, last_success = excluded.last_success, last_error = excluded.last_error,
    consecutive_failures = excluded.consecutive_failures, item_count = excluded.item_count,
    not_modified_count = excluded.not_modified_count, next_poll = excluded.next_poll,
    redirect_url = excluded.redirect_url, last_body_bytes = excluded.last_body_bytes,
    bytes_saved = excluded.bytes_saved, tracked_since = excluded.tracked_since,
    last_new_item = excluded.last_new_item, first_failure = excluded.first_failure,
    health_alerted = excluded.health_alerted)sql",
            PgParams()
                .add(state.id)
                .add(state.url)
                .add(state.title)
                .add(state.etag)
                .add(state.last_modified)
                .add(state.last_poll)
                .add(state.last_success)
                .add(state.last_error)
                .add(state.consecutive_failures)
                .add(state.item_count)
                .add(state.not_modified_count)
                .add(state.next_poll)
                .add(state.redirect_url)
                .add(state.last_body_bytes)
                .add(state.bytes_saved)
                .add(state.tracked_since)
                .add(state.last_new_item)
                .add(state.first_failure)
                .add(std::int64_t{state.health_alerted}));
        std::size_t hit_count = 0;
        for (const NewItem& entry : write.new_items) {
            const feed::Item& item = *entry.item;
            const PgResult inserted = m_connection.run(R"sql(
INSERT INTO items (feed_id, key, title, link, published, updated, author, categories, summary, content, first_seen,
                   last_seen, fields)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12) ON CONFLICT DO NOTHING RETURNING id)sql",
                                                       PgParams()
                                                           .add(state.id)
                                                           .add(item.key)
                                                           .add(item.title)
                                                           .add(item.link)
                                                           .add(item.published)
                                                           .add(item.updated)
                                                           .add(item.author)
                                                           .add(to_json_array(item.categories))
                                                           .add(item.summary)
                                                           .add(item.content)
                                                           .add(write.found_at)
                                                           .add(to_json_object(item.fields)));
            if (inserted.rows() == 0) continue;  // stored by an earlier poll: matched once already
            const std::int64_t item_id = inserted.integer(0, 0);
            for (const score::Verdict& verdict : entry.verdicts) {
                for (const score::SignalHit& hit : verdict.hits) {
                    hit_count += insert_hit(item_id, verdict.brief_id, hit, verdict.score(hit.kind),
                                            verdict.alerting_for(hit.kind), write.found_at, false, write.rules_hash);
                }
            }
            for (const AlertRequest& alert : entry.alerts)
                enqueue_alert(item_id, alert, write.found_at, write.clustering);
        }
        if (!write.listed.empty()) {
            constexpr std::int64_t k_touch_every = 24 * 3600;
            m_connection.run(
                "UPDATE items SET last_seen = $3 WHERE feed_id = $1 AND key = ANY($2::text[]) AND last_seen < $4",
                PgParams()
                    .add(state.id)
                    .add(text_array(write.listed, &feed::Item::key))
                    .add(write.found_at)
                    .add(write.found_at - k_touch_every));
        }
        if (write.health_alert) {
            for (const OutboxDelivery& delivery : write.health_alert->deliveries) {
                m_connection.run(R"sql(
INSERT INTO outbox (idempotency_key, channel, status, kind, brief, summary, payload, created_at, queued_at, not_before)
VALUES ($1, $2, 'pending', 'health', '', $3, $4, $5, $5, $6) ON CONFLICT (idempotency_key) DO NOTHING)sql",
                                 PgParams()
                                     .add(delivery.idempotency_key)
                                     .add(delivery.channel)
                                     .add(write.health_alert->summary)
                                     .add(write.health_alert->payload)
                                     .add(write.found_at)
                                     .add(delivery.not_before));
            }
        }
        transaction.commit();
        return hit_count;
    });
}

void PostgresStore::enqueue_alert(std::int64_t item_id, const AlertRequest& alert, UnixTime now,
                                  const ClusterPolicy& clustering) {
    const PgResult clusters = m_connection.run(
        "SELECT id, canonical_link, simhash FROM alert_clusters WHERE brief = $1 AND created_at >= $2 ORDER BY id",
        PgParams().add(alert.brief).add(now - clustering.window_seconds));
    for (int row = 0; row < clusters.rows(); ++row) {
        if (!same_story(alert, clusters.text(row, 1), clusters.integer(row, 2), clustering)) continue;
        const std::int64_t cluster_id = clusters.integer(row, 0);
        m_connection.run("UPDATE alert_clusters SET copies = copies + 1 WHERE id = $1", PgParams().add(cluster_id));
        m_connection.run(
            "INSERT INTO alert_cluster_members (item_id, cluster_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            PgParams().add(item_id).add(cluster_id));
        return;
    }
    const std::int64_t cluster_id = m_connection
                                        .run(R"sql(
INSERT INTO alert_clusters (brief, canonical_link, simhash, first_item_id, created_at) VALUES ($1, $2, $3, $4, $5)
RETURNING id)sql",
                                             PgParams()
                                                 .add(alert.brief)
                                                 .add(alert.canonical_link)
                                                 .add(to_column(alert.simhash))
                                                 .add(item_id)
                                                 .add(now))
                                        .integer(0, 0);
    m_connection.run("INSERT INTO alert_cluster_members (item_id, cluster_id) VALUES ($1, $2)",
                     PgParams().add(item_id).add(cluster_id));
    for (const OutboxDelivery& delivery : alert.deliveries) {
        m_connection.run(R"sql(
INSERT INTO outbox (idempotency_key, channel, status, item_id, brief, summary, payload, created_at, queued_at, not_before)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) ON CONFLICT (idempotency_key) DO NOTHING)sql",
                         PgParams()
                             .add(delivery.idempotency_key)
                             .add(delivery.channel)
                             .add(delivery.held ? "held" : "pending")
                             .add(item_id)
                             .add(alert.brief)
                             .add(alert.summary)
                             .add(alert.payload)
                             .add(now)
                             .add(delivery.not_before));
    }
}

std::vector<OutboxRow> PostgresStore::due_outbox(UnixTime now, std::int64_t limit) {
    if (m_claimant.empty()) {
        return read_rows<OutboxRow>(
            m_connection.run("SELECT " + std::string(k_outbox_columns) +
                                 " FROM outbox WHERE status = 'pending' AND not_before <= $1 ORDER BY id LIMIT $2",
                             PgParams().add(now).add(limit)),
            [](const PgRow& row) { return read_outbox_row(row); });
    }
    // Rows this instance claimed stay its own; others' are skipped until their claim runs out, and
    // rows another instance is claiming at this moment are skipped rather than waited for.
    std::vector<OutboxRow> rows = read_rows<OutboxRow>(
        m_connection.run("UPDATE outbox SET claimed_by = $3, claim_expires = $4 WHERE id IN ("
                         " SELECT id FROM outbox WHERE status = 'pending' AND not_before <= $1"
                         " AND (claimed_by = $3 OR claim_expires <= $1) ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)"
                         " RETURNING " +
                             std::string(k_outbox_columns),
                         PgParams().add(now).add(limit).add(m_claimant).add(now + m_claim_seconds)),
        [](const PgRow& row) { return read_outbox_row(row); });
    std::ranges::sort(rows, {}, &OutboxRow::id);
    return rows;
}

std::vector<OutboxRow> PostgresStore::due_held(std::string_view channel, UnixTime now) {
    return read_rows<OutboxRow>(
        m_connection.run("SELECT " + std::string(k_outbox_columns) +
                             " FROM outbox WHERE status = 'held' AND channel = $1 AND not_before <= $2 ORDER BY id",
                         PgParams().add(channel).add(now)),
        [](const PgRow& row) { return read_outbox_row(row); });
}

std::vector<std::string> PostgresStore::channels_with_due_held(UnixTime now) {
    return read_rows<std::string>(
        m_connection.run(
            "SELECT DISTINCT channel FROM outbox WHERE status = 'held' AND not_before <= $1 ORDER BY channel",
            PgParams().add(now)),
        [](const PgRow& row) { return row.text(0); });
}

std::optional<UnixTime> PostgresStore::next_outbox_time() {
    return m_connection.run("SELECT MIN(not_before) FROM outbox WHERE status IN ('pending', 'held')")
        .optional_integer(0, 0);
}

void PostgresStore::outbox_attempted(std::int64_t id, std::string_view status, UnixTime now, UnixTime not_before,
                                     std::string_view error) {
    m_connection.run(R"sql(
UPDATE outbox SET status = $2, attempts = attempts + 1, last_attempt = $3, not_before = $4, last_error = $5,
    sent_at = CASE WHEN $2 = 'sent' THEN $3 ELSE sent_at END, claimed_by = '', claim_expires = 0
WHERE id = $1)sql",
                     PgParams().add(id).add(status).add(now).add(not_before).add(error));
}

void PostgresStore::outbox_hold(std::int64_t id, UnixTime not_before, std::string_view reason) {
    m_connection.run("UPDATE outbox SET status = 'held', not_before = $2, last_error = $3 WHERE id = $1",
                     PgParams().add(id).add(not_before).add(reason));
}

void PostgresStore::outbox_defer(std::int64_t id, UnixTime not_before) {
    m_connection.run("UPDATE outbox SET not_before = $2 WHERE id = $1", PgParams().add(id).add(not_before));
}

void PostgresStore::outbox_delay_held(std::string_view channel, UnixTime not_before) {
    m_connection.run("UPDATE outbox SET not_before = $2 WHERE status = 'held' AND channel = $1 AND not_before < $2",
                     PgParams().add(channel).add(not_before));
}

std::pair<std::int64_t, std::optional<UnixTime>> PostgresStore::sent_since(std::string_view channel, UnixTime since) {
    const PgResult result = m_connection.run(
        "SELECT COUNT(*), MIN(sent_at) FROM outbox WHERE status = 'sent' AND channel = $1 AND sent_at > $2",
        PgParams().add(channel).add(since));
    return {result.integer(0, 0), result.optional_integer(0, 1)};
}

std::int64_t PostgresStore::create_digest(std::string_view channel, std::string_view key, std::string_view summary,
                                          std::string_view payload, const std::vector<std::int64_t>& member_ids,
                                          UnixTime now) {
    PgTransaction transaction(m_connection);
    const std::int64_t digest_id = m_connection
                                       .run(R"sql(
INSERT INTO outbox (idempotency_key, channel, status, digest, brief, summary, payload, created_at, queued_at, not_before)
VALUES ($1, $2, 'pending', 1, '', $3, $4, $5, $5, $5) RETURNING id)sql",
                                            PgParams().add(key).add(channel).add(summary).add(payload).add(now))
                                       .integer(0, 0);
    for (const std::int64_t id : member_ids) {
        m_connection.run("UPDATE outbox SET status = 'folded', digest_id = $2 WHERE id = $1 AND status = 'held'",
                         PgParams().add(id).add(digest_id));
    }
    transaction.commit();
    return digest_id;
}

std::vector<OutboxRow> PostgresStore::query_outbox(const OutboxQuery& query) {
    std::string sql = "SELECT " + std::string(k_outbox_columns) + " FROM outbox";
    PgParams params;
    for (const std::string& status : query.statuses) {
        params.add(status);
        sql += (params.size() == 1 ? " WHERE status IN ($" : ", $") + std::to_string(params.size());
    }
    if (!query.statuses.empty()) sql += ")";
    params.add(query.limit);
    sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
    return read_rows<OutboxRow>(m_connection.run(sql, params), [](const PgRow& row) { return read_outbox_row(row); });
}

std::int64_t PostgresStore::requeue_failed(std::optional<std::int64_t> id, UnixTime now) {
    return m_connection
        .run(R"sql(
UPDATE outbox SET status = 'pending', not_before = $2, queued_at = $2, attempts = 0
WHERE status = 'failed' AND ($1::bigint IS NULL OR id = $1))sql",
             PgParams().add(id).add(now))
        .affected();
}

std::vector<std::string> PostgresStore::hit_briefs() {
    return read_rows<std::string>(m_connection.run("SELECT DISTINCT brief FROM hits ORDER BY brief"),
                                  [](const PgRow& row) { return row.text(0); });
}

std::vector<HitRow> PostgresStore::query_hits(const HitQuery& query) {
    const SqlStatement sql = hits_query_sql(query, SqlDialect::postgresql);
    PgParams params;
    for (const auto& value : sql.parameters) {
        std::visit([&](const auto& held) { params.add(held); }, value);
    }
    return read_rows<HitRow>(m_connection.run(sql.text, params), [](const PgRow& row) { return read_hit_row(row); });
}

std::expected<std::size_t, std::string> PostgresStore::delete_batch(std::string_view sql, UnixTime before, int batch) {
    return reading([&] {
        return static_cast<std::size_t>(
            m_connection.run(sql, PgParams().add(before).add(std::int64_t{batch})).affected());
    });
}

std::expected<std::size_t, std::string> PostgresStore::prune_hits(UnixTime found_before, int batch) {
    return delete_batch(
        "DELETE FROM hits WHERE id IN (SELECT id FROM hits WHERE found_at < $1 ORDER BY found_at LIMIT $2)",
        found_before, batch);
}

std::expected<std::size_t, std::string> PostgresStore::prune_delivered_alerts(UnixTime sent_before, int batch) {
    return delete_batch(R"sql(
DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox o WHERE o.status IN ('sent', 'folded') AND coalesce(o.sent_at, o.queued_at) < $1
      AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.digest_id = o.id)
    LIMIT $2))sql",
                        sent_before, batch);
}

std::expected<std::size_t, std::string> PostgresStore::prune_items(UnixTime unseen_since, int batch) {
    return delete_batch(R"sql(
DELETE FROM items WHERE id IN (
    SELECT id FROM items i WHERE i.last_seen < $1 AND NOT EXISTS (SELECT 1 FROM hits h WHERE h.item_id = i.id)
    ORDER BY i.last_seen LIMIT $2))sql",
                        unseen_since, batch);
}

std::expected<bool, std::string> PostgresStore::reclaim_space() { return false; }

std::expected<StoreTotals, std::string> PostgresStore::totals() {
    return reading([&] {
        const PgResult count = m_connection.run("SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM hits)");
        return StoreTotals{.items = count.integer(0, 0), .hits = count.integer(0, 1)};
    });
}

std::expected<std::vector<std::pair<std::string, std::int64_t>>, std::string> PostgresStore::outbox_counts() {
    return reading([&] {
        return read_rows<std::pair<std::string, std::int64_t>>(m_connection.run(R"sql(
WITH states(status) AS (VALUES ('pending'), ('held'), ('sent'), ('failed'), ('folded'))
SELECT states.status, count(outbox.id) FROM states LEFT JOIN outbox USING (status) GROUP BY 1 ORDER BY 1)sql"),
                                                               [](const PgRow& row) {
                                                                   return std::pair{row.text(0), row.integer(1)};
                                                               });
    });
}

std::optional<StoredItem> PostgresStore::item(std::string_view feed_id, std::string_view key) {
    const PgResult result =
        m_connection.run("SELECT " + std::string(k_item_columns) + " FROM items WHERE feed_id = $1 AND key = $2",
                         PgParams().add(feed_id).add(key));
    if (result.rows() == 0) return std::nullopt;
    return read_item(PgRow{result, 0});
}

std::vector<StoredItem> PostgresStore::items_since(UnixTime since) {
    return read_rows<StoredItem>(m_connection.run("SELECT " + std::string(k_item_columns) +
                                                      " FROM items WHERE first_seen >= $1 ORDER BY first_seen, id",
                                                  PgParams().add(since)),
                                 [](const PgRow& row) { return read_item(row); });
}

std::vector<StoredHit> PostgresStore::hits_of_items_since(UnixTime since) {
    return read_rows<StoredHit>(m_connection.run(R"sql(
SELECT h.item_id, h.brief, h.signal FROM hits h JOIN items i ON i.id = h.item_id
WHERE i.first_seen >= $1 ORDER BY h.item_id, h.brief, h.signal)sql",
                                                 PgParams().add(since)),
                                [](const PgRow& row) {
                                    return StoredHit{row.integer(0), row.text(1), row.text(2)};
                                });
}

std::expected<std::size_t, std::string> PostgresStore::record_replayed(std::span<const ReplayHit> hits,
                                                                       UnixTime found_at, std::string_view rules_hash,
                                                                       std::span<const ReplayAlert> alerts,
                                                                       const ClusterPolicy& clustering) {
    return reading([&] {
        PgTransaction transaction(m_connection);
        std::size_t added = 0;
        for (const ReplayHit& entry : hits) {
            added += insert_hit(entry.item_row, entry.brief, entry.hit, entry.score, entry.alerting, found_at, true,
                                rules_hash);
        }
        for (const ReplayAlert& alert : alerts) enqueue_alert(alert.item_row, alert.request, found_at, clustering);
        transaction.commit();
        return added;
    });
}

std::expected<HitCounts, std::string> PostgresStore::hit_counts_since(UnixTime since) {
    return reading([&] {
        const PgResult result =
            m_connection.run("SELECT brief, signal, COUNT(*) FROM hits WHERE found_at >= $1 GROUP BY brief, signal",
                             PgParams().add(since));
        HitCounts counts;
        for (int row = 0; row < result.rows(); ++row) {
            counts.emplace(std::pair{result.text(row, 0), result.text(row, 1)}, result.integer(row, 2));
        }
        return counts;
    });
}

// PostgreSQL's GIN expression index (migration 7) is kept by every insert: nothing waits for it.
std::expected<std::size_t, std::string> PostgresStore::index_for_search(std::int64_t /*limit*/) {
    return std::size_t{0};
}

std::expected<std::size_t, std::string> PostgresStore::prune_item_text(UnixTime before, std::int64_t limit) {
    return reading([&] {
        return static_cast<std::size_t>(m_connection
                                            .run(R"sql(
UPDATE items SET summary = '', content = '' WHERE id IN (
  SELECT id FROM items WHERE first_seen < $1 AND (summary != '' OR content != '') ORDER BY first_seen LIMIT $2))sql",
                                                 PgParams().add(before).add(limit))
                                            .affected());
    });
}

std::vector<LedgerHit> PostgresStore::ledger_hits(const LedgerQuery& query) {
    return read_rows<LedgerHit>(m_connection.run(R"sql(
SELECT h.item_id, h.brief, h.kind, MAX(h.score),
       LEAST(COALESCE(MIN(i.published), MIN(i.first_seen)), MIN(i.first_seen)) AS evidence_at,
       MIN(i.feed_id), MIN(i.key), MIN(i.title), MIN(i.link),
       (SELECT MIN(c.id) FROM alert_cluster_members m JOIN alert_clusters c ON c.id = m.cluster_id
        WHERE m.item_id = h.item_id AND c.brief = h.brief)
FROM hits h JOIN items i ON i.id = h.item_id
WHERE ($1 = '' OR h.brief = $1)
GROUP BY h.item_id, h.brief, h.kind
HAVING ($2::bigint IS NULL OR LEAST(COALESCE(MIN(i.published), MIN(i.first_seen)), MIN(i.first_seen)) >= $2)
ORDER BY h.brief, evidence_at, h.item_id)sql",
                                                 PgParams().add(query.brief).add(query.since)),
                                [](const PgRow& row) { return read_ledger_hit(row); });
}

// PostgreSQL's full-text search over the migration's GIN expression: every word required
// (plainto_tsquery treats the words as text, never as query syntax); the excerpt is the title.
std::vector<SearchResult> PostgresStore::search_items(std::string_view words, std::int64_t limit) {
    return read_rows<SearchResult>(m_connection.run(R"sql(
SELECT i.feed_id, i.key, i.title, i.link, i.first_seen, i.published, i.title,
       (SELECT string_agg(DISTINCT brief, E'\n' ORDER BY brief) FROM hits WHERE item_id = i.id)
FROM items i
WHERE to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(content, ''))
      @@ plainto_tsquery('simple', $1)
ORDER BY i.first_seen DESC LIMIT $2)sql",
                                                    PgParams().add(words).add(limit)),
                                   [](const PgRow& row) { return read_search_result(row); });
}

}  // namespace signalmon::store
