// Charset detection and conversion with glibc iconv.
#include "feed/charset.hpp"
#include "text/ascii.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <utility>

#include "feed/windows_1252.hpp"
#include "text/utf8.hpp"

namespace signalmon::feed {

namespace {

std::string_view skip_space(std::string_view text) {
    while (!text.empty() && text::is_ascii_space(text.front())) text.remove_prefix(1);
    return text;
}

// Value of the pseudo-attribute `name` inside an XML declaration's text.
std::string_view pseudo_attribute(std::string_view declaration, std::string_view name) {
    for (std::size_t at = declaration.find(name); at != std::string_view::npos; at = declaration.find(name, at + 1)) {
        std::string_view rest = skip_space(declaration.substr(at + name.size()));
        if (rest.empty() || rest.front() != '=') {
            continue;
        }
        rest = skip_space(rest.substr(1));
        if (rest.empty() || (rest.front() != '"' && rest.front() != '\'')) {
            continue;
        }
        const std::size_t close = rest.find(rest.front(), 1);
        if (close != std::string_view::npos) {
            return rest.substr(1, close - 1);
        }
    }
    return {};
}

// The text of a leading "<?xml ... ?>" (whitespace before it allowed), without the delimiters.
std::string_view xml_declaration(std::string_view text, std::size_t* end = nullptr) {
    const std::string_view trimmed = skip_space(text);
    if (!trimmed.starts_with("<?xml") || trimmed.size() < 6 || !text::is_ascii_space(trimmed[5])) {
        return {};
    }
    const std::size_t close = trimmed.find("?>");
    if (close > 1024) {  // also when there is none: npos is larger
        return {};
    }
    if (end != nullptr) {
        *end = (text.size() - trimmed.size()) + close + 2;
    }
    return trimmed.substr(5, close - 5);
}

bool has_c1_bytes(std::string_view bytes) {
    return std::ranges::any_of(bytes, [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte >= 0x80 && byte <= 0x9F;
    });
}

bool has_non_ascii(std::string_view bytes) {
    return std::ranges::any_of(bytes, [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// The charset to hand to iconv, after the mislabelling repairs described in charset.hpp.
std::string effective_charset(std::string_view body, std::string_view label) {
    const std::string name = text::ascii_lowercase(label);
    const bool latin1 = name == "iso-8859-1" || name == "iso8859-1" || name == "latin1" || name == "latin-1" ||
                        name == "iso_8859-1" || name == "us-ascii" || name == "ascii";
    const bool single_byte_latin = latin1 || name == "windows-1252" || name == "cp1252" || name == "iso-8859-15";
    if (name == "utf-8" || name == "utf8" || (single_byte_latin && has_non_ascii(body) && text::is_valid_utf8(body))) {
        return "UTF-8";
    }
    if (latin1 && has_c1_bytes(body)) {
        return "WINDOWS-1252";
    }
    return std::string(label);
}

// Converts with iconv; each sequence invalid in the charset becomes U+FFFD and clears exact.
std::string iconv_to_utf8(std::string_view body, const std::string& charset, bool& exact) {
    iconv_t converter = iconv_open("UTF-8", charset.c_str());
    if (converter == reinterpret_cast<iconv_t>(-1)) {
        exact = text::is_valid_utf8(body);
        return text::repair_utf8(body);  // unknown charset: UTF-8 is the best remaining guess
    }
    const std::string name = text::ascii_lowercase(charset);
    const std::size_t unit = name.starts_with("utf-16") || name.starts_with("ucs-2") ? 2
                             : name.starts_with("utf-32")                            ? 4
                                                                                     : 1;
    std::string out;
    out.reserve(body.size() + body.size() / 2);
    char buffer[16384];
    char* in = const_cast<char*>(body.data());  // iconv's signature; it does not write the input
    std::size_t in_left = body.size();
    while (in_left > 0) {
        char* out_ptr = buffer;
        std::size_t out_left = sizeof buffer;
        const std::size_t result = iconv(converter, &in, &in_left, &out_ptr, &out_left);
        out.append(buffer, static_cast<std::size_t>(out_ptr - buffer));
        if (result == static_cast<std::size_t>(-1) && errno != E2BIG) {
            // EILSEQ or EINVAL (truncated at the end): replace one code unit and go on.
            text::append_utf8(out, text::k_replacement_character);
            exact = false;
            const std::size_t skip = std::min(unit, in_left);
            in += skip;
            in_left -= skip;
        }
    }
    iconv_close(converter);
    return text::repair_utf8(out);
}

struct Decoded {
    std::string text;
    bool exact = true;  // every byte was valid in the charset
};

Decoded decode_as(std::string_view body, std::string_view label) {
    const std::string charset = effective_charset(body, label);
    if (charset == "UTF-8") {
        return {text::repair_utf8(body), text::is_valid_utf8(body)};
    }
    Decoded decoded;
    decoded.text = iconv_to_utf8(body, charset, decoded.exact);
    return decoded;
}

// The charset a byte order mark names, removing it, or that the first four bytes show ('<' or
// whitespace as 16- or 32-bit units); empty if neither.
std::string byte_order_charset(std::string_view& bytes) {
    const auto starts = [&](std::string_view prefix) { return bytes.starts_with(prefix); };
    using namespace std::string_view_literals;
    for (const auto& [mark, charset] :
         {std::pair{"\x00\x00\xFE\xFF"sv, "UTF-32BE"}, std::pair{"\xFF\xFE\x00\x00"sv, "UTF-32LE"},
          std::pair{"\xEF\xBB\xBF"sv, "UTF-8"}, std::pair{"\xFF\xFE"sv, "UTF-16LE"},
          std::pair{"\xFE\xFF"sv, "UTF-16BE"}}) {
        if (starts(mark)) {
            bytes.remove_prefix(mark.size());
            return charset;
        }
    }
    if (bytes.size() < 4) {
        return {};
    }
    const bool zero[4] = {bytes[0] == 0, bytes[1] == 0, bytes[2] == 0, bytes[3] == 0};
    if (zero[0] && zero[1] && zero[2] && !zero[3]) return "UTF-32BE";
    if (!zero[0] && zero[1] && zero[2] && zero[3]) return "UTF-32LE";
    if (!zero[0] && zero[1] && !zero[2] && zero[3]) return "UTF-16LE";
    if (zero[0] && !zero[1] && zero[2] && !zero[3]) return "UTF-16BE";
    return {};
}

// U+0080-U+009F left in decoded text (UTF-8 or UTF-16 of the C1 controls, usually text that was
// Windows-1252 once) become the Windows-1252 characters meant.
void map_c1_controls(std::string& utf8) {
    std::size_t at = utf8.find('\xC2');
    if (at == std::string::npos) {
        return;
    }
    std::string out(utf8, 0, at);
    for (; at < utf8.size(); ++at) {
        const auto next = at + 1 < utf8.size() ? static_cast<unsigned char>(utf8[at + 1]) : 0;
        if (utf8[at] == '\xC2' && next >= 0x80 && next <= 0x9F) {
            text::append_utf8(out, windows_1252_meaning(next));
            ++at;
        } else {
            out += utf8[at];
        }
    }
    utf8 = std::move(out);
}

}  // namespace

std::string content_type_charset(std::string_view content_type) {
    const std::string lowered = text::ascii_lowercase(content_type);
    const std::size_t at = lowered.find("charset=");
    if (at == std::string::npos) {
        return {};
    }
    std::string_view value = std::string_view(content_type).substr(at + 8);
    value = value.substr(0, value.find(';'));
    while (!value.empty() && (text::is_ascii_space(value.back()) || value.back() == '"' || value.back() == '\''))
        value.remove_suffix(1);
    while (!value.empty() && (text::is_ascii_space(value.front()) || value.front() == '"' || value.front() == '\''))
        value.remove_prefix(1);
    return std::string(value);
}

std::string declared_encoding(std::string_view bytes) {
    return std::string(pseudo_attribute(xml_declaration(bytes), "encoding"));
}

std::string decode_to_utf8(std::string_view bytes, std::string_view content_type) {
    std::string text;
    if (const std::string unit_charset = byte_order_charset(bytes); !unit_charset.empty()) {
        text = decode_as(bytes, unit_charset).text;
    } else {
        const std::string http = content_type_charset(content_type);
        const std::string declared = declared_encoding(bytes);
        if (http.empty() && declared.empty()) {
            // Unlabelled bytes that are not UTF-8 are most likely Windows-1252, a superset of ISO-8859-1.
            text = decode_as(bytes, text::is_valid_utf8(bytes) ? "UTF-8" : "WINDOWS-1252").text;
        } else {
            // RFC 7303 3.2: the HTTP charset wins over the declaration, unless the body does not
            // decode under it and does under the declared one.
            Decoded decoded = decode_as(bytes, http.empty() ? declared : http);
            if (!decoded.exact && !http.empty() && !declared.empty()) {
                if (Decoded fallback = decode_as(bytes, declared); fallback.exact) decoded = std::move(fallback);
            }
            // A declaration saying UTF-8 over bytes that are not is a template's boilerplate over
            // legacy text, which is Windows-1252 as often as not; a server's UTF-8 is taken at its word.
            if (!decoded.exact && http.empty() && effective_charset(bytes, declared) == "UTF-8") {
                if (Decoded fallback = decode_as(bytes, "WINDOWS-1252"); fallback.exact) decoded = std::move(fallback);
            }
            text = std::move(decoded.text);
        }
    }
    map_c1_controls(text);

    std::size_t declaration_end = 0;
    const std::string_view declaration = xml_declaration(text, &declaration_end);
    if (declaration.empty()) {
        text.erase(0, text.size() - skip_space(text).size());
        return text;
    }
    text.replace(0, declaration_end, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");  // in place: no copy of the body
    return text;
}

}  // namespace signalmon::feed
