// The server store: a PostgreSQL database that several signalmon processes (and signalctl) share.
// The schema is the SQLite store's, step for step (store/migrations.cpp), its version in the table
// signalmon_schema.
#pragma once

#include <string>

#include "store/postgres.hpp"
#include "store/store.hpp"

namespace signalmon::store {

class PostgresStore final : public Store, public Coordination {
public:
    // url: postgresql://host/db?...; password, when not empty, overrides any in the URL. read_write
    // applies pending migrations under an advisory lock, so instances starting together migrate once.
    // Throws PostgresError (a startup error).
    PostgresStore(const std::string& url, const std::string& password, OpenMode mode);

    int schema_version() override;
    Coordination* coordination() override { return this; }
    std::expected<void, std::string> probe_write(std::uint64_t min_free_bytes) override;
    std::expected<void, std::string> check_same_file() const override;

    std::expected<std::optional<FeedState>, std::string> feed_state(std::string_view feed_id) override;
    std::expected<std::vector<FeedState>, std::string> feed_states() override;
    std::expected<std::vector<const feed::Item*>, std::string> filter_new(std::string_view feed_id,
                                                                          std::span<const feed::Item> items) override;
    std::expected<std::size_t, std::string> write_poll(const PollWrite& write) override;

    std::vector<OutboxRow> due_outbox(UnixTime now, std::int64_t limit) override;
    std::vector<OutboxRow> due_held(std::string_view channel, UnixTime now) override;
    std::vector<std::string> channels_with_due_held(UnixTime now) override;
    std::optional<UnixTime> next_outbox_time() override;
    void outbox_attempted(std::int64_t id, std::string_view status, UnixTime now, UnixTime not_before,
                          std::string_view error) override;
    void outbox_hold(std::int64_t id, UnixTime not_before, std::string_view reason) override;
    void outbox_defer(std::int64_t id, UnixTime not_before) override;
    void outbox_delay_held(std::string_view channel, UnixTime not_before) override;
    std::pair<std::int64_t, std::optional<UnixTime>> sent_since(std::string_view channel, UnixTime since) override;
    std::int64_t create_digest(std::string_view channel, std::string_view key, std::string_view summary,
                               std::string_view payload, const std::vector<std::int64_t>& member_ids,
                               UnixTime now) override;
    std::vector<OutboxRow> query_outbox(const OutboxQuery& query) override;
    std::int64_t requeue_failed(std::optional<std::int64_t> id, UnixTime now) override;

    std::vector<HitRow> query_hits(const HitQuery& query) override;
    std::vector<std::string> hit_briefs() override;

    std::expected<std::size_t, std::string> prune_hits(UnixTime found_before, int batch) override;
    std::expected<std::size_t, std::string> prune_delivered_alerts(UnixTime sent_before, int batch) override;
    std::expected<std::size_t, std::string> prune_items(UnixTime unseen_since, int batch) override;
    // PostgreSQL's autovacuum makes freed space reusable by itself: nothing to do.
    std::expected<bool, std::string> reclaim_space() override;

    std::expected<StoreTotals, std::string> totals() override;
    std::expected<std::vector<std::pair<std::string, std::int64_t>>, std::string> outbox_counts() override;
    std::optional<StoredItem> item(std::string_view feed_id, std::string_view key) override;
    std::vector<StoredItem> items_since(UnixTime since) override;
    std::vector<StoredHit> hits_of_items_since(UnixTime since) override;
    std::expected<std::size_t, std::string> record_replayed(std::span<const ReplayHit> hits, UnixTime found_at,
                                                            std::string_view rules_hash,
                                                            std::span<const ReplayAlert> alerts = {},
                                                            const ClusterPolicy& clustering = {}) override;
    std::expected<HitCounts, std::string> hit_counts_since(UnixTime since) override;
    std::expected<std::size_t, std::string> prune_item_text(UnixTime before,
                                                            std::int64_t limit = k_item_text_prune_batch) override;
    std::expected<std::size_t, std::string> index_for_search(std::int64_t limit = k_search_index_batch) override;
    std::vector<LedgerHit> ledger_hits(const LedgerQuery& query) override;
    std::vector<SearchResult> search_items(std::string_view words, std::int64_t limit) override;

    // Coordination (store/postgres_coordination.cpp).
    std::expected<std::vector<Instance>, std::string> heartbeat(const Instance& self, UnixTime alive_since) override;
    std::expected<std::vector<std::string>, std::string> lease_lanes(std::string_view holder,
                                                                     std::span<const std::string> candidates,
                                                                     std::size_t want, UnixTime now,
                                                                     UnixTime expires_at) override;
    std::expected<void, std::string> release_lanes(std::string_view holder,
                                                   std::span<const std::string> lanes) override;
    std::expected<void, std::string> leave(std::string_view holder) override;
    void claim_outbox_as(std::string holder, std::int64_t claim_seconds) override;
    bool lead() override;

private:
    // Runs read and returns its value, or the PostgresError it threw as the error.
    template <class Read>
    static auto reading(Read&& read) -> std::expected<decltype(read()), std::string> {
        try {
            return read();
        } catch (const PostgresError& error) {
            return std::unexpected(std::string(error.what()));
        }
    }

    void migrate();
    void enqueue_alert(std::int64_t item_id, const AlertRequest& alert, UnixTime now, const ClusterPolicy& clustering);
    std::size_t insert_hit(std::int64_t item_id, std::string_view brief, const score::SignalHit& hit, int score,
                           bool alerting, UnixTime found_at, bool replayed, std::string_view rules_hash);
    std::expected<std::size_t, std::string> delete_batch(std::string_view sql, UnixTime before, int batch);

    PgConnection m_connection;
    std::string m_claimant;  // empty: due_outbox claims nothing (signalctl, a single daemon's tests)
    std::int64_t m_claim_seconds = 0;
    bool m_leading = false;
};

}  // namespace signalmon::store
