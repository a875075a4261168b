// The state store's interface: feed state, items (deduplicated per feed), hits and the alert
// outbox, whatever database holds them. The poll path, the dispatcher and signalctl see only this;
// store/sqlite_store.hpp is the embedded backend.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "feed/item.hpp"
#include "score/evaluate.hpp"
#include "store/error.hpp"

namespace signalmon::store {

using feed::UnixTime;

enum class OpenMode { read_write, read_only };

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
// At most this many new items join the search index per index_for_search call (one per poll batch).
inline constexpr std::int64_t k_search_index_batch = 5000;

struct HitQuery {
    std::optional<UnixTime> since;  // found_at >= since
    std::string brief;              // empty: any
    std::string kind;               // empty: any
    std::optional<std::int64_t> min_score;
    std::int64_t limit = 100;
};

enum class SqlDialect { sqlite, postgresql };

// A statement and the values of its numbered parameters (?1… or $1…), in order.
struct SqlStatement {
    std::string text;
    std::vector<std::variant<std::int64_t, std::string>> parameters;
};

// The statement Store::query_hits runs: every score the hits of each kind have (at or above
// min_score, of the brief when given), one index seek each, then the newest LIMIT hits of each
// (kind, score) from one index range, merged. So whatever the filters, it reads at most
// (kinds × distinct scores × LIMIT) index entries, never a walk of the table.
SqlStatement hits_query_sql(const HitQuery& query, SqlDialect dialect);

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

// The ledger's view of the hits (store/ledger_queries.cpp): one row per (item, brief, kind).
struct LedgerQuery {
    std::optional<UnixTime> since;  // evidence time >= since
    std::string brief;              // empty: every brief
};

struct LedgerHit {
    std::int64_t item_row = 0;
    std::string brief;
    std::string kind;
    std::int64_t score = 0;  // the kind's stored score (the highest, if rows disagree)
    // When the story happened: the item's published time, or when it was first seen if that is
    // earlier or unknown (a future date is a clock error, not evidence from the future).
    UnixTime evidence_at = 0;
    std::string feed;
    std::string item_key;
    std::string title;
    std::string link;
    std::optional<std::int64_t> cluster;  // the item's alert cluster for this brief (wire copies)
};

// A stored item found by full-text search, with an excerpt around the words.
struct SearchResult {
    std::string feed;
    std::string item_key;
    std::string title;
    std::string link;
    UnixTime first_seen = 0;
    std::optional<UnixTime> published;
    std::string excerpt;              // the words found are between \x02 and \x03
    std::vector<std::string> briefs;  // briefs with a hit on the item
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

// Hits stored since some time, by (brief, signal): what max_per_day has used up today.
using HitCounts = std::map<std::pair<std::string, std::string>, std::int64_t>;

// Everything one poll changes, written in one transaction.
struct PollWrite {
    FeedState state;  // the feed's row after the poll, as advance_state() computed it
    std::span<const NewItem> new_items;
    std::span<const feed::Item> listed;  // every item the feed lists: touched, so retention keeps them
    UnixTime found_at = 0;
    ClusterPolicy clustering = {};
    std::string rules_hash;                          // of the rules that judged the items: recorded with each hit
    std::optional<HealthAlertRequest> health_alert;  // raised by this poll (state.health_alerted is set)
};

// The feed's state after a poll with this record that brought new_items new items; previous is
// the state before it (nullopt for a feed never polled). The one place that says what a poll does
// to a feed's counters, validators, failure run and redirect.
FeedState advance_state(const std::optional<FeedState>& previous, const PollRecord& poll, std::size_t new_items);

// A daemon sharing a store with others, as the others see it.
struct Instance {
    std::string id;          // configured instance_id, else host:pid
    std::string rules_hash;  // of the rules it runs
    UnixTime started_at = 0;
    UnixTime seen_at = 0;  // its last heartbeat
};

// Several daemons on one store (PostgreSQL): who is alive, which politeness lanes each one polls,
// which outbox rows each one delivers, and which one runs retention and digests. Lanes and claims
// expire, so the work of an instance that died passes to the others.
class Coordination {
public:
    Coordination() = default;
    Coordination(const Coordination&) = delete;
    Coordination& operator=(const Coordination&) = delete;
    Coordination(Coordination&&) = delete;
    Coordination& operator=(Coordination&&) = delete;
    virtual ~Coordination() = default;

    // Records self as alive at self.seen_at; returns the instances seen at or after alive_since
    // (self included), by id.
    virtual std::expected<std::vector<Instance>, std::string> heartbeat(const Instance& self, UnixTime alive_since) = 0;
    // Renews every lane holder holds until expires_at, then, while it holds fewer than want, takes
    // lanes of candidates that nobody holds or whose lease ran out by now; a lane another instance
    // is taking at the same moment is skipped (FOR UPDATE SKIP LOCKED), never waited for. Returns
    // the lanes holder holds afterwards, sorted.
    virtual std::expected<std::vector<std::string>, std::string> lease_lanes(std::string_view holder,
                                                                             std::span<const std::string> candidates,
                                                                             std::size_t want, UnixTime now,
                                                                             UnixTime expires_at) = 0;
    // Gives lanes back at once (between cycles: nothing of them is in flight).
    virtual std::expected<void, std::string> release_lanes(std::string_view holder,
                                                           std::span<const std::string> lanes) = 0;
    // Leaves at a clean stop: holder's lanes and outbox claims are free at once, and it no longer
    // counts as alive (a crash leaves them to expire instead).
    virtual std::expected<void, std::string> leave(std::string_view holder) = 0;
    // From now on due_outbox claims the rows it returns for holder until claim_seconds later, and
    // skips rows another instance claimed until their claim runs out.
    virtual void claim_outbox_as(std::string holder, std::int64_t claim_seconds) = 0;
    // Whether this instance leads (runs retention and digests): one instance at a time. Once true
    // it stays true while the connection lives; when it ends, a crash included, another can lead.
    virtual bool lead() = 0;
};

class Store {
public:
    Store() = default;
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;
    Store(Store&&) = delete;
    Store& operator=(Store&&) = delete;
    virtual ~Store() = default;

    virtual int schema_version() = 0;

    // How daemons share this store; nullptr when it has one daemon (SQLite: the state directory's
    // lock makes it the only one, so it holds every lane, delivers every alert and leads).
    virtual Coordination* coordination() { return nullptr; }

    // Whether the store takes writes again after a fault: a real write committed, and (for a
    // store on the local file system) at least min_free_bytes free, so the next poll does not
    // fill it up again.
    virtual std::expected<void, std::string> probe_write(std::uint64_t min_free_bytes) = 0;

    // Whether the store opened is still the one configured (a deleted or replaced file would take
    // every later write where nobody can read it).
    virtual std::expected<void, std::string> check_same_file() const = 0;

    // Reads on the poll path return their error rather than throw it: one failed read is one
    // recorded error of that feed, never a stopped daemon.
    virtual std::expected<std::optional<FeedState>, std::string> feed_state(std::string_view feed_id) = 0;
    // Every feed's state, in one query (the daemon keeps them in memory between polls).
    virtual std::expected<std::vector<FeedState>, std::string> feed_states() = 0;

    // The items of feed_id not stored yet, in their order.
    virtual std::expected<std::vector<const feed::Item*>, std::string> filter_new(
        std::string_view feed_id, std::span<const feed::Item> items) = 0;

    // Feed state, new items, their hits and outbox rows (or cluster members), the listed items'
    // last sighting and a raised health alert, all or nothing. Returns how many hits were stored.
    virtual std::expected<std::size_t, std::string> write_poll(const PollWrite& write) = 0;

    // write_poll with the feed's stored state advanced by the record (tools and tests; the daemon
    // keeps the states in memory and calls write_poll).
    std::expected<std::size_t, std::string> record_poll(const PollRecord& poll, std::span<const NewItem> new_items,
                                                        UnixTime found_at, const ClusterPolicy& clustering = {});

    // The outbox. Throws StoreError.
    virtual std::vector<OutboxRow> due_outbox(UnixTime now,
                                              std::int64_t limit) = 0;  // pending, not_before <= now, oldest first
    virtual std::vector<OutboxRow> due_held(std::string_view channel, UnixTime now) = 0;
    virtual std::vector<std::string> channels_with_due_held(UnixTime now) = 0;
    virtual std::optional<UnixTime> next_outbox_time() = 0;  // earliest not_before of pending and held rows
    virtual void outbox_attempted(std::int64_t id, std::string_view status, UnixTime now, UnixTime not_before,
                                  std::string_view error) = 0;  // status: sent, pending (retry) or failed
    virtual void outbox_hold(std::int64_t id, UnixTime not_before, std::string_view reason) = 0;
    virtual void outbox_defer(std::int64_t id, UnixTime not_before) = 0;  // not attempted: its channel is failing
    virtual void outbox_delay_held(std::string_view channel,
                                   UnixTime not_before) = 0;  // held rows due sooner wait until then
    // Sent messages of a channel after since: how many, and when the oldest of them went.
    virtual std::pair<std::int64_t, std::optional<UnixTime>> sent_since(std::string_view channel, UnixTime since) = 0;
    // One pending digest row replacing the held members (now folded), in one transaction.
    virtual std::int64_t create_digest(std::string_view channel, std::string_view key, std::string_view summary,
                                       std::string_view payload, const std::vector<std::int64_t>& member_ids,
                                       UnixTime now) = 0;
    virtual std::vector<OutboxRow> query_outbox(const OutboxQuery& query) = 0;
    // Failed rows back to pending, due now, with a fresh max_age; id empty: every failed row.
    virtual std::int64_t requeue_failed(std::optional<std::int64_t> id, UnixTime now) = 0;

    virtual std::vector<HitRow> query_hits(const HitQuery& query) = 0;
    // The briefs that have hits, by id: with the rules' briefs, the ids `hits --brief` knows.
    virtual std::vector<std::string> hit_briefs() = 0;

    // Retention, a batch at a time so the daemon's writes never wait long. Each returns the rows deleted.
    virtual std::expected<std::size_t, std::string> prune_hits(UnixTime found_before, int batch) = 0;
    // Delivered alerts (sent, or folded into a digest) from before sent_before; a digest goes once
    // no folded alert points at it any more.
    virtual std::expected<std::size_t, std::string> prune_delivered_alerts(UnixTime sent_before, int batch) = 0;
    // Items unseen in their feed since unseen_since and left with no hits.
    virtual std::expected<std::size_t, std::string> prune_items(UnixTime unseen_since, int batch) = 0;
    // Hands a step's worth of the space retention freed back to the system. True if it freed
    // some and there may be more (call again), false when there is nothing (left) to free.
    virtual std::expected<bool, std::string> reclaim_space() = 0;

    virtual std::expected<StoreTotals, std::string> totals() = 0;
    // Alert deliveries in the outbox by status (pending, held, sent, failed, folded), zeros included.
    virtual std::expected<std::vector<std::pair<std::string, std::int64_t>>, std::string> outbox_counts() = 0;
    // The stored item (feed_id, key), if any.
    virtual std::optional<StoredItem> item(std::string_view feed_id, std::string_view key) = 0;
    // Items first seen at or after since, oldest first (since should not reach past item_retention).
    virtual std::vector<StoredItem> items_since(UnixTime since) = 0;
    // The hits of the items first seen at or after since.
    virtual std::vector<StoredHit> hits_of_items_since(UnixTime since) = 0;
    // Stores hits found by replay with the rules of rules_hash, marked replayed, and (signalctl
    // replay --alert) their alerts' outbox rows, in one transaction; returns how many hits were new.
    virtual std::expected<std::size_t, std::string> record_replayed(std::span<const ReplayHit> hits, UnixTime found_at,
                                                                    std::string_view rules_hash,
                                                                    std::span<const ReplayAlert> alerts = {},
                                                                    const ClusterPolicy& clustering = {}) = 0;
    // Hits found at or after since, by (brief, signal), in one query (max_per_day's counts today).
    virtual std::expected<HitCounts, std::string> hit_counts_since(UnixTime since) = 0;
    // Drops the summary and content of items first seen before `before` (item_retention); the
    // rows stay so the items are still recognised as seen. Clears at most `limit` items, oldest
    // first (SQLite starts where the last call left off: a watermark kept in memory, so a call costs
    // the items that aged out since, not every old item of the store). Returns how many it cleared.
    virtual std::expected<std::size_t, std::string> prune_item_text(UnixTime before,
                                                                    std::int64_t limit = k_item_text_prune_batch) = 0;
    // Adds up to `limit` items stored since the last call to the full-text search index, oldest
    // first; returns how many. Polls store items without indexing them (the words cost more than
    // the rest of a poll's writes), so each cycle ends with one bounded batch.
    virtual std::expected<std::size_t, std::string> index_for_search(std::int64_t limit = k_search_index_batch) = 0;

    // Read-only queries of the ledger and the web view. Throw StoreError.
    virtual std::vector<LedgerHit> ledger_hits(const LedgerQuery& query) = 0;
    // Items matching a full-text query over title, summary and content, best first (whether or not
    // they hit). words is plain text: each word is quoted, so no query syntax reaches the engine.
    virtual std::vector<SearchResult> search_items(std::string_view words, std::int64_t limit) = 0;
};

// Whether the daemon on store runs retention and digests: always when it is the store's only one,
// else when it holds the leader's lock (Coordination::lead).
inline bool leads(Store& store) {
    Coordination* coordination = store.coordination();
    return coordination == nullptr || coordination->lead();
}

// Whether location names a PostgreSQL database (postgresql:// or postgres://) rather than a file.
bool is_server_url(std::string_view location);

// Opens the store at location: a PostgreSQL URL (password, when not empty, overrides one in it)
// or a SQLite file's path. read_write creates the schema or applies pending migrations; both modes
// refuse a schema newer than this build knows. Throws StoreError.
std::unique_ptr<Store> open_store(const std::string& location, OpenMode mode, const std::string& password = {});

}  // namespace signalmon::store
