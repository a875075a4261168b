// SqliteStore: schema migration on open, per-poll transactions, hit queries.
#include "store/sqlite_store.hpp"

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <variant>

#include "store/codec.hpp"
#include "store/migrations.hpp"

namespace signalmon::store {

SqliteStore::SqliteStore(const std::filesystem::path& path, OpenMode mode)
    : m_path(path), m_db(path, mode == OpenMode::read_only ? Database::Mode::read_only : Database::Mode::read_write) {
    // Checked before anything is written: a writer must not vacuum or migrate a schema it does not know.
    const int known_version = static_cast<int>(migrations().size());
    if (const int version = schema_version(); version > known_version) {
        throw SqliteError(path.string() + " has schema version " + std::to_string(version) +
                          ", newer than this signalmon knows (" + std::to_string(known_version) +
                          "): upgrade signalmon");
    }
    struct stat opened {};
    if (::stat(path.c_str(), &opened) != 0) {
        throw SqliteError("opening " + path.string() + ": " + std::strerror(errno));
    }
    m_device = opened.st_dev;
    m_inode = opened.st_ino;
    if (mode == OpenMode::read_only) return;
    // Each poll's commit writes its pages to the WAL one pwrite at a time and checkpoints copy them
    // again; 8 KiB pages hold several ~2 KB items each and cut ingest's store time by about a
    // third (docs/benchmarks.md). SQLite applies this only to a new database; older stores keep theirs.
    m_db.execute("PRAGMA page_size=8192");
    use_incremental_vacuum();
    // WAL lets signalctl read while the daemon writes; NORMAL sync is durable across crashes of the
    // process (not of the OS) and still safe for the database's integrity.
    m_db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    for (int version = schema_version(); version < known_version; ++version) {
        Transaction transaction(m_db);
        m_db.execute(migrations()[static_cast<std::size_t>(version)].sqlite);
        m_db.execute("PRAGMA user_version=" + std::to_string(version + 1));
        transaction.commit();
    }
}

// auto_vacuum only takes effect if set before the first table is created, or by a VACUUM after it,
// so a store made by an older signalmon is rewritten once here.
void SqliteStore::use_incremental_vacuum() {
    constexpr std::int64_t k_incremental = 2;
    const auto read_number = [this](std::string_view sql) {
        Statement statement = m_db.prepare(sql);
        statement.step();
        return statement.column_int(0);
    };  // each statement is finished before VACUUM, which refuses to run beside one
    if (read_number("PRAGMA auto_vacuum") == k_incremental) return;
    const bool empty = read_number("SELECT count(*) FROM sqlite_master") == 0;
    m_db.execute("PRAGMA auto_vacuum=INCREMENTAL");
    if (!empty) m_db.execute("VACUUM");
}

Statement& SqliteStore::prepared(std::optional<Statement>& slot, std::string_view sql) {
    if (!slot) {
        slot.emplace(m_db.handle(), sql);
    }
    slot->reset();  // a statement an earlier failure left mid-step would refuse new bindings
    return *slot;
}

int SqliteStore::schema_version() {
    Statement statement = m_db.prepare("PRAGMA user_version");
    statement.step();
    return static_cast<int>(statement.column_int(0));
}

std::expected<void, std::string> SqliteStore::probe_write(std::uint64_t min_free_bytes) {
    try {
        // Rewriting user_version as it is dirties the header page, so the commit needs the WAL to
        // take a frame, as any real write would.
        const int version = schema_version();
        Transaction transaction(m_db);
        m_db.execute("PRAGMA user_version=" + std::to_string(version));
        transaction.commit();
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
    struct statvfs filesystem {};
    if (::statvfs(m_path.parent_path().empty() ? "." : m_path.parent_path().c_str(), &filesystem) != 0) {
        return std::unexpected("checking free space for " + m_path.string() + ": " + std::strerror(errno));
    }
    if (const std::uint64_t free_bytes = std::uint64_t{filesystem.f_bavail} * filesystem.f_frsize;
        free_bytes < min_free_bytes) {
        return std::unexpected("only " + std::to_string(free_bytes / 1024) + " KiB free for " + m_path.string() +
                               " (waiting for " + std::to_string(min_free_bytes / 1024) + " KiB)");
    }
    return {};
}

std::expected<void, std::string> SqliteStore::check_same_file() const {
    struct stat now {};
    if (::stat(m_path.c_str(), &now) != 0) {
        return std::unexpected(m_path.string() + " was deleted while in use (" + std::strerror(errno) + ")");
    }
    if (now.st_dev != m_device || now.st_ino != m_inode) {
        return std::unexpected(m_path.string() + " was replaced by another file while in use (inode " +
                               std::to_string(m_inode) + ", now " + std::to_string(now.st_ino) + ")");
    }
    return {};
}

std::expected<std::optional<FeedState>, std::string> SqliteStore::feed_state(std::string_view feed_id) {
    return reading([&]() -> std::optional<FeedState> {
        Statement statement = m_db.prepare("SELECT " + std::string(k_feed_columns) + " FROM feeds WHERE id = ?");
        statement.bind(1, feed_id);
        if (!statement.step()) return std::nullopt;
        return read_feed_state(SqliteRow{statement});
    });
}

std::expected<std::vector<FeedState>, std::string> SqliteStore::feed_states() {
    return reading([&] {
        Statement statement = m_db.prepare("SELECT " + std::string(k_feed_columns) + " FROM feeds ORDER BY id");
        std::vector<FeedState> states;
        while (statement.step()) states.push_back(read_feed_state(SqliteRow{statement}));
        return states;
    });
}

std::expected<std::vector<const feed::Item*>, std::string> SqliteStore::filter_new(std::string_view feed_id,
                                                                                   std::span<const feed::Item> items) {
    try {
        Statement& exists = prepared(m_item_exists, "SELECT 1 FROM items WHERE feed_id = ? AND key = ?");
        std::vector<const feed::Item*> fresh;
        for (const feed::Item& item : items) {
            exists.bind(1, feed_id).bind(2, item.key);
            if (!exists.step()) fresh.push_back(&item);
            exists.reset();
        }
        return fresh;
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

// The whole row is written: advance_state() computed it, so what a poll does to a feed is said once.
void SqliteStore::write_feed_state(const FeedState& state) {
    Statement& write = prepared(m_write_feed, R"sql(
INSERT INTO feeds (id, url, title, etag, last_modified, last_poll, last_success, last_error, consecutive_failures,
                   item_count, not_modified_count, next_poll, redirect_url, last_body_bytes, bytes_saved,
                   tracked_since, last_new_item, first_failure, health_alerted)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
ON CONFLICT (id) DO UPDATE SET
    url = excluded.url, title = excluded.title, etag = excluded.etag, last_modified = excluded.last_modified,
    last_poll = excluded.last_poll, last_success = excluded.last_success, last_error = excluded.last_error,
    consecutive_failures = excluded.consecutive_failures, item_count = excluded.item_count,
    not_modified_count = excluded.not_modified_count, next_poll = excluded.next_poll,
    redirect_url = excluded.redirect_url, last_body_bytes = excluded.last_body_bytes,
    bytes_saved = excluded.bytes_saved, tracked_since = excluded.tracked_since,
    last_new_item = excluded.last_new_item, first_failure = excluded.first_failure,
    health_alerted = excluded.health_alerted)sql");
    write.bind(1, state.id).bind(2, state.url).bind(3, state.title).bind(4, state.etag).bind(5, state.last_modified);
    write.bind(6, state.last_poll).bind(7, state.last_success).bind(8, state.last_error);
    write.bind(9, state.consecutive_failures).bind(10, state.item_count).bind(11, state.not_modified_count);
    write.bind(12, state.next_poll).bind(13, state.redirect_url).bind(14, state.last_body_bytes);
    write.bind(15, state.bytes_saved).bind(16, state.tracked_since).bind(17, state.last_new_item);
    write.bind(18, state.first_failure).bind(19, std::int64_t{state.health_alerted}).run();
}

std::expected<std::size_t, std::string> SqliteStore::write_poll(const PollWrite& write) {
    try {
        Transaction transaction(m_db);
        write_feed_state(write.state);
        Statement& insert_item = prepared(m_insert_item, R"sql(
INSERT INTO items (feed_id, key, title, link, published, updated, author, categories, summary, content, first_seen,
                   last_seen, fields)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12) ON CONFLICT DO NOTHING)sql");
        Statement& insert_hit = prepared(m_insert_hit, R"sql(
INSERT INTO hits (item_id, brief, signal, kind, weight, score, alerting, terms, snippet, found_at, rules_hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING)sql");
        // Every bound string outlives its statement's run(), so none is copied (bind_static).
        const std::string& feed_id = write.state.id;
        std::size_t hit_count = 0;
        for (const NewItem& entry : write.new_items) {
            const feed::Item& item = *entry.item;
            const std::string categories = to_json_array(item.categories);
            const std::string fields = to_json_object(item.fields);
            insert_item.bind_static(1, feed_id).bind_static(2, item.key).bind_static(3, item.title);
            insert_item.bind_static(4, item.link).bind(5, item.published).bind(6, item.updated);
            insert_item.bind_static(7, item.author).bind_static(8, categories).bind_static(9, item.summary);
            insert_item.bind_static(10, item.content).bind(11, write.found_at).bind_static(12, fields).run();
            if (m_db.changes() == 0) continue;  // stored by an earlier poll: matched once already
            const std::int64_t item_id = m_db.last_insert_rowid();
            for (const score::Verdict& verdict : entry.verdicts) {
                for (const score::SignalHit& hit : verdict.hits) {
                    const std::string terms = to_json_array(hit.terms);
                    insert_hit.bind(1, item_id).bind_static(2, verdict.brief_id).bind_static(3, hit.signal_id);
                    insert_hit.bind_static(4, rules::kind_name(hit.kind)).bind(5, std::int64_t{hit.weight});
                    insert_hit.bind(6, std::int64_t{verdict.score(hit.kind)})
                        .bind(7, std::int64_t{verdict.alerting_for(hit.kind)});
                    insert_hit.bind_static(8, terms).bind_static(9, hit.snippet).bind(10, write.found_at);
                    insert_hit.bind_static(11, write.rules_hash).run();
                    hit_count += static_cast<std::size_t>(m_db.changes());
                }
            }
            for (const AlertRequest& alert : entry.alerts)
                enqueue_alert(item_id, alert, write.found_at, write.clustering);
        }
        touch_items(feed_id, write.listed, write.found_at);
        if (write.health_alert) enqueue_health_alert(*write.health_alert, write.found_at);
        transaction.commit();
        return hit_count;
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

void SqliteStore::touch_items(std::string_view feed_id, std::span<const feed::Item> items, UnixTime seen_at) {
    constexpr std::int64_t k_touch_every = 24 * 3600;
    Statement& touch =
        prepared(m_touch_item, "UPDATE items SET last_seen = ?3 WHERE feed_id = ?1 AND key = ?2 AND last_seen < ?4");
    for (const feed::Item& item : items) {
        touch.bind(1, feed_id).bind(2, item.key).bind(3, seen_at).bind(4, seen_at - k_touch_every).run();
    }
}

// Retention deletes share one shape: a DELETE of at most ?2 rows older than ?1.
std::expected<std::size_t, std::string> SqliteStore::delete_batch(std::string_view sql, UnixTime before, int batch) {
    try {
        m_db.prepare(sql).bind(1, before).bind(2, std::int64_t{batch}).run();
        return static_cast<std::size_t>(m_db.changes());
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

std::expected<std::size_t, std::string> SqliteStore::prune_hits(UnixTime found_before, int batch) {
    return delete_batch(
        "DELETE FROM hits WHERE id IN (SELECT id FROM hits WHERE found_at < ?1 ORDER BY found_at LIMIT ?2)",
        found_before, batch);
}

std::expected<std::size_t, std::string> SqliteStore::prune_delivered_alerts(UnixTime sent_before, int batch) {
    return delete_batch(R"sql(
DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox o WHERE o.status IN ('sent', 'folded') AND coalesce(o.sent_at, o.queued_at) < ?1
      AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.digest_id = o.id)
    LIMIT ?2))sql",
                        sent_before, batch);
}

std::expected<std::size_t, std::string> SqliteStore::prune_items(UnixTime unseen_since, int batch) {
    return delete_batch(R"sql(
DELETE FROM items WHERE id IN (
    SELECT id FROM items i WHERE i.last_seen < ?1 AND NOT EXISTS (SELECT 1 FROM hits h WHERE h.item_id = i.id)
    ORDER BY i.last_seen LIMIT ?2))sql",
                        unseen_since, batch);
}

std::expected<bool, std::string> SqliteStore::reclaim_space() {
    try {
        const std::int64_t free_before = free_pages();
        if (free_before == 0) return false;
        // The pragma frees one page per step of its (empty) result.
        Statement vacuum = m_db.prepare("PRAGMA incremental_vacuum(" + std::to_string(k_vacuum_pages) + ")");
        while (vacuum.step()) {
        }
        // A store that is not in incremental mode keeps its free pages: report none freed, not a spin.
        return free_pages() < free_before;
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

std::int64_t SqliteStore::free_pages() {
    Statement count = m_db.prepare("PRAGMA freelist_count");
    count.step();
    return count.column_int(0);
}

std::expected<StoreTotals, std::string> SqliteStore::totals() {
    return reading([&] {
        Statement count = m_db.prepare("SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM hits)");
        count.step();
        return StoreTotals{.items = count.column_int(0), .hits = count.column_int(1)};
    });
}

std::expected<std::vector<std::pair<std::string, std::int64_t>>, std::string> SqliteStore::outbox_counts() {
    return reading([&] {
        Statement by_status = m_db.prepare(R"sql(
WITH states(status) AS (VALUES ('pending'), ('held'), ('sent'), ('failed'), ('folded'))
SELECT states.status, count(outbox.id) FROM states LEFT JOIN outbox USING (status) GROUP BY 1 ORDER BY 1)sql");
        std::vector<std::pair<std::string, std::int64_t>> counts;
        while (by_status.step()) counts.emplace_back(by_status.column_text(0), by_status.column_int(1));
        return counts;
    });
}

std::vector<std::string> SqliteStore::hit_briefs() {
    Statement statement = m_db.prepare("SELECT DISTINCT brief FROM hits ORDER BY brief");
    std::vector<std::string> briefs;
    while (statement.step()) briefs.push_back(statement.column_text(0));
    return briefs;
}

std::vector<HitRow> SqliteStore::query_hits(const HitQuery& query) {
    const SqlStatement sql = hits_query_sql(query, SqlDialect::sqlite);
    Statement statement = m_db.prepare(sql.text);
    for (std::size_t index = 0; index < sql.parameters.size(); ++index) {
        std::visit([&](const auto& value) { statement.bind(static_cast<int>(index + 1), value); },
                   sql.parameters[index]);
    }
    std::vector<HitRow> rows;
    while (statement.step()) {
        rows.push_back(read_hit_row(SqliteRow{statement}));
    }
    return rows;
}

std::optional<StoredItem> SqliteStore::item(std::string_view feed_id, std::string_view key) {
    Statement statement =
        m_db.prepare("SELECT " + std::string(k_item_columns) + " FROM items WHERE feed_id = ? AND key = ?");
    statement.bind(1, feed_id).bind(2, key);
    if (!statement.step()) return std::nullopt;
    return read_item(SqliteRow{statement});
}

std::vector<StoredItem> SqliteStore::items_since(UnixTime since) {
    Statement statement = m_db.prepare("SELECT " + std::string(k_item_columns) +
                                       " FROM items WHERE first_seen >= ? ORDER BY first_seen, id");
    statement.bind(1, since);
    std::vector<StoredItem> items;
    while (statement.step()) items.push_back(read_item(SqliteRow{statement}));
    return items;
}

std::vector<StoredHit> SqliteStore::hits_of_items_since(UnixTime since) {
    Statement statement = m_db.prepare(R"sql(
SELECT h.item_id, h.brief, h.signal FROM hits h JOIN items i ON i.id = h.item_id
WHERE i.first_seen >= ? ORDER BY h.item_id, h.brief, h.signal)sql");
    statement.bind(1, since);
    std::vector<StoredHit> hits;
    while (statement.step())
        hits.push_back({statement.column_int(0), statement.column_text(1), statement.column_text(2)});
    return hits;
}

std::expected<std::size_t, std::string> SqliteStore::record_replayed(std::span<const ReplayHit> hits, UnixTime found_at,
                                                                     std::string_view rules_hash,
                                                                     std::span<const ReplayAlert> alerts,
                                                                     const ClusterPolicy& clustering) {
    try {
        Transaction transaction(m_db);
        Statement insert_hit = m_db.prepare(R"sql(
INSERT INTO hits (item_id, brief, signal, kind, weight, score, alerting, terms, snippet, found_at, replayed, rules_hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) ON CONFLICT DO NOTHING)sql");
        std::size_t added = 0;
        for (const ReplayHit& entry : hits) {
            insert_hit.bind(1, entry.item_row).bind(2, entry.brief).bind(3, entry.hit.signal_id);
            insert_hit.bind(4, rules::kind_name(entry.hit.kind)).bind(5, std::int64_t{entry.hit.weight});
            insert_hit.bind(6, std::int64_t{entry.score}).bind(7, std::int64_t{entry.alerting});
            insert_hit.bind(8, to_json_array(entry.hit.terms)).bind(9, entry.hit.snippet).bind(10, found_at);
            insert_hit.bind(11, rules_hash).run();
            added += static_cast<std::size_t>(m_db.changes());
        }
        for (const ReplayAlert& alert : alerts) enqueue_alert(alert.item_row, alert.request, found_at, clustering);
        transaction.commit();
        return added;
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

std::expected<HitCounts, std::string> SqliteStore::hit_counts_since(UnixTime since) {
    return reading([&] {
        // Today's hits are a short range of hits_by_found_at; left to itself SQLite walks a whole
        // (brief, …) index to group without sorting.
        Statement statement = m_db.prepare(
            "SELECT brief, signal, COUNT(*) FROM hits INDEXED BY hits_by_found_at WHERE found_at >= ? "
            "GROUP BY brief, signal");
        statement.bind(1, since);
        HitCounts counts;
        while (statement.step()) {
            counts.emplace(std::pair{statement.column_text(0), statement.column_text(1)}, statement.column_int(2));
        }
        return counts;
    });
}

std::expected<std::size_t, std::string> SqliteStore::prune_item_text(UnixTime before, std::int64_t limit) {
    try {
        Statement prune = m_db.prepare(R"sql(
UPDATE items SET summary = '', content = '' WHERE id IN (
  SELECT id FROM items WHERE first_seen >= ?1 AND first_seen < ?2 AND (summary != '' OR content != '')
  ORDER BY first_seen LIMIT ?3)
RETURNING first_seen)sql");
        prune.bind(1, m_item_text_pruned_before).bind(2, before).bind(3, limit);
        std::int64_t cleared = 0;
        UnixTime newest = m_item_text_pruned_before;
        while (prune.step()) {
            ++cleared;
            newest = std::max(newest, prune.column_int(0));
        }
        // A full batch may have left items first seen at `newest` itself: the next call starts there.
        m_item_text_pruned_before = std::max(m_item_text_pruned_before, cleared < limit ? before : newest);
        return static_cast<std::size_t>(cleared);
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

std::expected<std::size_t, std::string> SqliteStore::index_for_search(std::int64_t limit) {
    try {
        Transaction transaction(m_db);
        Statement last = m_db.prepare(R"sql(
SELECT max(id) FROM (SELECT id FROM items WHERE id > (SELECT upto FROM items_fts_indexed) ORDER BY id LIMIT ?1))sql");
        last.bind(1, limit);
        if (!last.step() || last.column_is_null(0)) return std::size_t{0};
        const std::int64_t upto = last.column_int(0);
        Statement index = m_db.prepare(R"sql(
INSERT INTO items_fts (rowid, title, summary, content)
SELECT id, title, summary, content FROM items WHERE id > (SELECT upto FROM items_fts_indexed) AND id <= ?1)sql");
        index.bind(1, upto);
        index.step();
        const int added = m_db.changes();
        Statement advance = m_db.prepare("UPDATE items_fts_indexed SET upto = ?1");
        advance.bind(1, upto);
        advance.step();
        transaction.commit();
        return static_cast<std::size_t>(added);
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

}  // namespace signalmon::store
