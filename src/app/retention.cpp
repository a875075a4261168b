// Retention steps; the daemon interleaves them with polls and control requests.
#include "app/retention.hpp"

#include <spdlog/spdlog.h>

namespace signalmon::app {
namespace {

// Runs one prune; logs a failure once and reports "nothing more" so the loop moves on.
bool pruned_some(const std::expected<std::size_t, std::string>& result, std::string_view table, Metrics& metrics) {
    if (!result) {
        spdlog::warn("retention: pruning {} failed: {}", table, result.error());
        return false;
    }
    if (*result == 0) return false;
    metrics.record_pruned(table, *result);
    spdlog::debug("retention: pruned {} {}", *result, table);
    return true;
}

}  // namespace

bool prune_step(store::Store& store, const config::Config& config, feed::UnixTime now, Metrics& metrics) {
    if (config.retain_hits.count() > 0 &&
        pruned_some(store.prune_hits(now - config.retain_hits.count(), k_retention_batch), "hits", metrics)) {
        return true;
    }
    // Delivered alerts live as long as the hits they announced.
    if (config.retain_hits.count() > 0 &&
        pruned_some(store.prune_delivered_alerts(now - config.retain_hits.count(), k_retention_batch), "alerts",
                    metrics)) {
        return true;
    }
    if (config.retain_items.count() > 0 &&
        pruned_some(store.prune_items(now - config.retain_items.count(), k_retention_batch), "items", metrics)) {
        return true;
    }
    const auto reclaimed = store.reclaim_space();
    if (!reclaimed) spdlog::warn("retention: handing free space back failed: {}", reclaimed.error());
    return reclaimed.value_or(false);
}

}  // namespace signalmon::app
