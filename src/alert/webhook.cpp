// Webhook payloads per format, and their signature.
#include "alert/webhook.hpp"

#include "alert/crypto.hpp"
#include "alert/email.hpp"
#include "feed/date.hpp"

namespace signalmon::alert {
namespace {

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Chat formats show the plain-text rendering; Markdown-ish platforms get the link on its own line.
std::string chat_text(const Message& message, std::size_t max_bytes) {
    std::string text = email_parts(message).text;
    if (text.size() > max_bytes) {
        std::size_t end = max_bytes - 3;
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
        text.replace(end, std::string::npos, "...");
    }
    return text;
}

// Slack's message format, which Mattermost's incoming webhooks accept too, reads <!channel> as a
// mention and <url|text> as a link under any text: &, < and > are escaped as its docs ask, so a
// feed's title (entities decoded) shows as typed and a link shows where it goes.
std::string escape_slack_markup(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&': escaped += "&amp;"; break;
            case '<': escaped += "&lt;"; break;
            case '>': escaped += "&gt;"; break;
            default: escaped += c;
        }
    }
    return escaped;
}

// ntfy publishes JSON to the server root with the topic inside: https://ntfy.sh/alerts → https://ntfy.sh/ + "alerts".
std::pair<std::string, std::string> ntfy_root_and_topic(const std::string& url) {
    const auto path = url.find('/', url.find("://") + 3);
    if (path == std::string::npos) return {url + "/", ""};
    std::string topic = url.substr(path + 1);
    while (topic.ends_with('/')) topic.pop_back();
    return {url.substr(0, path + 1), topic};
}

}  // namespace

nlohmann::json generic_payload(const Message& message, feed::UnixTime now) {
    if (message.health) {
        return {{"version", k_webhook_payload_version},
                {"type", "feed_health"},
                {"idempotency_key", message.idempotency_key},
                {"sent_at", feed::format_rfc3339(now)},
                {"health", to_json(*message.health)}};
    }
    nlohmann::json alerts = nlohmann::json::array();
    for (const Alert& alert : message.alerts) alerts.push_back(to_json(alert));
    return {{"version", k_webhook_payload_version},
            {"type", message.digest ? "digest" : "alert"},
            {"idempotency_key", message.idempotency_key},
            {"sent_at", feed::format_rfc3339(now)},
            {"alerts", std::move(alerts)}};
}

std::string webhook_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
    std::string signed_text(timestamp);
    signed_text += '.';
    signed_text += body;
    return "sha256=" + hmac_sha256_hex(secret, signed_text);
}

HttpRequest render_webhook(const Message& message, const config::WebhookChannel& channel, std::string_view secret,
                           feed::UnixTime now) {
    HttpRequest request{.url = channel.url, .headers = {}, .body = {}};
    switch (channel.format) {
        case config::WebhookFormat::generic: request.body = dump(generic_payload(message, now)); break;
        case config::WebhookFormat::slack:
        case config::WebhookFormat::mattermost:
            request.body = dump({{"text", escape_slack_markup(chat_text(message, 15'000))}});
            break;
        case config::WebhookFormat::discord:
            // Discord rejects content over 2000 characters; bytes are a safe upper bound.
            request.body = dump(
                {{"content", chat_text(message, 2'000)}, {"allowed_mentions", {{"parse", nlohmann::json::array()}}}});
            break;
        case config::WebhookFormat::ntfy: {
            auto [root, topic] = ntfy_root_and_topic(channel.url);
            request.url = root;
            nlohmann::json body{{"topic", topic}, {"message", chat_text(message, 4'000)}};
            if (message.health) {
                body["title"] = one_line_summary(*message.health);
                body["tags"] = {"feed_health", message.health->feed};
            } else if (message.digest || message.alerts.size() != 1) {
                body["title"] = "signalmon digest: " + std::to_string(message.alerts.size()) + " alerts";
            } else {
                const Alert& alert = message.alerts.front();
                body["title"] = one_line_summary(alert);
                body["tags"] = {alert.kind, alert.brief_id};
                if (alert.link.starts_with("https://") || alert.link.starts_with("http://")) body["click"] = alert.link;
            }
            request.body = dump(body);
            break;
        }
    }
    const std::string timestamp = std::to_string(now);
    request.headers.emplace_back("Content-Type", "application/json");
    request.headers.emplace_back("Idempotency-Key", message.idempotency_key);
    request.headers.emplace_back("X-Signalmon-Timestamp", timestamp);
    if (!secret.empty())
        request.headers.emplace_back("X-Signalmon-Signature", webhook_signature(secret, timestamp, request.body));
    for (const auto& header : channel.headers) request.headers.push_back(header);
    return request;
}

}  // namespace signalmon::alert
