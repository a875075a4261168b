// UTF-8 encoding, validation and repair, following the Unicode "maximal subpart" rule for errors.
#include "text/utf8.hpp"

#include "text/swar.hpp"

namespace signalmon::text {

namespace {

// Length of the well-formed sequence starting at bytes[at], or 0 if it is ill-formed.
std::size_t sequence_length(std::string_view bytes, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    const unsigned char lead = byte(at);
    if (lead < 0x80) {
        return 1;
    }
    std::size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // past U+10FFFF
    } else {
        return 0;
    }
    if (at + length > bytes.size()) {
        return 0;
    }
    if (byte(at + 1) < low || byte(at + 1) > high) {
        return 0;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if (byte(at + i) < 0x80 || byte(at + i) > 0xBF) {
            return 0;
        }
    }
    return length;
}

// Length of the longest valid UTF-8 prefix of bytes, eight ASCII bytes at a time where it can.
std::size_t valid_prefix_length(std::string_view bytes) {
    std::size_t at = 0;
    while (at < bytes.size()) {
        if (at + sizeof(std::uint64_t) <= bytes.size()) {
            const std::uint64_t high = swar::load(bytes.data() + at) & swar::k_high;
            if (high == 0) {
                at += sizeof(std::uint64_t);
                continue;
            }
            at += swar::first_flagged(high);
        }
        // Non-ASCII text (Cyrillic, accented words) comes in runs: stay here while it lasts, with
        // the common two-byte sequences checked inline.
        do {
            const auto lead = static_cast<unsigned char>(bytes[at]);
            std::size_t length = 0;
            if (lead >= 0xC2 && lead <= 0xDF && at + 1 < bytes.size() &&
                (static_cast<unsigned char>(bytes[at + 1]) & 0xC0) == 0x80) {
                length = 2;
            } else if (length = sequence_length(bytes, at); length == 0) {
                return at;
            }
            at += length;
        } while (at < bytes.size() && static_cast<unsigned char>(bytes[at]) >= 0x80);
    }
    return at;
}

}  // namespace

void append_utf8(std::string& out, char32_t code_point) {
    if ((code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
        code_point = k_replacement_character;
    }
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

bool is_valid_utf8(std::string_view bytes) { return valid_prefix_length(bytes) == bytes.size(); }

std::string repair_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t at = 0;;) {
        // Valid runs are appended whole: broken sequences are rare, ASCII and clean text common.
        const std::size_t valid = valid_prefix_length(bytes.substr(at));
        out.append(bytes.substr(at, valid));
        at += valid;
        if (at == bytes.size()) {
            return out;
        }
        append_utf8(out, k_replacement_character);
        // Skip the lead byte and any continuation bytes that belonged to the broken sequence.
        ++at;
        while (at < bytes.size() && (static_cast<unsigned char>(bytes[at]) & 0xC0) == 0x80) {
            ++at;
        }
    }
}

std::string_view repair_utf8(std::string_view bytes, std::string& storage) {
    if (is_valid_utf8(bytes)) {
        return bytes;
    }
    storage = repair_utf8(bytes);
    return storage;
}

std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) {
        return text;
    }
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return text.substr(0, end);
}

}  // namespace signalmon::text
