// Turns a new item's verdicts into the outbox requests the store writes with its hits.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "config/alerts_config.hpp"
#include "rules/rule_set.hpp"
#include "store/store.hpp"

namespace signalmon::alert {

// One request per verdict that some route takes: the frozen alert, its routed deliveries with
// their idempotency keys, and the link and SimHash that cluster copies of the story.
std::vector<store::AlertRequest> alert_requests(const config::AlertsConfig& alerts, const rules::RuleSet& rules,
                                                std::string_view feed_id, const feed::Item& item,
                                                std::span<const score::Verdict> verdicts, feed::UnixTime now);

store::ClusterPolicy cluster_policy(const config::AlertsConfig& alerts);

}  // namespace signalmon::alert
