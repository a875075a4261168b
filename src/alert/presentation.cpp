// Shared alert presentation.
#include "alert/presentation.hpp"

#include <array>

#include "text/highlight.hpp"

namespace signalmon::alert {
namespace {

constexpr std::array k_kind_styles{
    KindStyle{
        .label = "CONFIRM", .meaning = "evidence for the thesis", .colour = "#1a7f37", .emoji = "white_check_mark"},
    KindStyle{.label = "KILL", .meaning = "evidence against the thesis", .colour = "#b42318", .emoji = "x"},
    KindStyle{.label = "WATCH", .meaning = "worth watching", .colour = "#8a5a00", .emoji = "eyes"},
};

// Percent-encodes everything but RFC 3986's unreserved characters, so a brief id stays one path segment.
std::string path_segment(std::string_view text) {
    constexpr std::string_view k_hex = "0123456789ABCDEF";
    std::string encoded;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            encoded += c;
        } else {
            encoded += '%';
            encoded += k_hex[byte >> 4];
            encoded += k_hex[byte & 0xF];
        }
    }
    return encoded;
}

}  // namespace

const KindStyle& kind_style(std::string_view kind) {
    if (kind == "confirm") return k_kind_styles[0];
    if (kind == "kill") return k_kind_styles[1];
    return k_kind_styles[2];
}

std::string brief_name(const Alert& alert) { return alert.brief_title.empty() ? alert.brief_id : alert.brief_title; }

std::string alert_subject(const Alert& alert) {
    return "[" + alert.kind + "] " + brief_name(alert) + ": " + alert.title;
}

std::string source_and_time(const Alert& alert, const config::AlertsConfig& settings) {
    if (alert.published) return alert.feed + ", published " + settings.time_zone.format(*alert.published);
    return alert.feed + ", found " + settings.time_zone.format(alert.found_at);
}

std::string ledger_url(const Alert& alert, const config::AlertsConfig& settings) {
    if (settings.public_url.empty()) return "";
    return settings.public_url + "/briefs/" + path_segment(alert.brief_id);
}

bool is_web_link(std::string_view link) { return link.starts_with("https://") || link.starts_with("http://"); }

std::string marked_snippet(const AlertSignal& signal, std::string_view open, std::string_view close,
                           std::string (*escape)(std::string_view)) {
    const std::string_view snippet = signal.snippet;
    std::string out;
    std::size_t done = 0;
    for (const text::Span& span : text::term_spans(snippet, signal.terms)) {
        out += escape(snippet.substr(done, span.begin - done));
        out += open;
        out += escape(snippet.substr(span.begin, span.end - span.begin));
        out += close;
        done = span.end;
    }
    out += escape(snippet.substr(done));
    return out;
}

}  // namespace signalmon::alert
