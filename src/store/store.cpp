// Store: schema migration on open, per-poll transactions, hit queries.
#include "store/store.hpp"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "store/migrations.hpp"

namespace signalmon::store {
namespace {

std::string to_json_array(const std::vector<std::string>& values) {
    if (values.empty()) return "[]";  // most items have no categories: skip building a JSON value
    return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> from_json_array(const std::string& text) {
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_array()) return {};
    return parsed.get<std::vector<std::string>>();
}

constexpr std::string_view k_feed_columns =
    "id, url, title, etag, last_modified, last_poll, last_success, last_error, consecutive_failures, item_count, "
    "not_modified_count, next_poll, redirect_url, last_body_bytes, bytes_saved, tracked_since, last_new_item, "
    "first_failure, health_alerted";

FeedState read_feed_state(const Statement& row) {
    FeedState state;
    state.id = row.column_text(0);
    state.url = row.column_text(1);
    state.title = row.column_text(2);
    state.etag = row.column_text(3);
    state.last_modified = row.column_text(4);
    state.last_poll = row.column_optional_int(5);
    state.last_success = row.column_optional_int(6);
    state.last_error = row.column_text(7);
    state.consecutive_failures = row.column_int(8);
    state.item_count = row.column_int(9);
    state.not_modified_count = row.column_int(10);
    state.next_poll = row.column_optional_int(11);
    state.redirect_url = row.column_text(12);
    state.last_body_bytes = row.column_int(13);
    state.bytes_saved = row.column_int(14);
    state.tracked_since = row.column_optional_int(15);
    state.last_new_item = row.column_optional_int(16);
    state.first_failure = row.column_optional_int(17);
    state.health_alerted = row.column_int(18) != 0;
    return state;
}

constexpr std::string_view k_item_columns =
    "id, feed_id, first_seen, key, title, link, published, updated, author, categories, summary, content";

StoredItem read_item(const Statement& row) {
    StoredItem stored;
    stored.row_id = row.column_int(0);
    stored.feed_id = row.column_text(1);
    stored.first_seen = row.column_int(2);
    stored.item.key = row.column_text(3);
    stored.item.title = row.column_text(4);
    stored.item.link = row.column_text(5);
    stored.item.published = row.column_optional_int(6);
    stored.item.updated = row.column_optional_int(7);
    stored.item.author = row.column_text(8);
    stored.item.categories = from_json_array(row.column_text(9));
    stored.item.summary = row.column_text(10);
    stored.item.content = row.column_text(11);
    return stored;
}

}  // namespace

Store::Store(const std::filesystem::path& path, Database::Mode mode) : m_path(path), m_db(path, mode) {
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
    if (mode == Database::Mode::read_only) return;
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
        m_db.execute(migrations()[static_cast<std::size_t>(version)]);
        m_db.execute("PRAGMA user_version=" + std::to_string(version + 1));
        transaction.commit();
    }
}

// auto_vacuum only takes effect if set before the first table is created, or by a VACUUM after it,
// so a store made by an older signalmon is rewritten once here.
void Store::use_incremental_vacuum() {
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

Statement& Store::prepared(std::optional<Statement>& slot, std::string_view sql) {
    if (!slot) {
        slot.emplace(m_db.handle(), sql);
    }
    slot->reset();  // a statement an earlier failure left mid-step would refuse new bindings
    return *slot;
}

int Store::schema_version() {
    Statement statement = m_db.prepare("PRAGMA user_version");
    statement.step();
    return static_cast<int>(statement.column_int(0));
}

std::expected<void, std::string> Store::probe_write(std::uint64_t min_free_bytes) {
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

std::expected<void, std::string> Store::check_same_file() const {
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

std::expected<std::optional<FeedState>, std::string> Store::feed_state(std::string_view feed_id) {
    return reading([&]() -> std::optional<FeedState> {
        Statement statement = m_db.prepare("SELECT " + std::string(k_feed_columns) + " FROM feeds WHERE id = ?");
        statement.bind(1, feed_id);
        if (!statement.step()) return std::nullopt;
        return read_feed_state(statement);
    });
}

std::vector<FeedState> Store::feed_states() {
    Statement statement = m_db.prepare("SELECT " + std::string(k_feed_columns) + " FROM feeds ORDER BY id");
    std::vector<FeedState> states;
    while (statement.step()) states.push_back(read_feed_state(statement));
    return states;
}

std::expected<std::vector<const feed::Item*>, std::string> Store::filter_new(std::string_view feed_id,
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

std::expected<std::size_t, std::string> Store::record_poll(const PollRecord& poll, std::span<const NewItem> new_items,
                                                           UnixTime found_at, const ClusterPolicy& clustering) {
    try {
        Transaction transaction(m_db);
        const bool ok = poll.status != PollRecord::Status::failed;
        Statement& upsert_feed = prepared(m_upsert_feed, R"sql(
INSERT INTO feeds (id, url, last_poll, tracked_since, next_poll, redirect_url) VALUES (?1, ?2, ?3, ?3, ?4, ?5)
ON CONFLICT (id) DO UPDATE SET
    redirect_url = CASE WHEN ?5 != '' THEN ?5 WHEN url = ?2 THEN redirect_url ELSE '' END,
    url = ?2, last_poll = ?3, next_poll = ?4)sql");
        upsert_feed.bind(1, poll.feed_id).bind(2, poll.url).bind(3, poll.polled_at).bind(4, poll.next_poll);
        upsert_feed.bind(5, poll.redirect_url).run();
        if (ok) {
            Statement& success = prepared(m_feed_success, R"sql(
UPDATE feeds SET last_success = ?2, last_error = '', consecutive_failures = 0,
    title = CASE WHEN ?3 = '' THEN title ELSE ?3 END,
    etag = CASE WHEN ?4 = 1 THEN etag ELSE ?5 END,
    last_modified = CASE WHEN ?4 = 1 THEN last_modified ELSE ?6 END,
    not_modified_count = not_modified_count + ?4,
    item_count = item_count + ?7,
    bytes_saved = bytes_saved + CASE WHEN ?4 = 1 THEN last_body_bytes ELSE 0 END,
    last_body_bytes = CASE WHEN ?4 = 1 THEN last_body_bytes ELSE ?8 END,
    last_new_item = CASE WHEN ?7 > 0 THEN ?2 ELSE last_new_item END,
    first_failure = NULL
WHERE id = ?1)sql");
            const bool not_modified = poll.status == PollRecord::Status::not_modified;
            success.bind(1, poll.feed_id).bind(2, poll.polled_at).bind(3, poll.feed_title);
            success.bind(4, std::int64_t{not_modified}).bind(5, poll.etag).bind(6, poll.last_modified);
            success.bind(7, static_cast<std::int64_t>(new_items.size())).bind(8, poll.body_bytes).run();
        } else {
            Statement& failure =
                prepared(m_feed_failure,
                         "UPDATE feeds SET last_error = ?2, consecutive_failures = consecutive_failures + 1, "
                         "first_failure = COALESCE(first_failure, ?3) WHERE id = ?1");
            failure.bind(1, poll.feed_id).bind(2, poll.error).bind(3, poll.polled_at).run();
        }

        Statement& insert_item = prepared(m_insert_item, R"sql(
INSERT INTO items (feed_id, key, title, link, published, updated, author, categories, summary, content, first_seen,
                   last_seen)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11) ON CONFLICT DO NOTHING)sql");
        Statement& insert_hit = prepared(m_insert_hit, R"sql(
INSERT INTO hits (item_id, brief, signal, kind, weight, score, alerting, terms, snippet, found_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING)sql");
        // Every bound string outlives its statement's run(), so none is copied (bind_static).
        std::size_t hit_count = 0;
        for (const NewItem& entry : new_items) {
            const feed::Item& item = *entry.item;
            const std::string categories = to_json_array(item.categories);
            insert_item.bind_static(1, poll.feed_id).bind_static(2, item.key).bind_static(3, item.title);
            insert_item.bind_static(4, item.link).bind(5, item.published).bind(6, item.updated);
            insert_item.bind_static(7, item.author).bind_static(8, categories).bind_static(9, item.summary);
            insert_item.bind_static(10, item.content).bind(11, found_at).run();
            if (m_db.changes() == 0) continue;  // stored by an earlier poll: matched once already
            const std::int64_t item_id = m_db.last_insert_rowid();
            for (const score::Verdict& verdict : entry.verdicts) {
                for (const score::SignalHit& hit : verdict.hits) {
                    const std::string terms = to_json_array(hit.terms);
                    insert_hit.bind(1, item_id).bind_static(2, verdict.brief_id).bind_static(3, hit.signal_id);
                    insert_hit.bind_static(4, rules::kind_name(hit.kind)).bind(5, std::int64_t{hit.weight});
                    insert_hit.bind(6, std::int64_t{verdict.score(hit.kind)})
                        .bind(7, std::int64_t{verdict.alerting_for(hit.kind)});
                    insert_hit.bind_static(8, terms).bind_static(9, hit.snippet).bind(10, found_at).run();
                    hit_count += static_cast<std::size_t>(m_db.changes());
                }
            }
            for (const AlertRequest& alert : entry.alerts) enqueue_alert(item_id, alert, found_at, clustering);
        }
        transaction.commit();
        return hit_count;
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

std::expected<void, std::string> Store::touch_items(std::string_view feed_id, std::span<const feed::Item> items,
                                                    UnixTime seen_at) {
    constexpr std::int64_t k_touch_every = 24 * 3600;
    try {
        Transaction transaction(m_db);
        Statement touch =
            m_db.prepare("UPDATE items SET last_seen = ?3 WHERE feed_id = ?1 AND key = ?2 AND last_seen < ?4");
        for (const feed::Item& item : items) {
            touch.bind(1, feed_id).bind(2, item.key).bind(3, seen_at).bind(4, seen_at - k_touch_every).run();
        }
        transaction.commit();
        return {};
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

std::expected<void, std::string> Store::set_health_alerted(std::string_view feed_id, bool alerted) {
    try {
        m_db.prepare("UPDATE feeds SET health_alerted = ?2 WHERE id = ?1")
            .bind(1, feed_id)
            .bind(2, std::int64_t{alerted})
            .run();
        return {};
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

// Retention deletes share one shape: a DELETE of at most ?2 rows older than ?1.
std::expected<std::size_t, std::string> Store::delete_batch(std::string_view sql, UnixTime before, int batch) {
    try {
        m_db.prepare(sql).bind(1, before).bind(2, std::int64_t{batch}).run();
        return static_cast<std::size_t>(m_db.changes());
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

std::expected<std::size_t, std::string> Store::prune_hits(UnixTime found_before, int batch) {
    return delete_batch(
        "DELETE FROM hits WHERE id IN (SELECT id FROM hits WHERE found_at < ?1 ORDER BY found_at LIMIT ?2)",
        found_before, batch);
}

std::expected<std::size_t, std::string> Store::prune_delivered_alerts(UnixTime sent_before, int batch) {
    return delete_batch(R"sql(
DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox o WHERE o.status IN ('sent', 'folded') AND coalesce(o.sent_at, o.queued_at) < ?1
      AND NOT EXISTS (SELECT 1 FROM outbox r WHERE r.digest_id = o.id)
    LIMIT ?2))sql",
                        sent_before, batch);
}

std::expected<std::size_t, std::string> Store::prune_items(UnixTime unseen_since, int batch) {
    return delete_batch(R"sql(
DELETE FROM items WHERE id IN (
    SELECT id FROM items i WHERE i.last_seen < ?1 AND NOT EXISTS (SELECT 1 FROM hits h WHERE h.item_id = i.id)
    ORDER BY i.last_seen LIMIT ?2))sql",
                        unseen_since, batch);
}

std::expected<void, std::string> Store::incremental_vacuum(int pages) {
    try {
        // The pragma frees one page per step of its (empty) result.
        Statement vacuum = m_db.prepare("PRAGMA incremental_vacuum(" + std::to_string(pages) + ")");
        while (vacuum.step()) {
        }
        return {};
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

std::int64_t Store::free_pages() {
    Statement count = m_db.prepare("PRAGMA freelist_count");
    count.step();
    return count.column_int(0);
}

std::expected<StoreTotals, std::string> Store::totals() {
    return reading([&] {
        Statement count = m_db.prepare("SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM hits)");
        count.step();
        return StoreTotals{.items = count.column_int(0), .hits = count.column_int(1)};
    });
}

std::expected<std::vector<std::pair<std::string, std::int64_t>>, std::string> Store::outbox_counts() {
    return reading([&] {
        Statement by_status = m_db.prepare(R"sql(
WITH states(status) AS (VALUES ('pending'), ('held'), ('sent'), ('failed'), ('folded'))
SELECT states.status, count(outbox.id) FROM states LEFT JOIN outbox USING (status) GROUP BY 1 ORDER BY 1)sql");
        std::vector<std::pair<std::string, std::int64_t>> counts;
        while (by_status.step()) counts.emplace_back(by_status.column_text(0), by_status.column_int(1));
        return counts;
    });
}

std::string hits_query_sql(const HitQuery& query) {
    // One part per kind, each newest first and limited, so that every part walks one index range
    // (hits_by_kind, or hits_by_brief_kind with a brief) from its newest hit down and stops at the
    // limit. A single `(? IS NULL OR …)` query would walk hits_by_found_at to its end whenever
    // fewer than LIMIT hits match (--brief nosuch, --kind kill).
    std::string filters;
    if (!query.brief.empty()) filters += " AND brief = ?2";
    if (query.since) filters += " AND found_at >= ?1";
    if (query.min_score) filters += " AND score >= ?4";
    const auto part = [&](std::string_view kind) {
        return "SELECT * FROM (SELECT id, item_id, found_at, brief, signal, kind, weight, score, alerting, terms, "
               "snippet, replayed FROM hits WHERE kind = " +
               std::string(kind) + filters + " ORDER BY found_at DESC, id DESC LIMIT ?5)";
    };
    std::string parts;
    if (!query.kind.empty()) {
        parts = part("?3");
    } else {
        for (const rules::Kind kind : {rules::Kind::watch, rules::Kind::confirm, rules::Kind::kill}) {
            if (!parts.empty()) parts += " UNION ALL ";
            parts += part("'" + std::string(rules::kind_name(kind)) + "'");
        }
    }
    return "SELECT h.found_at, h.brief, h.signal, h.kind, h.weight, h.score, h.alerting, i.feed_id, i.key, i.title, "
           "i.link, i.published, h.terms, h.snippet, h.replayed FROM (" +
           parts + ") h JOIN items i ON i.id = h.item_id ORDER BY h.found_at DESC, h.id DESC LIMIT ?5";
}

std::vector<HitRow> Store::query_hits(const HitQuery& query) {
    Statement statement = m_db.prepare(hits_query_sql(query));
    // Parameters the SQL leaves out are still numbered below ?5, so binding them is harmless.
    statement.bind(1, query.since).bind(2, query.brief).bind(3, query.kind).bind(4, query.min_score);
    statement.bind(5, query.limit);
    std::vector<HitRow> rows;
    while (statement.step()) {
        HitRow row;
        row.found_at = statement.column_int(0);
        row.brief = statement.column_text(1);
        row.signal = statement.column_text(2);
        row.kind = statement.column_text(3);
        row.weight = statement.column_int(4);
        row.score = statement.column_int(5);
        row.alerting = statement.column_int(6) != 0;
        row.feed = statement.column_text(7);
        row.item_key = statement.column_text(8);
        row.title = statement.column_text(9);
        row.link = statement.column_text(10);
        row.published = statement.column_optional_int(11);
        row.terms = from_json_array(statement.column_text(12));
        row.snippet = statement.column_text(13);
        row.replayed = statement.column_int(14) != 0;
        rows.push_back(std::move(row));
    }
    return rows;
}

std::optional<StoredItem> Store::item(std::string_view feed_id, std::string_view key) {
    Statement statement =
        m_db.prepare("SELECT " + std::string(k_item_columns) + " FROM items WHERE feed_id = ? AND key = ?");
    statement.bind(1, feed_id).bind(2, key);
    if (!statement.step()) return std::nullopt;
    return read_item(statement);
}

std::vector<StoredItem> Store::items_since(UnixTime since) {
    Statement statement = m_db.prepare("SELECT " + std::string(k_item_columns) +
                                       " FROM items WHERE first_seen >= ? ORDER BY first_seen, id");
    statement.bind(1, since);
    std::vector<StoredItem> items;
    while (statement.step()) items.push_back(read_item(statement));
    return items;
}

std::vector<StoredHit> Store::hits_of_items_since(UnixTime since) {
    Statement statement = m_db.prepare(R"sql(
SELECT h.item_id, h.brief, h.signal FROM hits h JOIN items i ON i.id = h.item_id
WHERE i.first_seen >= ? ORDER BY h.item_id, h.brief, h.signal)sql");
    statement.bind(1, since);
    std::vector<StoredHit> hits;
    while (statement.step())
        hits.push_back({statement.column_int(0), statement.column_text(1), statement.column_text(2)});
    return hits;
}

std::expected<std::size_t, std::string> Store::record_replayed(std::span<const ReplayHit> hits, UnixTime found_at,
                                                               std::span<const ReplayAlert> alerts,
                                                               const ClusterPolicy& clustering) {
    try {
        Transaction transaction(m_db);
        Statement insert_hit = m_db.prepare(R"sql(
INSERT INTO hits (item_id, brief, signal, kind, weight, score, alerting, terms, snippet, found_at, replayed)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING)sql");
        std::size_t added = 0;
        for (const ReplayHit& entry : hits) {
            insert_hit.bind(1, entry.item_row).bind(2, entry.brief).bind(3, entry.hit.signal_id);
            insert_hit.bind(4, rules::kind_name(entry.hit.kind)).bind(5, std::int64_t{entry.hit.weight});
            insert_hit.bind(6, std::int64_t{entry.score}).bind(7, std::int64_t{entry.alerting});
            insert_hit.bind(8, to_json_array(entry.hit.terms)).bind(9, entry.hit.snippet).bind(10, found_at).run();
            added += static_cast<std::size_t>(m_db.changes());
        }
        for (const ReplayAlert& alert : alerts) enqueue_alert(alert.item_row, alert.request, found_at, clustering);
        transaction.commit();
        return added;
    } catch (const SqliteError& error) {
        return std::unexpected(std::string(error.what()));
    }
}

std::expected<std::int64_t, std::string> Store::count_hits_since(std::string_view brief, std::string_view signal,
                                                                 UnixTime since) {
    return reading([&] {
        Statement statement =
            m_db.prepare("SELECT COUNT(*) FROM hits WHERE brief = ? AND signal = ? AND found_at >= ?");
        statement.bind(1, brief).bind(2, signal).bind(3, since);
        statement.step();
        return statement.column_int(0);
    });
}

std::expected<std::size_t, std::string> Store::prune_item_text(UnixTime before, std::int64_t limit) {
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

}  // namespace signalmon::store
