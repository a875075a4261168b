// Control-character removal: one pass over the bytes; UTF-8 makes C1 controls the only two-byte
// sequences to look at (C2 80 to C2 9F), and no other sequence contains those bytes in that order.
#include "text/controls.hpp"

namespace signalmon::text {
namespace {

bool is_c0_or_del(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F; }

// The length of the control at text[at], or 0 when there is none there.
std::size_t control_length(std::string_view text, std::size_t at) {
    const auto c = static_cast<unsigned char>(text[at]);
    if (is_c0_or_del(c)) return 1;
    if (c == 0xC2 && at + 1 < text.size()) {
        const auto next = static_cast<unsigned char>(text[at + 1]);
        if (next >= 0x80 && next <= 0x9F) return 2;
    }
    return 0;
}

}  // namespace

bool has_controls(std::string_view text) {
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (control_length(text, at) > 0) return true;
    }
    return false;
}

void strip_controls(std::string& text) {
    if (!has_controls(text)) return;
    text = without_controls(text);
}

std::string without_controls(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        if (const std::size_t length = control_length(text, at); length > 0) {
            at += length;
        } else {
            out += text[at++];
        }
    }
    return out;
}

}  // namespace signalmon::text
