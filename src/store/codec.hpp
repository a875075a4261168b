// What every backend shares about rows: how values are kept in columns (string lists as JSON
// arrays, the 64 SimHash bits as a signed integer), the column lists the reads select and how a
// row becomes a value, and the one rule for whether an alert joins a story cluster. A Row reads
// column i of the current row with text(i), integer(i) and optional_integer(i).
#pragma once

#include <bit>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.hpp"

namespace signalmon::store {

std::string to_json_array(const std::vector<std::string>& values);
std::vector<std::string> from_json_array(const std::string& text);
// Item fields as a JSON object; most items have none.
std::string to_json_object(const std::map<std::string, std::string, std::less<>>& fields);
std::map<std::string, std::string, std::less<>> from_json_object(const std::string& text);
// A list aggregated into one column as lines (group_concat / string_agg with a newline).
std::vector<std::string> from_lines(const std::string& joined);

// Database integers are signed; the 64 SimHash bits are stored as they are.
inline std::int64_t to_column(std::uint64_t hash) { return std::bit_cast<std::int64_t>(hash); }
inline std::uint64_t from_column(std::int64_t value) { return std::bit_cast<std::uint64_t>(value); }

// Whether alert is a copy of the story of a cluster with this link and SimHash.
bool same_story(const AlertRequest& alert, std::string_view cluster_link, std::int64_t cluster_simhash,
                const ClusterPolicy& clustering);

constexpr std::string_view k_feed_columns =
    "id, url, title, etag, last_modified, last_poll, last_success, last_error, consecutive_failures, item_count, "
    "not_modified_count, next_poll, redirect_url, last_body_bytes, bytes_saved, tracked_since, last_new_item, "
    "first_failure, health_alerted";

template <class Row>
FeedState read_feed_state(const Row& row) {
    FeedState state;
    state.id = row.text(0);
    state.url = row.text(1);
    state.title = row.text(2);
    state.etag = row.text(3);
    state.last_modified = row.text(4);
    state.last_poll = row.optional_integer(5);
    state.last_success = row.optional_integer(6);
    state.last_error = row.text(7);
    state.consecutive_failures = row.integer(8);
    state.item_count = row.integer(9);
    state.not_modified_count = row.integer(10);
    state.next_poll = row.optional_integer(11);
    state.redirect_url = row.text(12);
    state.last_body_bytes = row.integer(13);
    state.bytes_saved = row.integer(14);
    state.tracked_since = row.optional_integer(15);
    state.last_new_item = row.optional_integer(16);
    state.first_failure = row.optional_integer(17);
    state.health_alerted = row.integer(18) != 0;
    return state;
}

constexpr std::string_view k_item_columns =
    "id, feed_id, first_seen, key, title, link, published, updated, author, categories, summary, content, fields";

template <class Row>
StoredItem read_item(const Row& row) {
    StoredItem stored;
    stored.row_id = row.integer(0);
    stored.feed_id = row.text(1);
    stored.first_seen = row.integer(2);
    stored.item.key = row.text(3);
    stored.item.title = row.text(4);
    stored.item.link = row.text(5);
    stored.item.published = row.optional_integer(6);
    stored.item.updated = row.optional_integer(7);
    stored.item.author = row.text(8);
    stored.item.categories = from_json_array(row.text(9));
    stored.item.summary = row.text(10);
    stored.item.content = row.text(11);
    stored.item.fields = from_json_object(row.text(12));
    return stored;
}

constexpr std::string_view k_outbox_columns =
    "id, idempotency_key, channel, status, digest, brief, summary, payload, created_at, queued_at, not_before, "
    "attempts, last_attempt, last_error, sent_at, digest_id, kind";

template <class Row>
OutboxRow read_outbox_row(const Row& row) {
    OutboxRow out;
    out.id = row.integer(0);
    out.idempotency_key = row.text(1);
    out.channel = row.text(2);
    out.status = row.text(3);
    out.digest = row.integer(4) != 0;
    out.brief = row.text(5);
    out.summary = row.text(6);
    out.payload = row.text(7);
    out.created_at = row.integer(8);
    out.queued_at = row.integer(9);
    out.not_before = row.integer(10);
    out.attempts = row.integer(11);
    out.last_attempt = row.optional_integer(12);
    out.last_error = row.text(13);
    out.sent_at = row.optional_integer(14);
    out.digest_id = row.optional_integer(15);
    out.kind = row.text(16);
    return out;
}

// The hits query's select list, over hits h joined with their items i.
constexpr std::string_view k_hit_columns =
    "h.found_at, h.brief, h.signal, h.kind, h.weight, h.score, h.alerting, i.feed_id, i.key, i.title, i.link, "
    "i.published, h.terms, h.snippet, h.replayed";

template <class Row>
HitRow read_hit_row(const Row& row) {
    HitRow hit;
    hit.found_at = row.integer(0);
    hit.brief = row.text(1);
    hit.signal = row.text(2);
    hit.kind = row.text(3);
    hit.weight = row.integer(4);
    hit.score = row.integer(5);
    hit.alerting = row.integer(6) != 0;
    hit.feed = row.text(7);
    hit.item_key = row.text(8);
    hit.title = row.text(9);
    hit.link = row.text(10);
    hit.published = row.optional_integer(11);
    hit.terms = from_json_array(row.text(12));
    hit.snippet = row.text(13);
    hit.replayed = row.integer(14) != 0;
    return hit;
}

// The ledger query's columns: item row, brief, kind, score, evidence time, feed, item key, title,
// link, cluster.
template <class Row>
LedgerHit read_ledger_hit(const Row& row) {
    return LedgerHit{.item_row = row.integer(0),
                     .brief = row.text(1),
                     .kind = row.text(2),
                     .score = row.integer(3),
                     .evidence_at = row.integer(4),
                     .feed = row.text(5),
                     .item_key = row.text(6),
                     .title = row.text(7),
                     .link = row.text(8),
                     .cluster = row.optional_integer(9)};
}

// The search query's columns: feed, item key, title, link, first seen, published, excerpt, and
// the briefs with a hit on the item as lines.
template <class Row>
SearchResult read_search_result(const Row& row) {
    return SearchResult{.feed = row.text(0),
                        .item_key = row.text(1),
                        .title = row.text(2),
                        .link = row.text(3),
                        .first_seen = row.integer(4),
                        .published = row.optional_integer(5),
                        .excerpt = row.text(6),
                        .briefs = from_lines(row.text(7))};
}

}  // namespace signalmon::store
