// Header sanitising, RFC 2047, base64, dates and HTML escaping for outgoing mail.
#include "alert/mime.hpp"

#include <ctime>

namespace signalmon::alert {
namespace {

bool is_utf8_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The largest prefix of text no longer than max_bytes that ends on a character boundary.
std::size_t utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text.size();
    std::size_t end = max_bytes;
    while (end > 0 && is_utf8_continuation(text[end])) --end;
    return end;
}

bool is_printable_ascii(std::string_view text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte > 0x7e) return false;
    }
    return true;
}

}  // namespace

std::string header_text(std::string_view text, std::size_t max_bytes) {
    std::string clean;
    clean.reserve(text.size());
    bool pending_space = false;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || c == ' ') {
            pending_space = !clean.empty();
            continue;
        }
        if (pending_space) clean += ' ';
        pending_space = false;
        clean += c;
    }
    if (clean.size() > max_bytes) {
        clean.resize(utf8_prefix(clean, max_bytes - 3));
        clean += "...";
    }
    return clean;
}

std::string encode_header_value(std::string_view header_name, std::string_view value) {
    std::string clean = header_text(value);
    // "=?" in plain text could be misread as an encoded word, so such text is encoded too.
    if (is_printable_ascii(clean) && clean.find("=?") == std::string::npos &&
        header_name.size() + 2 + clean.size() <= 998) {
        return clean;
    }
    // 75 characters per word: 12 of framing leave 63 for base64, so at most 45 bytes of text.
    constexpr std::size_t k_bytes_per_word = 45;
    std::string encoded;
    std::string_view rest = clean;
    while (!rest.empty()) {
        const std::size_t take = utf8_prefix(rest, k_bytes_per_word);
        if (!encoded.empty()) encoded += "\r\n ";
        encoded += "=?UTF-8?B?" + base64(rest.substr(0, take)) + "?=";
        rest.remove_prefix(take);
    }
    return encoded;
}

std::string base64(std::string_view data) {
    static constexpr char k_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const std::uint32_t triple = (static_cast<unsigned char>(data[i]) << 16) |
                                     (static_cast<unsigned char>(data[i + 1]) << 8) |
                                     static_cast<unsigned char>(data[i + 2]);
        out += k_alphabet[(triple >> 18) & 63];
        out += k_alphabet[(triple >> 12) & 63];
        out += k_alphabet[(triple >> 6) & 63];
        out += k_alphabet[triple & 63];
    }
    if (i < data.size()) {
        std::uint32_t triple = static_cast<unsigned char>(data[i]) << 16;
        if (i + 1 < data.size()) triple |= static_cast<unsigned char>(data[i + 1]) << 8;
        out += k_alphabet[(triple >> 18) & 63];
        out += k_alphabet[(triple >> 12) & 63];
        out += i + 1 < data.size() ? k_alphabet[(triple >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64_lines(std::string_view data) {
    const std::string encoded = base64(data);
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
    return out;
}

std::string rfc5322_date(std::int64_t unix_time) {
    const std::time_t time = unix_time;
    std::tm parts{};
    gmtime_r(&time, &parts);
    char text[40];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S +0000", &parts);
    return text;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string mailbox_address(std::string_view mailbox) {
    const auto open = mailbox.rfind('<');
    const auto close = mailbox.rfind('>');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
        return std::string(mailbox.substr(open + 1, close - open - 1));
    }
    return header_text(mailbox);
}

}  // namespace signalmon::alert
