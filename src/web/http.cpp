// Request parsing and response writing for the daemon's HTTP endpoints.
#include "web/http.hpp"

#include <fmt/format.h>

#include <array>
#include <ctime>

#include "text/ascii.hpp"

namespace signalmon::web {
namespace {

std::string_view reason_phrase(int status) {
    switch (status) {
        case 200: return "OK";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Unknown";
    }
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::optional<std::string> HttpRequest::parameter(std::string_view name) const {
    std::string_view rest = query;
    while (!rest.empty()) {
        const std::size_t amp = std::min(rest.find('&'), rest.size());
        const std::string_view pair = rest.substr(0, amp);
        const std::size_t equals = std::min(pair.find('='), pair.size());
        if (percent_decode(pair.substr(0, equals), true) == name)
            return percent_decode(pair.substr(std::min(equals + 1, pair.size())), true);
        rest.remove_prefix(std::min(amp + 1, rest.size()));
    }
    return std::nullopt;
}

std::string HttpRequest::header(std::string_view name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
}

std::optional<HttpRequest> parse_request(std::string_view head) {
    const std::size_t line_end = head.find("\r\n");
    const std::string_view line = head.substr(0, line_end);
    const std::size_t method_end = line.find(' ');
    if (method_end == std::string_view::npos) return std::nullopt;
    const std::size_t target_end = line.find(' ', method_end + 1);
    if (target_end == std::string_view::npos) return std::nullopt;
    const std::string_view target = line.substr(method_end + 1, target_end - method_end - 1);
    if (!target.starts_with('/')) return std::nullopt;
    HttpRequest request;
    request.method = std::string(line.substr(0, method_end));
    const std::size_t question = std::min(target.find('?'), target.size());
    request.path = percent_decode(target.substr(0, question), false);
    request.query = std::string(target.substr(std::min(question + 1, target.size())));
    std::string_view rest = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
    while (!rest.empty()) {
        const std::size_t end = std::min(rest.find("\r\n"), rest.size());
        const std::string_view field = rest.substr(0, end);
        rest.remove_prefix(std::min(end + 2, rest.size()));
        const std::size_t colon = field.find(':');
        if (colon == std::string_view::npos) continue;
        request.headers[text::ascii_lowercase(field.substr(0, colon))] =
            std::string(text::trim_ascii_space(field.substr(colon + 1)));
    }
    return request;
}

std::string serialize(const HttpResponse& response, bool with_body) {
    std::string out = fmt::format("HTTP/1.1 {} {}\r\nContent-Type: {}\r\n", response.status,
                                  reason_phrase(response.status), response.content_type);
    // A 304 has no body, and a Content-Length there would have to be the full answer's.
    if (response.status != 304) out += fmt::format("Content-Length: {}\r\n", response.body.size());
    out += "Connection: close\r\n";
    for (const auto& [name, value] : response.headers) out.append(name).append(": ").append(value).append("\r\n");
    out += "\r\n";
    if (with_body && response.status != 304) out += response.body;
    return out;
}

HttpResponse plain_response(int status, std::string_view text) {
    return {.status = status, .content_type = "text/plain; charset=utf-8", .body = std::string(text)};
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
            i += 2;
        } else {
            out += plus_is_space && text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

std::string percent_encode(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (text::is_ascii_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        }
    }
    return out;
}

std::string http_date(feed::UnixTime time) {
    const std::time_t seconds = time;
    std::tm parts{};
    ::gmtime_r(&seconds, &parts);
    std::array<char, 40> text{};
    // The daemon never calls setlocale, so %a and %b are the English names HTTP wants.
    const std::size_t length = std::strftime(text.data(), text.size(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
    return {text.data(), length};
}

}  // namespace signalmon::web
