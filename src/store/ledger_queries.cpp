// Read-only queries behind the ledger and the web view: hits per item, brief and kind with the
// item's alert cluster, and full-text search over stored items.
#include <algorithm>
#include <string>

#include "store/codec.hpp"
#include "store/sqlite_store.hpp"
#include "text/ascii.hpp"

namespace signalmon::store {
namespace {

// Plain words as an FTS5 query: each word a quoted string (quotes doubled), all of them required,
// so operators, column filters and stray quotes in the words are only text.
std::string fts_query(std::string_view words) {
    std::string query;
    std::size_t at = 0;
    while (at < words.size()) {
        const std::size_t start = words.find_first_not_of(" \t\r\n", at);
        if (start == std::string_view::npos) break;
        const std::size_t end = std::min(words.find_first_of(" \t\r\n", start), words.size());
        const std::string_view word = words.substr(start, end - start);
        at = end;
        // A word of punctuation only has no token: as an empty phrase it would match nothing.
        if (std::ranges::none_of(word, [](char c) {
                return text::is_ascii_alpha(c) || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80;
            }))
            continue;
        query += query.empty() ? "\"" : " \"";
        for (const char c : word) {
            if (c == '"') query += '"';
            query += c;
        }
        query += '"';
    }
    return query;
}

}  // namespace

std::vector<LedgerHit> SqliteStore::ledger_hits(const LedgerQuery& query) {
    Statement statement = m_db.prepare(R"sql(
SELECT h.item_id, h.brief, h.kind, MAX(h.score),
       MIN(COALESCE(i.published, i.first_seen), i.first_seen) AS evidence_at,
       i.feed_id, i.key, i.title, i.link,
       (SELECT MIN(c.id) FROM alert_cluster_members m JOIN alert_clusters c ON c.id = m.cluster_id
        WHERE m.item_id = h.item_id AND c.brief = h.brief)
FROM hits h JOIN items i ON i.id = h.item_id
WHERE (?1 = '' OR h.brief = ?1)
GROUP BY h.item_id, h.brief, h.kind
HAVING (?2 IS NULL OR evidence_at >= ?2)
ORDER BY h.brief, evidence_at, h.item_id)sql");
    statement.bind(1, query.brief).bind(2, query.since);
    std::vector<LedgerHit> rows;
    while (statement.step()) rows.push_back(read_ledger_hit(SqliteRow{statement}));
    return rows;
}

std::vector<SearchResult> SqliteStore::search_items(std::string_view words, std::int64_t limit) {
    const std::string match = fts_query(words);
    if (match.empty()) return {};
    // The excerpt comes from whichever column matched best; \x02 and \x03 cannot occur in stored
    // text (controls are stripped at ingest), so they mark the words found unambiguously.
    Statement statement = m_db.prepare(R"sql(
SELECT i.feed_id, i.key, i.title, i.link, i.first_seen, i.published,
       snippet(items_fts, -1, char(2), char(3), '…', 24),
       (SELECT group_concat(brief, char(10)) FROM (SELECT DISTINCT brief FROM hits WHERE item_id = i.id ORDER BY brief))
FROM items_fts JOIN items i ON i.id = items_fts.rowid
WHERE items_fts MATCH ?1
ORDER BY rank LIMIT ?2)sql");
    statement.bind(1, match).bind(2, limit);
    std::vector<SearchResult> results;
    while (statement.step()) results.push_back(read_search_result(SqliteRow{statement}));
    return results;
}

}  // namespace signalmon::store
