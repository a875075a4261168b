// The SQLite state store: feed state, items (deduplicated per feed), hits. Schema changes are an
// ordered list of migrations (store/migrations.cpp) applied from the stored version.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "feed/item.hpp"
#include "score/evaluate.hpp"
#include "store/sqlite.hpp"

namespace signalmon::store {

using feed::UnixTime;

struct FeedState {
    std::string id;
    std::string url;
    std::string title;
    std::string etag;
    std::string last_modified;
    std::optional<UnixTime> last_poll;
    std::optional<UnixTime> last_success;
    std::string last_error;  // empty after a success
    std::int64_t consecutive_failures = 0;
    std::int64_t item_count = 0;
    std::int64_t not_modified_count = 0;  // polls answered 304
    std::optional<UnixTime> next_poll;
    std::string redirect_url;               // where a permanent redirect moved url; polled instead of it
    std::int64_t last_body_bytes = 0;       // of the last full answer
    std::int64_t bytes_saved = 0;           // by 304s: each counts the size of the last full answer
    std::optional<UnixTime> tracked_since;  // first poll
    std::optional<UnixTime> last_new_item;
    std::optional<UnixTime> first_failure;  // of the current run of failures
    bool health_alerted = false;
};

// What one poll of one feed produced, written in one transaction.
struct PollRecord {
    std::string feed_id;
    std::string url;
    UnixTime polled_at = 0;
    enum class Status { ok, not_modified, failed } status = Status::ok;
    std::string error;  // for failed
    std::string feed_title;
    std::string etag;
    std::string last_modified;
    std::optional<UnixTime> next_poll;
    std::string redirect_url;     // set when the poll followed a permanent redirect
    std::int64_t body_bytes = 0;  // for ok
};

// One outbox row to create for an alert: a channel it goes to, now or held for a digest.
struct OutboxDelivery {
    std::string channel;
    std::string idempotency_key;
    bool held = false;
    UnixTime not_before = 0;
};

// An alert-worthy verdict of a new item. Copies of a story already alerted for the brief (same
// canonical link, or SimHash within ClusterPolicy::max_distance bits) join that story's cluster
// instead of creating outbox rows.
struct AlertRequest {
    std::string brief;
    std::string canonical_link;
    std::uint64_t simhash = 0;
    std::string summary;  // one line for signalctl alerts
    std::string payload;  // the alert as JSON, delivered later
    std::vector<OutboxDelivery> deliveries;
};

// A feed's health alert, raised once per episode (store/outbox.cpp): the payload is the frozen
// HealthAlert, one delivery per channel with a key per (channel, feed, episode start).
struct HealthAlertRequest {
    std::string feed_id;
    std::string summary;
    std::string payload;
    std::vector<OutboxDelivery> deliveries;
};

struct ClusterPolicy {
    int max_distance = 12;
    std::int64_t window_seconds = 72 * 3600;
};

struct NewItem {
    const feed::Item* item;
    std::vector<score::Verdict> verdicts;
    std::vector<AlertRequest> alerts = {};
};

struct OutboxRow {
    std::int64_t id = 0;
    std::string idempotency_key;
    std::string channel;
    std::string status;  // pending, held (waiting for a digest), sent, failed (dead), folded (into a digest)
    bool digest = false;
    std::string kind;  // hit, or health (a feed health alert; brief is empty)
    std::string brief;
    std::string summary;
    std::string payload;
    UnixTime created_at = 0;
    UnixTime queued_at = 0;  // created, or requeued by signalctl alerts retry; max_age counts from here
    UnixTime not_before = 0;
    std::int64_t attempts = 0;
    std::optional<UnixTime> last_attempt;
    std::string last_error;
    std::optional<UnixTime> sent_at;
    std::optional<std::int64_t> digest_id;
};

struct OutboxQuery {
    std::vector<std::string> statuses;  // empty: all
    std::int64_t limit = 200;
};

// At most this many items lose their text per prune_item_text call (one per poll batch).
inline constexpr std::int64_t k_item_text_prune_batch = 5000;

struct HitQuery {
    std::optional<UnixTime> since;  // found_at >= since
    std::string brief;              // empty: any
    std::string kind;               // empty: any
    std::optional<std::int64_t> min_score;
    std::int64_t limit = 100;
};

// The SQL Store::query_hits runs for query: only the filters given, each part bounded by an index.
std::string hits_query_sql(const HitQuery& query);

struct HitRow {
    UnixTime found_at = 0;
    std::string brief;
    std::string signal;
    std::string kind;
    std::int64_t weight = 0;
    std::int64_t score = 0;
    bool alerting = false;
    std::string feed;
    std::string item_key;
    std::string title;
    std::string link;
    std::optional<UnixTime> published;
    std::vector<std::string> terms;
    std::string snippet;
    bool replayed = false;  // found by `signalctl replay`, not by a poll
};

// An item as stored, with its normalized text (empty once item_retention has passed).
struct StoredItem {
    std::int64_t row_id = 0;
    std::string feed_id;
    UnixTime first_seen = 0;
    feed::Item item;
};

// One stored hit of an item, as replay compares it with what the current rules produce.
struct StoredHit {
    std::int64_t item_row = 0;
    std::string brief;
    std::string signal;
};

// An alert for a replayed hit's item (signalctl replay --alert).
struct ReplayAlert {
    std::int64_t item_row = 0;
    AlertRequest request;
};

// A hit replay adds.
struct ReplayHit {
    std::int64_t item_row = 0;
    std::string brief;
    int score = 0;
    bool alerting = false;
    score::SignalHit hit;
};

// Row counts for the service status line.
struct StoreTotals {
    std::int64_t items = 0;
    std::int64_t hits = 0;
};

class Store {
public:
    // read_write creates the file and applies pending migrations. Both modes refuse a store whose
    // schema is newer than this build knows. Throws SqliteError (a startup error).
    Store(const std::filesystem::path& path, Database::Mode mode);

    int schema_version();

    // Whether the store takes writes again after a fault: a page rewritten and committed, and at
    // least min_free_bytes free on its filesystem, so the next poll is not what fills it up again.
    std::expected<void, std::string> probe_write(std::uint64_t min_free_bytes);

    // Whether the path still names the file opened: a deleted or replaced database would take
    // every later write into an unlinked inode that nobody can read.
    std::expected<void, std::string> check_same_file() const;

    // Reads on the poll path return their SQLite error rather than throw it: one failed read is one
    // recorded error of that feed, never a stopped daemon.
    std::expected<std::optional<FeedState>, std::string> feed_state(std::string_view feed_id);
    std::vector<FeedState> feed_states();

    // The items of feed_id not stored yet, in their order.
    std::expected<std::vector<const feed::Item*>, std::string> filter_new(std::string_view feed_id,
                                                                          std::span<const feed::Item> items);

    // Feed state, new items and their hits, all or nothing. Returns how many hits were stored.
    // Alert requests become outbox rows (or cluster members) in that same transaction.
    std::expected<std::size_t, std::string> record_poll(const PollRecord& poll, std::span<const NewItem> new_items,
                                                        UnixTime found_at, const ClusterPolicy& clustering = {});

    // The outbox (store/outbox.cpp). Throws SqliteError.
    std::vector<OutboxRow> due_outbox(UnixTime now, std::int64_t limit);  // pending, not_before <= now, oldest first
    std::vector<OutboxRow> due_held(std::string_view channel, UnixTime now);
    std::vector<std::string> channels_with_due_held(UnixTime now);
    std::optional<UnixTime> next_outbox_time();  // earliest not_before of pending and held rows
    void outbox_attempted(std::int64_t id, std::string_view status, UnixTime now, UnixTime not_before,
                          std::string_view error);  // status: sent, pending (retry) or failed
    void outbox_hold(std::int64_t id, UnixTime not_before, std::string_view reason);
    void outbox_defer(std::int64_t id, UnixTime not_before);                // not attempted: its channel is failing
    void outbox_delay_held(std::string_view channel, UnixTime not_before);  // held rows due sooner wait until then
    // Sent messages of a channel after since: how many, and when the oldest of them went.
    std::pair<std::int64_t, std::optional<UnixTime>> sent_since(std::string_view channel, UnixTime since);
    // One pending digest row replacing the held members (now folded), in one transaction.
    std::int64_t create_digest(std::string_view channel, std::string_view key, std::string_view summary,
                               std::string_view payload, const std::vector<std::int64_t>& member_ids, UnixTime now);
    std::vector<OutboxRow> query_outbox(const OutboxQuery& query);
    // Failed rows back to pending, due now, with a fresh max_age; id empty: every failed row.
    std::int64_t requeue_failed(std::optional<std::int64_t> id, UnixTime now);

    std::vector<HitRow> query_hits(const HitQuery& query);

    // Notes that these items are still in the feed (at most one write per item a day), so
    // retention never forgets an item the feed still carries: it would be matched again.
    std::expected<void, std::string> touch_items(std::string_view feed_id, std::span<const feed::Item> items,
                                                 UnixTime seen_at);

    // Retention, a batch at a time so the daemon's writes never wait long. Each returns the rows deleted.
    std::expected<std::size_t, std::string> prune_hits(UnixTime found_before, int batch);
    // Delivered alerts (sent, or folded into a digest) from before sent_before; a digest goes once
    // no folded alert points at it any more.
    std::expected<std::size_t, std::string> prune_delivered_alerts(UnixTime sent_before, int batch);
    // Items unseen in their feed since unseen_since and left with no hits.
    std::expected<std::size_t, std::string> prune_items(UnixTime unseen_since, int batch);
    // Returns up to `pages` free pages to the file system (the store uses auto_vacuum=INCREMENTAL).
    std::expected<void, std::string> incremental_vacuum(int pages);
    std::int64_t free_pages();

    std::expected<StoreTotals, std::string> totals();
    // Alert deliveries in the outbox by status (pending, held, sent, failed, folded), zeros included.
    std::expected<std::vector<std::pair<std::string, std::int64_t>>, std::string> outbox_counts();
    // The stored item (feed_id, key), if any.
    std::optional<StoredItem> item(std::string_view feed_id, std::string_view key);
    // Items first seen at or after since, oldest first (since should not reach past item_retention).
    std::vector<StoredItem> items_since(UnixTime since);
    // The hits of the items first seen at or after since.
    std::vector<StoredHit> hits_of_items_since(UnixTime since);
    // Stores hits found by replay, marked replayed, and (signalctl replay --alert) their alerts'
    // outbox rows, in one transaction; returns how many hits were new.
    std::expected<std::size_t, std::string> record_replayed(std::span<const ReplayHit> hits, UnixTime found_at,
                                                            std::span<const ReplayAlert> alerts = {},
                                                            const ClusterPolicy& clustering = {});
    // How many hits of (brief, signal) were found at or after since (for max_per_day).
    std::expected<std::int64_t, std::string> count_hits_since(std::string_view brief, std::string_view signal,
                                                              UnixTime since);
    // Drops the summary and content of items first seen before `before` (item_retention); the
    // rows stay so the items are still recognised as seen. Clears at most `limit` items, oldest
    // first, and starts where the last call left off (a watermark kept in memory), so a call costs
    // the items that aged out since, not every old item of the store. Returns how many it cleared.
    std::expected<std::size_t, std::string> prune_item_text(UnixTime before,
                                                            std::int64_t limit = k_item_text_prune_batch);
    // Remembers that a health alert was raised for the feed (or cleared), so it is raised once.
    std::expected<void, std::string> set_health_alerted(std::string_view feed_id, bool alerted);
    // Marks the feed alerted and queues the alert's deliveries in one transaction. A key already in
    // the outbox is kept as it is, so raising an episode again never sends it twice.
    std::expected<void, std::string> raise_health_alert(const HealthAlertRequest& alert, UnixTime now);

private:
    // Runs read and returns its value, or the SqliteError it threw as the error.
    template <class Read>
    static auto reading(Read&& read) -> std::expected<decltype(read()), std::string> {
        try {
            return read();
        } catch (const SqliteError& error) {
            return std::unexpected(std::string(error.what()));
        }
    }

    void use_incremental_vacuum();
    void enqueue_alert(std::int64_t item_id, const AlertRequest& alert, UnixTime now, const ClusterPolicy& clustering);

    // Prepared on first use and kept: preparing costs more than a small poll's inserts. Declared
    // after m_db so they are finalized before it closes.
    Statement& prepared(std::optional<Statement>& slot, std::string_view sql);
    std::expected<std::size_t, std::string> delete_batch(std::string_view sql, UnixTime before, int batch);

    std::filesystem::path m_path;
    Database m_db;
    dev_t m_device = 0;  // of the file opened, for check_same_file()
    ino_t m_inode = 0;
    std::optional<Statement> m_item_exists;
    std::optional<Statement> m_upsert_feed;
    std::optional<Statement> m_feed_success;
    std::optional<Statement> m_feed_failure;
    std::optional<Statement> m_insert_item;
    std::optional<Statement> m_insert_hit;
    UnixTime m_item_text_pruned_before = 0;  // items first seen before it have no text left
};

}  // namespace signalmon::store
