// Webhook payloads per format, and their signature.
#include "alert/webhook.hpp"

#include <algorithm>
#include <cctype>

#include "alert/crypto.hpp"
#include "alert/email.hpp"
#include "alert/presentation.hpp"
#include "feed/date.hpp"
#include "text/utf8.hpp"

namespace signalmon::alert {
namespace {

std::string dump(const nlohmann::json& json) {
    return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Chat limits are in characters; cutting at bytes stays inside them. Never splits a UTF-8 character.
std::string cut(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return std::string(text);
    return std::string(text::truncate_utf8(text, max_bytes - 3)) + "...";
}

// The e-mail's plain-text part: what a feed health alert shows in every chat format.
std::string chat_text(const Message& message, const config::AlertsConfig& settings, std::size_t max_bytes) {
    return cut(email_parts(message, settings).text, max_bytes);
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

// A backslash before every ASCII punctuation character: CommonMark (Mattermost) and Discord's
// Markdown read "\*" as a literal "*" and "\@" as a literal "@", so feed text can neither format,
// link nor mention.
std::string escape_markdown(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        if (std::ispunct(static_cast<unsigned char>(c))) escaped += '\\';
        escaped += c;
    }
    return escaped;
}

std::string signal_line(const AlertSignal& signal) {
    return (signal.says.empty() ? signal.id : signal.says) + " (" + signal.id + ", " + signal.kind + " +" +
           std::to_string(signal.weight) + ")";
}

std::string terms_line(const AlertSignal& signal) {
    std::string line = "Matched: ";
    for (std::size_t index = 0; index < signal.terms.size(); ++index) line += (index ? ", " : "") + signal.terms[index];
    return line;
}

std::string kind_heading(const Alert& alert) {
    const KindStyle& kind = kind_style(alert.kind);
    return std::string(kind.label) + " · " + std::string(kind.meaning);
}

nlohmann::json plain_text(std::string_view text, std::size_t max_bytes) {
    return {{"type", "plain_text"}, {"text", cut(text, max_bytes)}, {"emoji", false}};
}

// Slack Block Kit inside a coloured attachment. Every piece of feed text is a plain_text object,
// which Slack never reads for mentions, links or formatting; only the fallback is mrkdwn-ish
// text, and it is escaped.
nlohmann::json slack_attachment(const Alert& alert, const config::AlertsConfig& settings) {
    constexpr std::size_t k_section_bytes = 2'900;  // a section's text: at most 3000 characters
    nlohmann::json blocks = nlohmann::json::array();
    blocks.push_back({{"type", "header"}, {"text", plain_text(kind_heading(alert), 150)}});
    blocks.push_back({{"type", "section"}, {"text", plain_text("Brief: " + brief_name(alert), k_section_bytes)}});
    blocks.push_back(
        {{"type", "section"}, {"text", plain_text(alert.title.empty() ? "(untitled)" : alert.title, k_section_bytes)}});
    blocks.push_back(
        {{"type", "context"}, {"elements", {plain_text(source_and_time(alert, settings), k_section_bytes)}}});
    if (!alert.summary.empty())
        blocks.push_back({{"type", "section"}, {"text", plain_text(alert.summary, k_section_bytes)}});
    constexpr std::size_t k_signals_shown = 10;  // a message holds at most 50 blocks
    for (std::size_t index = 0; index < alert.signals.size() && index < k_signals_shown; ++index) {
        const AlertSignal& signal = alert.signals[index];
        std::string text = signal_line(signal);
        if (!signal.terms.empty()) text += "\n" + terms_line(signal);
        if (!signal.snippet.empty()) text += "\n“" + signal.snippet + "”";
        blocks.push_back({{"type", "section"}, {"text", plain_text(text, k_section_bytes)}});
    }
    nlohmann::json buttons = nlohmann::json::array();
    if (is_web_link(alert.link) && alert.link.size() <= 3'000) {
        buttons.push_back({{"type", "button"}, {"text", plain_text("Open the story", 75)}, {"url", alert.link}});
    }
    if (const std::string ledger = ledger_url(alert, settings); !ledger.empty()) {
        buttons.push_back({{"type", "button"}, {"text", plain_text("The brief's ledger", 75)}, {"url", ledger}});
    }
    if (!buttons.empty()) blocks.push_back({{"type", "actions"}, {"elements", std::move(buttons)}});
    return {{"color", kind_style(alert.kind).colour},
            {"fallback", escape_slack_markup(alert_subject(alert))},
            {"blocks", std::move(blocks)}};
}

// The summary, each signal with its snippet (matched words in bold) and the ledger link, as the
// Markdown Mattermost and Discord read: feed text escaped, only the emphasis and link ours.
std::string markdown_body(const Alert& alert, const config::AlertsConfig& settings, std::string_view bullet,
                          std::string_view snippet_break) {
    std::string body;
    if (!alert.summary.empty()) body += escape_markdown(alert.summary) + "\n\n";
    for (const AlertSignal& signal : alert.signals) {
        body += std::string(bullet) + escape_markdown(signal_line(signal));
        if (!signal.snippet.empty()) {
            body += std::string(snippet_break) + "“" + marked_snippet(signal, "**", "**", escape_markdown) + "”";
        }
        body += "\n";
    }
    if (const std::string ledger = ledger_url(alert, settings); !ledger.empty()) {
        body += "\n[The brief's ledger](" + ledger + ")";
    }
    return body;
}

// Mattermost reads Slack's attachments (not Block Kit): text and field values are Markdown,
// escaped; the title is shown as plain text.
nlohmann::json mattermost_attachment(const Alert& alert, const config::AlertsConfig& settings) {
    const std::string text = markdown_body(alert, settings, "- ", "\n  ");
    nlohmann::json attachment{
        {"fallback", escape_slack_markup(alert_subject(alert))},
        {"color", kind_style(alert.kind).colour},
        {"pretext", "**" + kind_heading(alert) + "**"},
        {"title", cut(alert.title, 1'000)},
        {"text", cut(text, 6'000)},
        {"fields",
         {{{"title", "Brief"}, {"value", escape_markdown(brief_name(alert))}, {"short", true}},
          {{"title", "Source"}, {"value", escape_markdown(source_and_time(alert, settings))}, {"short", true}}}}};
    if (is_web_link(alert.link)) attachment["title_link"] = alert.link;
    return attachment;
}

// A Discord embed; its title, description and field values read Markdown, escaped. Sized so that
// five fit the 6000 characters Discord allows across a message's embeds.
nlohmann::json discord_embed(const Alert& alert, const config::AlertsConfig& settings, std::size_t description_bytes) {
    const std::string description = markdown_body(alert, settings, "• ", "\n");
    nlohmann::json embed{
        {"author", {{"name", cut(kind_heading(alert) + " — " + brief_name(alert), 100)}}},
        {"title", cut(escape_markdown(alert.title), 200)},
        {"description", cut(description, description_bytes)},
        {"color", std::stoi(std::string(kind_style(alert.kind).colour.substr(1)), nullptr, 16)},
        {"footer", {{"text", cut(source_and_time(alert, settings), 100)}}},
    };
    if (is_web_link(alert.link) && alert.link.size() <= 2'000) embed["url"] = alert.link;
    embed["timestamp"] = feed::format_rfc3339(alert.published.value_or(alert.found_at));
    return embed;
}

std::string digest_title(const Message& message) {
    return "signalmon digest: " + std::to_string(message.alerts.size()) + " alerts";
}

std::string slack_body(const Message& message, const config::AlertsConfig& settings) {
    if (message.health) return dump({{"text", escape_slack_markup(chat_text(message, settings, 15'000))}});
    constexpr std::size_t k_attachments_shown = 20;
    nlohmann::json attachments = nlohmann::json::array();
    for (std::size_t index = 0; index < message.alerts.size() && index < k_attachments_shown; ++index) {
        attachments.push_back(slack_attachment(message.alerts[index], settings));
    }
    const bool single = !message.digest && message.alerts.size() == 1;
    const std::string text = single ? alert_subject(message.alerts.front()) : digest_title(message);
    return dump({{"text", escape_slack_markup(text)}, {"attachments", std::move(attachments)}});
}

std::string mattermost_body(const Message& message, const config::AlertsConfig& settings) {
    if (message.health) return dump({{"text", escape_slack_markup(chat_text(message, settings, 15'000))}});
    constexpr std::size_t k_attachments_shown = 20;
    nlohmann::json attachments = nlohmann::json::array();
    for (std::size_t index = 0; index < message.alerts.size() && index < k_attachments_shown; ++index) {
        attachments.push_back(mattermost_attachment(message.alerts[index], settings));
    }
    nlohmann::json body{{"attachments", std::move(attachments)}};
    if (message.digest || message.alerts.size() != 1) body["text"] = escape_markdown(digest_title(message));
    return dump(body);
}

std::string discord_body(const Message& message, const config::AlertsConfig& settings) {
    const nlohmann::json no_mentions{{"parse", nlohmann::json::array()}};
    // Discord rejects content over 2000 characters; bytes are a safe upper bound.
    if (message.health) {
        return dump({{"content", chat_text(message, settings, 2'000)}, {"allowed_mentions", no_mentions}});
    }
    constexpr std::size_t k_embeds_shown = 5;
    const std::size_t shown = std::min(message.alerts.size(), k_embeds_shown);
    nlohmann::json embeds = nlohmann::json::array();
    for (std::size_t index = 0; index < shown; ++index) {
        embeds.push_back(discord_embed(message.alerts[index], settings, 3'000 / std::max<std::size_t>(shown, 1)));
    }
    nlohmann::json body{{"embeds", std::move(embeds)}, {"allowed_mentions", no_mentions}};
    if (message.digest || message.alerts.size() != 1) {
        body["content"] = digest_title(message) +
                          (shown < message.alerts.size() ? ", the first " + std::to_string(shown) + " shown" : "");
    }
    return dump(body);
}

// ntfy publishes JSON to the server root with the topic inside: https://ntfy.sh/alerts → https://ntfy.sh/ + "alerts".
std::pair<std::string, std::string> ntfy_root_and_topic(const std::string& url) {
    const auto path = url.find('/', url.find("://") + 3);
    if (path == std::string::npos) return {url + "/", ""};
    std::string topic = url.substr(path + 1);
    while (topic.ends_with('/')) topic.pop_back();
    return {url.substr(0, path + 1), topic};
}

// ntfy shows title and message as plain text (Markdown is opt-in and not asked for); a tag that
// names an emoji shows as one, so the kind reads as an icon and in words.
nlohmann::json ntfy_body(const Message& message, const config::AlertsConfig& settings, const std::string& topic) {
    nlohmann::json body{{"topic", topic}, {"message", chat_text(message, settings, 4'000)}};
    if (message.health) {
        body["title"] = one_line_summary(*message.health);
        body["tags"] = {"warning", "feed_health", message.health->feed};
        return body;
    }
    if (message.digest || message.alerts.size() != 1) {
        body["title"] = digest_title(message);
        return body;
    }
    const Alert& alert = message.alerts.front();
    body["title"] = cut(alert_subject(alert), 250);
    body["tags"] = {kind_style(alert.kind).emoji, alert.kind, alert.brief_id};
    if (is_web_link(alert.link)) body["click"] = alert.link;
    if (const std::string ledger = ledger_url(alert, settings); !ledger.empty()) {
        body["actions"] = {{{"action", "view"}, {"label", "The brief's ledger"}, {"url", ledger}}};
    }
    return body;
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
                           const config::AlertsConfig& settings, feed::UnixTime now) {
    HttpRequest request{.url = channel.url, .headers = {}, .body = {}};
    switch (channel.format) {
        case config::WebhookFormat::generic: request.body = dump(generic_payload(message, now)); break;
        case config::WebhookFormat::slack: request.body = slack_body(message, settings); break;
        case config::WebhookFormat::mattermost: request.body = mattermost_body(message, settings); break;
        case config::WebhookFormat::discord: request.body = discord_body(message, settings); break;
        case config::WebhookFormat::ntfy: {
            auto [root, topic] = ntfy_root_and_topic(channel.url);
            request.url = root;
            request.body = dump(ntfy_body(message, settings, topic));
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
