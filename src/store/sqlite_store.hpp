// The embedded store: one SQLite file in the state directory, no server. Schema changes are an
// ordered list of migrations (store/migrations.cpp) applied from the stored user_version.
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

#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace signalmon::store {

class SqliteStore final : public Store {
public:
    // Throws SqliteError (a startup error).
    SqliteStore(const std::filesystem::path& path, OpenMode mode);

    int schema_version() override;
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
    // An incremental vacuum of up to k_vacuum_pages free pages (the store uses auto_vacuum=INCREMENTAL).
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
    std::vector<LedgerHit> ledger_hits(const LedgerQuery& query) override;  // store/ledger_queries.cpp
    std::vector<SearchResult> search_items(std::string_view words, std::int64_t limit) override;

    // Free pages in the file, which reclaim_space() hands back.
    std::int64_t free_pages();

    static constexpr int k_vacuum_pages = 256;  // pages per reclaim_space() step

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
    void write_feed_state(const FeedState& state);
    void touch_items(std::string_view feed_id, std::span<const feed::Item> items, UnixTime seen_at);
    void enqueue_alert(std::int64_t item_id, const AlertRequest& alert, UnixTime now, const ClusterPolicy& clustering);
    void enqueue_health_alert(const HealthAlertRequest& alert, UnixTime now);

    // Prepared on first use and kept: preparing costs more than a small poll's inserts. Declared
    // after m_db so they are finalized before it closes.
    Statement& prepared(std::optional<Statement>& slot, std::string_view sql);
    std::expected<std::size_t, std::string> delete_batch(std::string_view sql, UnixTime before, int batch);

    std::filesystem::path m_path;
    Database m_db;
    dev_t m_device = 0;  // of the file opened, for check_same_file()
    ino_t m_inode = 0;
    std::optional<Statement> m_item_exists;
    std::optional<Statement> m_write_feed;
    std::optional<Statement> m_insert_item;
    std::optional<Statement> m_insert_hit;
    UnixTime m_item_text_pruned_before = 0;  // items first seen before it have no text left
    std::optional<Statement> m_touch_item;
};

}  // namespace signalmon::store
