// Building outbox requests from verdicts: routing, alert content, keys, cluster fingerprints.
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
            request.deliveries.push_back({.channel = delivery.channel,
                                          .idempotency_key = idempotency_key(delivery.channel, feed_id, item.key, verdict.brief_id),
                                          .held = delivery.held,
                                          .not_before = delivery.not_before});
        }
        requests.push_back(std::move(request));
    }
    return requests;
}

store::ClusterPolicy cluster_policy(const config::AlertsConfig& alerts) {
    return {.max_distance = alerts.cluster_distance, .window_seconds = alerts.cluster_window.count()};
}

}  // namespace signalmon::alert
