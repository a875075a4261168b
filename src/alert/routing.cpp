// Routing verdicts to channels.
#include "alert/routing.hpp"

#include <algorithm>

namespace signalmon::alert {
namespace {

bool route_takes(const config::Route& route, const score::Verdict& verdict) {
    if (!route.briefs.empty() && std::ranges::find(route.briefs, verdict.brief_id) == route.briefs.end()) return false;
    // A route takes the verdict when one of its kinds qualifies: that kind's own score against
    // min_score, or that kind alerting.
    return std::ranges::any_of(verdict.hits, [&](const score::SignalHit& hit) {
        if (!route.kinds.empty() && std::ranges::find(route.kinds, rules::kind_name(hit.kind)) == route.kinds.end()) {
            return false;
        }
        return route.min_score ? verdict.score(hit.kind) >= *route.min_score : verdict.alerting_for(hit.kind);
    });
}

void add_route(const config::Route& route, const config::TimeZone& zone, feed::UnixTime now,
               std::vector<Delivery>& deliveries) {
    Delivery delivery{.channel = {}, .held = false, .not_before = now};
    if (route.digest) {
        // Digests go at fixed multiples of the period, so every hit of one period shares a message.
        const auto period = route.digest->count();
        delivery.held = true;
        delivery.not_before = (now / period + 1) * period;
    }
    if (route.quiet_hours) {
        if (const auto until = quiet_until(*route.quiet_hours, zone, now)) {
            delivery.held = true;
            delivery.not_before = std::max(delivery.not_before, *until);
        }
    }
    for (const std::string& channel : route.channels) {
        const auto existing = std::ranges::find(deliveries, channel, &Delivery::channel);
        if (existing == deliveries.end()) {
            delivery.channel = channel;
            deliveries.push_back(delivery);
        } else if (existing->held && (!delivery.held || delivery.not_before < existing->not_before)) {
            existing->held = delivery.held;
            existing->not_before = delivery.not_before;
        }
    }
}

}  // namespace

std::optional<feed::UnixTime> quiet_until(const config::QuietHours& quiet, const config::TimeZone& zone,
                                          feed::UnixTime now) {
    constexpr feed::UnixTime k_day = 86'400;
    // Seconds since 1970-01-01 00:00 on the local clock.
    const feed::UnixTime local = now + zone.at(now).offset_seconds;
    const feed::UnixTime midnight = local - ((local % k_day) + k_day) % k_day;
    const int minute = static_cast<int>((local - midnight) / 60);
    const bool wraps = quiet.start_minute > quiet.end_minute;
    const bool inside = wraps ? (minute >= quiet.start_minute || minute < quiet.end_minute)
                              : (minute >= quiet.start_minute && minute < quiet.end_minute);
    if (!inside) return std::nullopt;
    const feed::UnixTime end_today = midnight + quiet.end_minute * 60;
    const feed::UnixTime end = zone.to_utc(end_today > local ? end_today : end_today + k_day);
    // A change of offset inside the window can put its local end before now: hold a minute at least.
    return std::max(end, now + 60);
}

std::vector<Delivery> route_verdict(const config::AlertsConfig& alerts, const score::Verdict& verdict,
                                    feed::UnixTime now) {
    std::vector<Delivery> deliveries;
    bool taken = false;
    for (const config::Route& route : alerts.routes) {
        if (route.is_default || !route_takes(route, verdict)) continue;
        taken = true;
        add_route(route, alerts.time_zone, now, deliveries);
    }
    if (!taken) {
        for (const config::Route& route : alerts.routes) {
            if (route.is_default && route_takes(route, verdict)) add_route(route, alerts.time_zone, now, deliveries);
        }
    }
    return deliveries;
}

std::vector<Delivery> route_health(const config::AlertsConfig& alerts, feed::UnixTime now) {
    std::vector<Delivery> deliveries;
    for (const config::Route& route : alerts.routes) {
        if (!route.health) continue;
        for (const std::string& channel : route.channels) {
            if (std::ranges::find(deliveries, channel, &Delivery::channel) == deliveries.end()) {
                deliveries.push_back({.channel = channel, .held = false, .not_before = now});
            }
        }
    }
    return deliveries;
}

}  // namespace signalmon::alert
