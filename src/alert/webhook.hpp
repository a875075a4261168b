// Renders alerts as an HTTP POST: the versioned generic JSON payload (docs/webhook.md) or the
// incoming-webhook shapes of Slack, Mattermost, Discord and ntfy; signs the body when a secret is set.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "alert/alert.hpp"
#include "config/alerts_config.hpp"

namespace signalmon::alert {

inline constexpr int k_webhook_payload_version = 1;

struct HttpRequest {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

// The generic payload: {"version": 1, "type": "alert"|"digest", "idempotency_key", "sent_at", "alerts": [...]},
// or for a feed health alert {"version": 1, "type": "feed_health", "idempotency_key", "sent_at", "health": {...}}.
nlohmann::json generic_payload(const Message& message, feed::UnixTime now);

// "sha256=" + hex HMAC-SHA256 of "<timestamp>.<body>" keyed with secret: the timestamp is signed
// too, so a captured request cannot be replayed later with a fresh timestamp.
std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

// secret is empty when the channel has none; settings gives the clock and the ledger link.
// Slack gets Block Kit in a coloured attachment, Mattermost attachments, Discord embeds, ntfy a
// title, tags and a click URL; feed text can inject no markup, mention or link into any of them.
HttpRequest render_webhook(const Message& message, const config::WebhookChannel& channel, std::string_view secret,
                           const config::AlertsConfig& settings, feed::UnixTime now);

}  // namespace signalmon::alert
