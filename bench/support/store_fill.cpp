#include "support/store_fill.hpp"

#include "store/sqlite.hpp"
#include "store/sqlite_store.hpp"

namespace signalmon::bench {

void fill_store(const std::filesystem::path& path, std::int64_t items, std::int64_t hits, feed::UnixTime now,
                std::int64_t days) {
    const store::SqliteStore created(path, store::OpenMode::read_write);  // the schema, every migration
    store::Database db(path, store::Database::Mode::read_write);
    db.execute("BEGIN");
    const feed::UnixTime start = now - (days * 86'400);
    store::Statement insert_items = db.prepare(R"sql(
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
INSERT INTO items (id, feed_id, key, title, link, author, categories, summary, content, first_seen, last_seen)
SELECT i + 1, 'f' || (i % 1000), 'k' || i, 'Title ' || i, 'https://example.org/' || i, '', '[]', '', '',
       ?2 + (i * ?3) / ?1, ?2 + (i * ?3) / ?1 FROM n)sql");
    insert_items.bind(1, items).bind(2, start).bind(3, days * 86'400).run();
    store::Statement insert_hits = db.prepare(R"sql(
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
INSERT INTO hits (item_id, brief, signal, kind, weight, score, alerting, terms, snippet, found_at)
SELECT (i * ?4) / ?1 + 1, 'brief-' || (i % 20), 'sig-' || (i % 10),
       CASE WHEN i % 50 = 0 THEN 'kill' WHEN i % 5 = 0 THEN 'confirm' ELSE 'watch' END,
       1, 1 + (i * 7) % 10, i % 3 = 0, '["term"]', 'a snippet of the story', ?2 + (i * ?3) / ?1 FROM n)sql");
    insert_hits.bind(1, hits).bind(2, start).bind(3, days * 86'400).bind(4, items).run();
    db.execute("COMMIT");
}

}  // namespace signalmon::bench
