// Which channels an alert goes to, and whether it goes now or waits for a digest (digest routes,
// quiet hours). Pure: the same verdict, config and time always give the same deliveries.
#pragma once

#include <string>
#include <vector>

#include "config/alerts_config.hpp"
#include "feed/item.hpp"
#include "score/evaluate.hpp"

namespace signalmon::alert {

struct Delivery {
    std::string channel;
    bool held = false;              // waits to be folded into a digest instead of going alone
    feed::UnixTime not_before = 0;  // when it may go (or, held, when its digest is due)
};

// A route takes a verdict when its brief and kinds match and the score reaches min_score (or, with
// no min_score, the verdict is alerting). Default routes take what no other route took. A channel
// reached by several routes gets one delivery; sending now wins over holding.
std::vector<Delivery> route_verdict(const config::AlertsConfig& alerts, const score::Verdict& verdict,
                                    feed::UnixTime now);

// Every route with health: true takes a feed health alert, default or not. It goes at once on each
// of their channels: a broken feed is news now, and a digest holds only hit alerts.
std::vector<Delivery> route_health(const config::AlertsConfig& alerts, feed::UnixTime now);

// The end of the quiet window containing now, or nullopt when now is outside it; the window's
// times are read on zone's clock.
std::optional<feed::UnixTime> quiet_until(const config::QuietHours& quiet, const config::TimeZone& zone,
                                          feed::UnixTime now);

}  // namespace signalmon::alert
