// E-mail rendering: plain text and HTML bodies, headers made safe, MIME assembly.
#include "alert/email.hpp"

#include <map>

#include "alert/mime.hpp"
#include "alert/presentation.hpp"
#include "feed/date.hpp"

namespace signalmon::alert {
namespace {

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::string join(const std::vector<std::string>& values, std::string_view separator) {
    std::string joined;
    for (const std::string& value : values) joined += (joined.empty() ? "" : std::string(separator)) + value;
    return joined;
}

std::string as_is(std::string_view text) { return std::string(text); }

std::string signal_note(const AlertSignal& signal) {
    return signal.id + ", " + signal.kind + " +" + std::to_string(signal.weight);
}

void append_text(const Alert& alert, const config::AlertsConfig& settings, std::string& text) {
    const KindStyle& kind = kind_style(alert.kind);
    text += std::string(kind.label) + ": " + std::string(kind.meaning) + "\n";
    text += "Brief: " + brief_name(alert) + "\n\n";
    text += alert.title + "\n";
    if (!alert.link.empty()) text += alert.link + "\n";
    text += source_and_time(alert, settings) + "\n";
    if (!alert.summary.empty()) text += "\n" + alert.summary + "\n";
    text += "\nSignals (" + alert.kind + " score " + std::to_string(alert.score) + ", threshold " +
            std::to_string(alert.threshold) + "):\n";
    for (const AlertSignal& signal : alert.signals) {
        text += "* " + (signal.says.empty() ? signal.id : signal.says) + " (" + signal_note(signal) + ")\n";
        if (!signal.terms.empty()) text += "  Matched: " + join(signal.terms, ", ") + "\n";
        if (!signal.snippet.empty()) text += "  \"" + marked_snippet(signal, "*", "*", as_is) + "\"\n";
    }
    if (const std::string ledger = ledger_url(alert, settings); !ledger.empty()) text += "\nLedger: " + ledger + "\n";
}

// Inline styles only: mail clients drop <style> blocks and never run script. data-part names the
// pieces for tests and for readers' own filters.
void append_html(const Alert& alert, const config::AlertsConfig& settings, std::string& html) {
    const KindStyle& kind = kind_style(alert.kind);
    const std::string colour(kind.colour);
    html += "<div data-part=\"alert\" style=\"border-left:6px solid " + colour +
            ";padding:4px 0 4px 12px;margin:0 0 20px 0\">\n";
    html += "<p style=\"margin:0 0 6px 0\"><span data-part=\"kind\" style=\"background:" + colour +
            ";color:#ffffff;font-weight:bold;letter-spacing:1px;padding:2px 8px;border-radius:3px\">" +
            std::string(kind.label) + "</span> <span data-part=\"kind-meaning\" style=\"color:" + colour + "\">" +
            std::string(kind.meaning) + "</span></p>\n";
    html += "<p data-part=\"brief\" style=\"margin:0;font-weight:bold\">" + html_escape(brief_name(alert)) + "</p>\n";
    html += "<h2 data-part=\"title\" style=\"margin:6px 0 2px 0;font-size:18px\">";
    html += is_web_link(alert.link) ? "<a href=\"" + html_escape(alert.link) + "\">" + html_escape(alert.title) + "</a>"
                                    : html_escape(alert.title);
    html += "</h2>\n<p data-part=\"source\" style=\"margin:0;color:#555555;font-size:13px\">" +
            html_escape(source_and_time(alert, settings)) + "</p>\n";
    if (!alert.summary.empty())
        html += "<p data-part=\"summary\" style=\"margin:8px 0\">" + html_escape(alert.summary) + "</p>\n";
    html += "<ul style=\"padding-left:18px;margin:8px 0\">\n";
    for (const AlertSignal& signal : alert.signals) {
        html += "<li data-part=\"signal\" style=\"margin-bottom:6px\"><span data-part=\"says\">" +
                html_escape(signal.says.empty() ? signal.id : signal.says) +
                "</span> <span style=\"color:#555555;font-size:13px\">(" + html_escape(signal_note(signal)) +
                ")</span>";
        if (!signal.snippet.empty()) {
            html +=
                "<br><span data-part=\"snippet\" style=\"color:#333333\">“" +
                marked_snippet(signal, "<mark style=\"background:#fff0a0;font-weight:bold\">", "</mark>", html_escape) +
                "”</span>";
        }
        html += "</li>\n";
    }
    html += "</ul>\n<p style=\"margin:0;color:#555555;font-size:13px\">" + html_escape(alert.kind) + " score " +
            std::to_string(alert.score) + ", threshold " + std::to_string(alert.threshold);
    if (const std::string ledger = ledger_url(alert, settings); !ledger.empty()) {
        html += " · <a data-part=\"ledger\" href=\"" + html_escape(ledger) + "\">the brief's ledger</a>";
    }
    html += "</p>\n</div>\n";
}

void append_health_text(const HealthAlert& health, const config::TimeZone& zone, std::string& text) {
    text += "Feed " + health.feed + " is " + health.problem + ": " + health.detail + "\n\n";
    text += "URL: " + health.url + "\n";
    text += "Since: " + zone.format(health.since) + "\n";
    text += "Last success: " + (health.last_success ? zone.format(*health.last_success) : "never") + "\n";
    text += "Consecutive failures: " + std::to_string(health.consecutive_failures) + "\n";
    if (!health.last_error.empty()) text += "Last error: " + health.last_error + "\n";
    text += "\nsignalctl feeds shows its state; this alert is sent once until the feed recovers.\n";
}

void append_health_html(const HealthAlert& health, const config::TimeZone& zone, std::string& html) {
    html += "<h2 style=\"margin:0 0 4px 0;font-size:18px\">Feed " + html_escape(health.feed) + " is " +
            html_escape(health.problem) + "</h2>\n<p>" + html_escape(health.detail) +
            "</p>\n<p style=\"color:#555\">URL: ";
    html += is_web_link(health.url) ? "<a href=\"" + html_escape(health.url) + "\">" + html_escape(health.url) + "</a>"
                                    : html_escape(health.url);
    html += "<br>Since: " + zone.format(health.since);
    html += "<br>Last success: " + (health.last_success ? zone.format(*health.last_success) : "never");
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

EmailParts email_parts(const Message& message, const config::AlertsConfig& settings) {
    EmailParts parts;
    if (message.health) {
        parts.subject = "[signalmon] " + one_line_summary(*message.health);
        append_health_text(*message.health, settings.time_zone, parts.text);
        std::string body;
        append_health_html(*message.health, settings.time_zone, body);
        parts.html = html_document(parts.subject, body);
        return parts;
    }
    if (!message.digest && message.alerts.size() == 1) {
        const Alert& alert = message.alerts.front();
        parts.subject = alert_subject(alert);
        append_text(alert, settings, parts.text);
        std::string body;
        append_html(alert, settings, body);
        parts.html = html_document(parts.subject, body);
        return parts;
    }
    // Grouped by brief, then kind, so a reader sees what changed for each brief at a glance.
    std::map<std::string, std::map<std::string, std::vector<const Alert*>>> groups;
    for (const Alert& alert : message.alerts) groups[brief_name(alert)][alert.kind].push_back(&alert);
    parts.subject = "[signalmon] digest: " + std::to_string(message.alerts.size()) + " alerts for " +
                    std::to_string(groups.size()) + (groups.size() == 1 ? " brief" : " briefs");
    std::string body;
    for (const auto& [brief, kinds] : groups) {
        parts.text += "=== " + brief + " ===\n";
        body += "<h1 style=\"font-size:20px\">" + html_escape(brief) + "</h1>\n";
        for (const auto& [kind, alerts] : kinds) {
            parts.text += "\n--- " + upper(kind) + " (" + std::to_string(alerts.size()) + ") ---\n";
            body += "<h3>" + html_escape(upper(kind)) + ": " + std::string(kind_style(kind).meaning) + " (" +
                    std::to_string(alerts.size()) + ")</h3>\n";
            for (const Alert* alert : alerts) {
                parts.text += "\n";
                append_text(*alert, settings, parts.text);
                append_html(*alert, settings, body);
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

std::string render_email(const Message& message, const config::EmailChannel& channel,
                         const config::AlertsConfig& settings, feed::UnixTime now) {
    const EmailParts parts = email_parts(message, settings);
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
