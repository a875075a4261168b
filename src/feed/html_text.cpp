// A small forgiving HTML scanner: no tree, one pass, bounded output. Good enough for feed
// summaries, where the goal is matchable text, not rendering.
#include "feed/html_text.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "feed/html_entities.hpp"
#include "feed/windows_1252.hpp"
#include "text/swar.hpp"
#include "text/utf8.hpp"

namespace signalmon::feed {

namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
// Bytes that append() copies as they are: not ASCII whitespace or a control character, and not
// 0xC2, which may start a no-break space.
bool is_plain_byte(unsigned char byte) { return byte > 0x20 && byte != 0x7F && byte != 0xC2; }

// Where a run of text append() copies as it is must stop, eight bytes at once (high bit of each
// byte): at bytes that are not plain, except a single space between plain bytes, which collapsing
// leaves as it is. next_byte is the byte after the word; the caller starts runs on a non-space.
std::uint64_t run_stops(std::uint64_t word, unsigned char next_byte) {
    using namespace text::swar;
    // An ASCII byte plus 0x5F reaches 0x80 exactly when it is at least 0x21; no carry leaves a byte.
    const std::uint64_t below_0x21 = ~((word & k_low) + k_ones * (0x80 - 0x21)) & ~word & k_high;
    const std::uint64_t not_plain = below_0x21 | equal_bytes(word, 0x7F) | equal_bytes(word, 0xC2);
    const std::uint64_t space = equal_bytes(word, ' ');
    const std::uint64_t next_not_plain = (not_plain >> 8) | (is_plain_byte(next_byte) ? 0 : k_high << 56);
    return (not_plain & ~space) | (space & next_not_plain);
}

// Appends text while collapsing whitespace runs to one space and dropping leading whitespace;
// the trailing space, if any, is removed by finish().
class TextBuilder {
public:
    explicit TextBuilder(std::size_t max_bytes) : m_max_bytes(max_bytes) {}

    bool full() const { return m_out.size() >= m_max_bytes; }

    void space() { m_pending_space = !m_out.empty(); }

    void append(std::string_view utf8) {
        for (std::size_t i = 0; i < utf8.size(); ++i) {
            i = append_plain_run(utf8, i);
            if (i == utf8.size()) {
                break;
            }
            const char c = utf8[i];
            // Stop between characters only: a sequence cut at exactly max_bytes would pass
            // finish()'s truncation (which only shortens longer text) and leave invalid UTF-8.
            if (full() && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
                break;
            }
            const bool no_break_space = c == '\xC2' && i + 1 < utf8.size() && utf8[i + 1] == '\xA0';
            if (is_ascii_space(c) || no_break_space) {
                space();
                i += no_break_space ? 1 : 0;
                continue;
            }
            if (static_cast<unsigned char>(c) < 0x20 || c == '\x7F') {
                space();  // control characters never reach rules, mail or JSON
                continue;
            }
            if (m_pending_space) {
                m_out += ' ';
                m_pending_space = false;
            }
            m_out += c;
        }
    }

    void append(char32_t code_point) {
        std::string encoded;
        text::append_utf8(encoded, code_point);
        append(encoded);
    }

    std::string finish() && {
        // Input was repaired before scanning and append() stops between characters, so this cut
        // lands on a boundary.
        m_out.resize(text::truncate_utf8(m_out, m_max_bytes).size());
        while (!m_out.empty() && m_out.back() == ' ') {
            m_out.pop_back();
        }
        return std::move(m_out);
    }

private:
    // Copies the run of bytes from utf8[at] that need no whitespace or control handling, as far
    // as the per-byte path would (it stops once full) and returns where the run stopped.
    std::size_t append_plain_run(std::string_view utf8, std::size_t at) {
        const std::size_t used = m_out.size() + (m_pending_space ? 1 : 0);
        if (used >= m_max_bytes) {
            return at;
        }
        const std::size_t limit = std::min(utf8.size(), at + (m_max_bytes - used));
        if (utf8[at] == ' ') {
            return at;
        }
        const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(utf8[i]); };
        std::size_t end = at;
        for (; end + sizeof(std::uint64_t) < limit; end += sizeof(std::uint64_t)) {
            const std::uint64_t stops =
                run_stops(text::swar::load(utf8.data() + end), byte(end + sizeof(std::uint64_t)));
            if (stops != 0) {
                end += text::swar::first_flagged(stops);
                break;
            }
        }
        while (end < limit &&
               (is_plain_byte(byte(end)) || (byte(end) == ' ' && end + 1 < limit && is_plain_byte(byte(end + 1))))) {
            ++end;
        }
        if (end > at) {
            if (m_pending_space) {
                m_out += ' ';
                m_pending_space = false;
            }
            m_out.append(utf8.substr(at, end - at));
        }
        return end;
    }

    std::size_t m_max_bytes;
    std::string m_out;
    bool m_pending_space = false;
};

// Decodes the character reference starting at html[pos] == '&'; returns the code point and the
// length consumed, or nullopt if it is not a reference (then '&' is literal text).
std::optional<std::pair<char32_t, std::size_t>> character_reference(std::string_view html, std::size_t pos) {
    if (pos + 1 < html.size() && html[pos + 1] == '#') {
        return numeric_reference(html, pos);
    }
    std::size_t at = pos + 1;
    const std::size_t name_start = at;
    while (at < html.size() && at - name_start < 32 && is_alnum(html[at])) {
        ++at;
    }
    if (at >= html.size() || html[at] != ';') {
        return std::nullopt;
    }
    const auto code_point = html_entity(html.substr(name_start, at - name_start));
    if (!code_point) {
        return std::nullopt;
    }
    return std::pair{*code_point, at + 1 - pos};
}

// The elements feedparser's sanitizer accepts, sorted: tags that show text was written as HTML.
constexpr std::array<std::string_view, 100> k_html_elements{
    "a",          "abbr",
    "acronym",    "address",
    "area",       "article",
    "aside",      "audio",
    "b",          "big",
    "blockquote", "br",
    "button",     "canvas",
    "caption",    "center",
    "cite",       "code",
    "col",        "colgroup",
    "command",    "datagrid",
    "datalist",   "dd",
    "del",        "details",
    "dfn",        "dialog",
    "dir",        "div",
    "dl",         "dt",
    "em",         "event-source",
    "fieldset",   "figcaption",
    "figure",     "font",
    "footer",     "form",
    "h1",         "h2",
    "h3",         "h4",
    "h5",         "h6",
    "header",     "hr",
    "i",          "img",
    "input",      "ins",
    "kbd",        "keygen",
    "label",      "legend",
    "li",         "m",
    "map",        "menu",
    "meter",      "multicol",
    "nav",        "nextid",
    "noscript",   "ol",
    "optgroup",   "option",
    "output",     "p",
    "pre",        "progress",
    "q",          "s",
    "samp",       "section",
    "select",     "small",
    "sound",      "source",
    "spacer",     "span",
    "strike",     "strong",
    "sub",        "sup",
    "table",      "tbody",
    "td",         "textarea",
    "tfoot",      "th",
    "thead",      "time",
    "tr",         "tt",
    "u",          "ul",
    "var",        "video",
};

bool is_word_char(char c) { return is_alnum(c) || c == '_'; }

bool is_block_element(std::string_view name) {
    constexpr std::array<std::string_view, 38> k_blocks{
        "address",  "article",    "aside",  "blockquote", "br",   "caption", "dd",    "div",   "dl", "dt",
        "fieldset", "figcaption", "figure", "footer",     "form", "h1",      "h2",    "h3",    "h4", "h5",
        "h6",       "header",     "hr",     "img",        "li",   "main",    "nav",   "ol",    "p",  "pre",
        "section",  "table",      "td",     "th",         "tr",   "ul",      "tbody", "title",
    };
    return std::find(k_blocks.begin(), k_blocks.end(), name) != k_blocks.end();
}

// Position just past the '>' closing the tag that opens at pos, or npos if the tag never closes.
// As in HTML5, a quote delimits an attribute value only where the value starts (after '=' and
// optional spaces); elsewhere, as in <a href=x"y>, it is an ordinary character.
std::size_t tag_end(std::string_view html, std::size_t pos) {
    for (std::size_t at = pos + 1; at < html.size(); ++at) {
        if (html[at] == '>') {
            return at + 1;
        }
        if (html[at] != '=') {
            continue;
        }
        do {
            ++at;
        } while (at < html.size() && is_ascii_space(html[at]));
        if (at < html.size() && (html[at] == '"' || html[at] == '\'')) {
            at = html.find(html[at], at + 1);
            if (at == std::string_view::npos) {
                return at;
            }
        } else {
            while (at < html.size() && !is_ascii_space(html[at]) && html[at] != '>') ++at;
            --at;  // the loop looks at the space or '>' next
        }
    }
    return std::string_view::npos;
}

// Position after the closing tag of a raw-text element (script, style), or the end of input.
std::size_t raw_text_end(std::string_view html, std::size_t pos, std::string_view name) {
    for (std::size_t at = html.find("</", pos); at != std::string_view::npos; at = html.find("</", at + 2)) {
        const std::string_view candidate = html.substr(at + 2, name.size());
        bool same = candidate.size() == name.size();
        for (std::size_t i = 0; same && i < name.size(); ++i) {
            same = text::ascii_lower(candidate[i]) == name[i];
        }
        if (same) {
            const std::size_t end = tag_end(html, at);
            return end == std::string_view::npos ? html.size() : end;
        }
    }
    return html.size();
}

}  // namespace

std::optional<char32_t> html_entity(std::string_view name) {
    const auto found = std::lower_bound(k_html_entities.begin(), k_html_entities.end(), name,
                                        [](const auto& entry, std::string_view key) { return entry.first < key; });
    if (found == k_html_entities.end() || found->first != name) {
        return std::nullopt;
    }
    return found->second;
}

std::optional<std::pair<char32_t, std::size_t>> numeric_reference(std::string_view text, std::size_t pos) {
    std::size_t at = pos + 2;
    if (!text.substr(pos).starts_with("&#")) {
        return std::nullopt;
    }
    const bool hex = at < text.size() && (text[at] == 'x' || text[at] == 'X');
    at += hex ? 1 : 0;
    const std::size_t digits_start = at;
    std::uint32_t value = 0;
    while (at < text.size() && (hex ? std::isxdigit(static_cast<unsigned char>(text[at])) != 0
                                    : std::isdigit(static_cast<unsigned char>(text[at])) != 0)) {
        const char c = text::ascii_lower(text[at]);
        value = std::min<std::uint32_t>(
            value * (hex ? 16 : 10) + static_cast<std::uint32_t>(c <= '9' ? c - '0' : c - 'a' + 10), 0x110000);
        ++at;
    }
    if (at == digits_start) {
        return std::nullopt;
    }
    at += at < text.size() && text[at] == ';' ? 1 : 0;
    const bool invalid = value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF);
    return std::pair{invalid ? text::k_replacement_character : windows_1252_meaning(value), at - pos};
}

bool looks_like_html(std::string_view text) {
    bool end_tag_or_reference = false;
    for (std::size_t pos = text.find_first_of("<&"); pos != std::string_view::npos;
         pos = text.find_first_of("<&", pos + 1)) {
        const bool tag = text[pos] == '<';
        const bool marked = pos + 1 < text.size() && text[pos + 1] == (tag ? '/' : '#');
        const std::size_t start = pos + 1 + (marked ? 1 : 0);
        std::size_t end = start;
        while (end < text.size() && is_word_char(text[end])) ++end;
        if (end == start) {
            continue;
        }
        const std::string_view word = text.substr(start, end - start);
        if (tag) {
            if (!std::binary_search(k_html_elements.begin(), k_html_elements.end(), text::ascii_lowercase(word))) {
                return false;
            }
            end_tag_or_reference |= marked && end < text.size() && text[end] == '>';
        } else if (end < text.size() && text[end] == ';') {
            if (!marked && !html_entity(word)) {
                return false;
            }
            end_tag_or_reference = true;
        }
    }
    return end_tag_or_reference;
}

std::string html_to_text(std::string_view input, std::size_t max_bytes) {
    std::string repaired;
    const std::string_view html = text::repair_utf8(input, repaired);
    TextBuilder out(max_bytes);
    std::size_t pos = 0;
    while (pos < html.size() && !out.full()) {
        const char c = html[pos];
        if (c == '&') {
            if (const auto reference = character_reference(html, pos)) {
                out.append(reference->first);
                pos += reference->second;
                continue;
            }
            out.append("&");
            ++pos;
            continue;
        }
        const bool starts_markup = c == '<' && pos + 1 < html.size() &&
                                   (text::is_ascii_alpha(html[pos + 1]) || html[pos + 1] == '/' ||
                                    html[pos + 1] == '!' || html[pos + 1] == '?');
        if (!starts_markup) {
            const std::size_t next = text::swar::find_either(html, pos + 1, '&', '<');
            out.append(html.substr(pos, next - pos));
            pos = next;
            continue;
        }
        const std::string_view rest = html.substr(pos);
        if (rest.starts_with("<!--")) {
            const std::size_t end = html.find("-->", pos + 4);
            pos = end == std::string_view::npos ? html.size() : end + 3;
            continue;
        }
        if (rest.starts_with("<![CDATA[")) {
            const std::size_t end = html.find("]]>", pos + 9);
            const std::size_t stop = end == std::string_view::npos ? html.size() : end;
            out.append(html.substr(pos + 9, stop - pos - 9));
            pos = stop == html.size() ? stop : stop + 3;
            continue;
        }
        const std::size_t end = tag_end(html, pos);
        if (end == std::string_view::npos) {
            break;  // an unterminated tag swallows the rest, as in browsers
        }
        const bool closing = html[pos + 1] == '/';
        std::string name;
        for (std::size_t at = pos + (closing ? 2 : 1); at < end && is_alnum(html[at]); ++at) {
            name += text::ascii_lower(html[at]);
        }
        pos = end;
        if (!closing && (name == "script" || name == "style")) {
            pos = raw_text_end(html, pos, name);
        }
        if (is_block_element(name)) {
            out.space();
        }
    }
    return std::move(out).finish();
}

std::string plain_text(std::string_view text, std::size_t max_bytes) {
    TextBuilder out(max_bytes);
    std::string repaired;
    out.append(text::repair_utf8(text::truncate_utf8(text, max_bytes + 4), repaired));
    return std::move(out).finish();
}

}  // namespace signalmon::feed
