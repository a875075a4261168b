// Schema history. Never edit a released step: append a new one.
#include "store/migrations.hpp"

#include <array>

namespace signalmon::store {
namespace {

constexpr std::array<std::string_view, 7> k_migrations{
    // 1: feeds, items deduplicated per (feed, key), hits per (item, brief, signal).
    R"sql(
CREATE TABLE feeds (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    last_poll INTEGER,
    last_success INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    item_count INTEGER NOT NULL DEFAULT 0,
    not_modified_count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    feed_id TEXT NOT NULL,
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    link TEXT NOT NULL,
    published INTEGER,
    updated INTEGER,
    author TEXT NOT NULL,
    categories TEXT NOT NULL,
    summary TEXT NOT NULL,
    content TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    UNIQUE (feed_id, key)
);
CREATE TABLE hits (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    brief TEXT NOT NULL,
    signal TEXT NOT NULL,
    kind TEXT NOT NULL,
    weight INTEGER NOT NULL,
    score INTEGER NOT NULL,
    alerting INTEGER NOT NULL,
    terms TEXT NOT NULL,
    snippet TEXT NOT NULL,
    found_at INTEGER NOT NULL,
    UNIQUE (item_id, brief, signal)
);
CREATE INDEX hits_by_found_at ON hits (found_at);
)sql",
    // 2: alert clusters (copies of one story alert once per brief) and the durable alert outbox.
    R"sql(
CREATE TABLE alert_clusters (
    id INTEGER PRIMARY KEY,
    brief TEXT NOT NULL,
    canonical_link TEXT NOT NULL,
    simhash INTEGER NOT NULL,
    first_item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    copies INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX alert_clusters_by_brief ON alert_clusters (brief, created_at);
CREATE TABLE alert_cluster_members (
    item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    cluster_id INTEGER NOT NULL REFERENCES alert_clusters(id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, cluster_id)
);
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'held', 'sent', 'failed', 'folded')),
    digest INTEGER NOT NULL DEFAULT 0,
    item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
    brief TEXT NOT NULL,
    summary TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    queued_at INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at INTEGER,
    digest_id INTEGER REFERENCES outbox(id)
);
CREATE INDEX outbox_by_status ON outbox (status, not_before);
CREATE INDEX outbox_sent_by_channel ON outbox (channel, sent_at) WHERE status = 'sent';
)sql",
    // 3: polite fetching: the schedule survives restarts, moved feeds, 304 savings, feed health.
    R"sql(
ALTER TABLE feeds ADD COLUMN next_poll INTEGER;
ALTER TABLE feeds ADD COLUMN redirect_url TEXT NOT NULL DEFAULT '';
ALTER TABLE feeds ADD COLUMN last_body_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN bytes_saved INTEGER NOT NULL DEFAULT 0;
ALTER TABLE feeds ADD COLUMN tracked_since INTEGER;
ALTER TABLE feeds ADD COLUMN last_new_item INTEGER;
ALTER TABLE feeds ADD COLUMN first_failure INTEGER;
ALTER TABLE feeds ADD COLUMN health_alerted INTEGER NOT NULL DEFAULT 0;
UPDATE feeds SET tracked_since = last_poll;
)sql",
    // 4: when each item was last seen in its feed, so retention only forgets items that left it.
    R"sql(
ALTER TABLE items ADD COLUMN last_seen INTEGER NOT NULL DEFAULT 0;
UPDATE items SET last_seen = first_seen;
CREATE INDEX items_by_last_seen ON items (last_seen);
)sql",
    // 5: feed health alerts go through the outbox too; they belong to a feed, not to an item's hit.
    R"sql(
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'hit' CHECK (kind IN ('hit', 'health'));
)sql",
    // 6: replayed hits (found by `signalctl replay`, not by a poll) and item text retention.
    R"sql(
ALTER TABLE hits ADD COLUMN replayed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX items_by_first_seen ON items (first_seen);
CREATE INDEX hits_by_brief_signal ON hits (brief, signal, found_at);
)sql",
    // 7: `hits` queries walk one of these from the newest hit down, whatever filters are given.
    R"sql(
CREATE INDEX hits_by_kind ON hits (kind, found_at);
CREATE INDEX hits_by_brief_kind ON hits (brief, kind, found_at);
)sql",
};

}  // namespace

std::span<const std::string_view> migrations() { return k_migrations; }

}  // namespace signalmon::store
