// Retention: forgets old hits, delivered alerts and items a small batch at a time and hands free
// pages back.
#pragma once

#include "app/metrics.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace signalmon::app {

inline constexpr int k_retention_batch = 500;  // rows per statement: short write locks

// One batch of work: hits past retain_hits first, then delivered alerts past the same age, then
// items unseen past retain_items that hold no hits, then free space (Store::reclaim_space). Returns true if it did
// something (call again), false once all is done.
bool prune_step(store::Store& store, const config::Config& config, feed::UnixTime now, Metrics& metrics);

}  // namespace signalmon::app
