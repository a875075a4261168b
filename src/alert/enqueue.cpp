// Building outbox requests from verdicts (routing, alert content, keys, cluster fingerprints) and
// from a feed's health problem.
#include "alert/enqueue.hpp"

#include <algorithm>

#include "alert/alert.hpp"
#include "alert/cluster.hpp"
#include "alert/mime.hpp"
#include "alert/routing.hpp"

namespace signalmon::alert {

std::vector<store::AlertRequest> alert_requests(const config::AlertsConfig& alerts, const rules::RuleSet& rules,
                                                std::string_view feed_id, const feed::Item& item,
                                                std::span<const score::Verdict> verdicts, feed::UnixTime now) {
    std::vector<store::AlertRequest> requests;
    if (!alerts.enabled()) return requests;
    for (const score::Verdict& verdict : verdicts) {
        const std::vector<Delivery> deliveries = route_verdict(alerts, verdict, now);
        if (deliveries.empty()) continue;
        const auto brief = std::ranges::find(rules.briefs, verdict.brief_id, &rules::Brief::id);
        const Alert alert = make_alert(brief == rules.briefs.end() ? nullptr : &*brief, feed_id, item, verdict, now);
        // The body is what wire copies share; the title alone is too short to fingerprint reliably.
        const std::string& body = item.content.empty() ? item.summary : item.content;
        store::AlertRequest request{
            .brief = verdict.brief_id,
            .canonical_link = canonical_link(item.link),
            .simhash = simhash(item.title + "\n" + body.substr(0, 8'192)),
            .summary = header_text(one_line_summary(alert), 300),
            .payload = to_json(alert).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
            .deliveries = {}};
        for (const Delivery& delivery : deliveries) {
            request.deliveries.push_back(
                {.channel = delivery.channel,
                 .idempotency_key = idempotency_key(delivery.channel, feed_id, item.key, verdict.brief_id),
                 .held = delivery.held,
                 .not_before = delivery.not_before});
        }
        requests.push_back(std::move(request));
    }
    return requests;
}

store::HealthAlertRequest health_request(const config::AlertsConfig& alerts, const store::FeedState& state,
                                         std::string_view problem, feed::UnixTime now) {
    // fetch::health_problem reports a failing feed whenever a run of failures is long enough, and
    // silence only without one; the episode starts where that condition started.
    const bool failing = state.first_failure.has_value();
    const auto since = failing ? state.first_failure : state.last_new_item ? state.last_new_item : state.tracked_since;
    const HealthAlert health{.feed = state.id,
                             .url = state.url,
                             .problem = failing ? "failing" : "silent",
                             .detail = std::string(problem),
                             .since = since.value_or(now),
                             .detected_at = now,
                             .last_success = state.last_success,
                             .last_error = state.last_error,
                             .consecutive_failures = state.consecutive_failures};
    store::HealthAlertRequest request{
        .feed_id = state.id,
        .summary = header_text(one_line_summary(health), 300),
        .payload = to_json(health).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
        .deliveries = {}};
    if (!alerts.enabled()) return request;
    for (const Delivery& delivery : route_health(alerts, now)) {
        request.deliveries.push_back({.channel = delivery.channel,
                                      .idempotency_key = health_key(delivery.channel, state.id, health.since),
                                      .held = false,
                                      .not_before = delivery.not_before});
    }
    return request;
}

store::ClusterPolicy cluster_policy(const config::AlertsConfig& alerts) {
    return {.max_distance = alerts.cluster_distance, .window_seconds = alerts.cluster_window.count()};
}

}  // namespace signalmon::alert
