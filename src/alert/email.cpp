// E-mail rendering: plain text and HTML bodies, headers made safe, MIME assembly.
#include "alert/email.hpp"

#include <map>

#include "alert/mime.hpp"
#include "feed/date.hpp"

namespace signalmon::alert {
namespace {

bool is_web_link(std::string_view link) { return link.starts_with("https://") || link.starts_with("http://"); }

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string join(const std::vector<std::string>& values, std::string_view separator) {
    std::string joined;
    for (const std::string& value : values) joined += (joined.empty() ? "" : std::string(separator)) + value;
    return joined;
}

void append_text(const Alert& alert, std::string& text) {
    text += upper(alert.kind) + " · " + alert.brief_id + " · score " + std::to_string(alert.score) + " (threshold " +
            std::to_string(alert.threshold) + ")\n";
    if (!alert.brief_title.empty()) text += alert.brief_title + "\n";
    text += "\n" + alert.title + "\n";
    text += "Source: " + alert.feed;
    if (alert.published) text += ", " + feed::format_rfc3339(*alert.published);
    text += "\n";
    if (!alert.link.empty()) text += alert.link + "\n";
    for (const AlertSignal& signal : alert.signals) {
        text += "\n* " + signal.id + " (" + signal.kind + ", +" + std::to_string(signal.weight) + ")\n";
        if (!signal.says.empty()) text += "  Says: " + signal.says + "\n";
        if (!signal.terms.empty()) text += "  Matched: " + join(signal.terms, ", ") + "\n";
        if (!signal.snippet.empty()) text += "  \"" + signal.snippet + "\"\n";
    }
}

void append_html(const Alert& alert, std::string& html) {
    html += "<h2 style=\"margin:0 0 4px 0;font-size:18px\">";
    if (is_web_link(alert.link)) {
        html += "<a href=\"" + html_escape(alert.link) + "\">" + html_escape(alert.title) + "</a>";
    } else {
        html += html_escape(alert.title);
    }
    html += "</h2>\n<p style=\"margin:0;color:#555\"><b>" + html_escape(upper(alert.kind)) + "</b> · " +
            html_escape(alert.brief_id) + " · score " + std::to_string(alert.score) + " (threshold " +
            std::to_string(alert.threshold) + ")";
    if (!alert.brief_title.empty()) html += "<br>" + html_escape(alert.brief_title);
    html += "<br>Source: " + html_escape(alert.feed);
    if (alert.published) html += ", " + feed::format_rfc3339(*alert.published);
    html += "</p>\n<ul style=\"padding-left:18px\">\n";
    for (const AlertSignal& signal : alert.signals) {
        html += "<li><b>" + html_escape(signal.id) + "</b> (" + html_escape(signal.kind) + ", +" +
                std::to_string(signal.weight) + ")";
        if (!signal.says.empty()) html += "<br>Says: " + html_escape(signal.says);
        if (!signal.terms.empty()) html += "<br>Matched: " + html_escape(join(signal.terms, ", "));
        if (!signal.snippet.empty()) html += "<br><i>" + html_escape(signal.snippet) + "</i>";
        html += "</li>\n";
    }
    html += "</ul>\n";
}

void append_health_text(const HealthAlert& health, std::string& text) {
    text += "Feed " + health.feed + " is " + health.problem + ": " + health.detail + "\n\n";
    text += "URL: " + health.url + "\n";
    text += "Since: " + feed::format_rfc3339(health.since) + "\n";
    text += "Last success: " + (health.last_success ? feed::format_rfc3339(*health.last_success) : "never") + "\n";
    text += "Consecutive failures: " + std::to_string(health.consecutive_failures) + "\n";
    if (!health.last_error.empty()) text += "Last error: " + health.last_error + "\n";
    text += "\nsignalctl feeds shows its state; this alert is sent once until the feed recovers.\n";
}

void append_health_html(const HealthAlert& health, std::string& html) {
    html += "<h2 style=\"margin:0 0 4px 0;font-size:18px\">Feed " + html_escape(health.feed) + " is " +
            html_escape(health.problem) + "</h2>\n<p>" + html_escape(health.detail) +
            "</p>\n<p style=\"color:#555\">URL: ";
    html += is_web_link(health.url) ? "<a href=\"" + html_escape(health.url) + "\">" + html_escape(health.url) + "</a>"
                                    : html_escape(health.url);
    html += "<br>Since: " + feed::format_rfc3339(health.since);
    html += "<br>Last success: " + (health.last_success ? feed::format_rfc3339(*health.last_success) : "never");
    html += "<br>Consecutive failures: " + std::to_string(health.consecutive_failures);
    if (!health.last_error.empty()) html += "<br>Last error: " + html_escape(health.last_error);
    html += "</p>\n";
}

std::string html_document(std::string_view title, std::string_view body) {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
           "content=\"width=device-width\"><title>" +
           html_escape(title) + "</title></head>\n<body style=\"font-family:sans-serif;max-width:40em\">\n" +
           std::string(body) + "</body></html>\n";
}

}  // namespace

EmailParts email_parts(const Message& message) {
    EmailParts parts;
    if (message.health) {
        parts.subject = "[signalmon] " + one_line_summary(*message.health);
        append_health_text(*message.health, parts.text);
        std::string body;
        append_health_html(*message.health, body);
        parts.html = html_document(parts.subject, body);
        return parts;
    }
    if (!message.digest && message.alerts.size() == 1) {
        const Alert& alert = message.alerts.front();
        parts.subject = "[signalmon] " + one_line_summary(alert);
        append_text(alert, parts.text);
        std::string body;
        append_html(alert, body);
        parts.html = html_document(parts.subject, body);
        return parts;
    }
    // Grouped by brief, then kind, so a reader sees what changed for each brief at a glance.
    std::map<std::string, std::map<std::string, std::vector<const Alert*>>> groups;
    for (const Alert& alert : message.alerts) groups[alert.brief_id][alert.kind].push_back(&alert);
    parts.subject = "[signalmon] digest: " + std::to_string(message.alerts.size()) + " alerts for " +
                    std::to_string(groups.size()) + (groups.size() == 1 ? " brief" : " briefs");
    std::string body;
    for (const auto& [brief, kinds] : groups) {
        parts.text += "=== " + brief + " ===\n";
        body += "<h1 style=\"font-size:20px\">" + html_escape(brief) + "</h1>\n";
        for (const auto& [kind, alerts] : kinds) {
            parts.text += "\n--- " + upper(kind) + " (" + std::to_string(alerts.size()) + ") ---\n";
            body += "<h3>" + html_escape(upper(kind)) + " (" + std::to_string(alerts.size()) + ")</h3>\n";
            for (const Alert* alert : alerts) {
                parts.text += "\n";
                append_text(*alert, parts.text);
                append_html(*alert, body);
            }
        }
        parts.text += "\n";
    }
    parts.html = html_document(parts.subject, body);
    return parts;
}

std::string message_id(std::string_view idempotency_key, std::string_view from) {
    const std::string address = mailbox_address(from);
    const auto at = address.rfind('@');
    std::string domain = at == std::string::npos ? "" : address.substr(at + 1);
    if (domain.empty() || domain.find_first_of(" <>\r\n") != std::string::npos) domain = "signalmon.invalid";
    return "<" + std::string(idempotency_key) + "@" + domain + ">";
}

std::string render_email(const Message& message, const config::EmailChannel& channel, feed::UnixTime now) {
    const EmailParts parts = email_parts(message);
    // Base64 never produces "=_", so the boundary cannot occur inside a part.
    const std::string boundary = "=_signalmon_" + message.idempotency_key;
    std::string to;
    for (const std::string& address : channel.to) to += (to.empty() ? "" : ", ") + header_text(address);
    std::string mail;
    mail += "From: " + header_text(channel.from) + "\r\n";
    mail += "To: " + to + "\r\n";
    mail += "Subject: " + encode_header_value("Subject", parts.subject) + "\r\n";
    mail += "Date: " + rfc5322_date(now) + "\r\n";
    mail += "Message-ID: " + message_id(message.idempotency_key, channel.from) + "\r\n";
    mail += "MIME-Version: 1.0\r\n";
    mail += "Auto-Submitted: auto-generated\r\n";
    mail += "X-Signalmon-Idempotency-Key: " + message.idempotency_key + "\r\n";
    mail += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
    mail +=
        "--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    mail += base64_lines(parts.text);
    mail += "--" + boundary + "\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    mail += base64_lines(parts.html);
    mail += "--" + boundary + "--\r\n";
    return mail;
}

}  // namespace signalmon::alert
