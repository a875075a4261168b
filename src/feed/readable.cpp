// A light readability pass: pick the main region by its element, cut the page furniture out of it,
// then reuse html_to_text. No DOM: tag names are found by scanning, nesting of one name counted.
#include "feed/readable.hpp"
#include "text/ascii.hpp"
#include "text/controls.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <tuple>
#include <utility>

#include "feed/charset.hpp"
#include "feed/url.hpp"

namespace signalmon::feed {
namespace {

constexpr std::array<std::string_view, 10> k_boilerplate{"nav",  "header",   "footer", "aside",    "form",
                                                         "menu", "noscript", "svg",    "template", "button"};

// Does lower[pos] start the tag "<name" or "</name" (name ending at a space, '>' or '/')?
bool tag_at(std::string_view lower, std::size_t pos, std::string_view name, bool closing) {
    const std::size_t start = pos + (closing ? 2 : 1);
    if (lower.substr(pos, start - pos) != (closing ? "</" : "<")) return false;
    if (lower.substr(start, name.size()) != name) return false;
    const std::size_t after = start + name.size();
    return after >= lower.size() || lower[after] == '>' || lower[after] == '/' ||
           std::isspace(static_cast<unsigned char>(lower[after])) != 0;
}

// The position just past the element opened at pos, counting nested elements of the same name;
// the end of input when it is never closed.
std::size_t element_end(std::string_view lower, std::size_t pos, std::string_view name) {
    int depth = 0;
    for (std::size_t at = pos; (at = lower.find('<', at)) != std::string_view::npos; ++at) {
        if (tag_at(lower, at, name, false)) {
            ++depth;
        } else if (tag_at(lower, at, name, true) && --depth == 0) {
            const std::size_t close = lower.find('>', at);
            return close == std::string_view::npos ? lower.size() : close + 1;
        }
    }
    return lower.size();
}

// [begin, end) of the first element with this name, or nothing.
std::optional<std::pair<std::size_t, std::size_t>> find_element(std::string_view lower, std::string_view name) {
    for (std::size_t at = 0; (at = lower.find('<', at)) != std::string_view::npos; ++at) {
        if (tag_at(lower, at, name, false)) return std::pair{at, element_end(lower, at, name)};
    }
    return std::nullopt;
}

bool is_index_page(std::string_view url) {
    const std::string path = text::ascii_lowercase(url.substr(0, url.find_first_of("?#")));
    return path.ends_with("-index.htm") || path.ends_with("-index.html") || path.ends_with("-index-headers.html");
}

}  // namespace

std::string edgar_primary_document(std::string_view index_html, std::string_view index_url) {
    const std::string lower = text::ascii_lowercase(index_html);
    const std::size_t table = lower.find("tablefile");
    for (std::size_t at = table == std::string::npos ? 0 : table;
         (at = lower.find("href=", at)) != std::string::npos;) {
        at += 5;
        const char quote = at < lower.size() ? lower[at] : '\0';
        const bool quoted = quote == '"' || quote == '\'';
        const std::size_t begin = at + (quoted ? 1 : 0);
        const std::size_t end = quoted ? lower.find(quote, begin) : lower.find_first_of(" >", begin);
        if (end == std::string::npos) break;
        std::string_view href = index_html.substr(begin, end - begin);
        if (href.starts_with("/ix?doc=")) href.remove_prefix(8);
        if (lower.find("/archives/edgar/data/", begin) < end && !is_index_page(href))
            return resolve_url(index_url, href);
    }
    return {};
}

std::string readable_text(std::string_view page, std::string_view content_type, std::size_t max_bytes) {
    const std::string html = decode_to_utf8(page, content_type);
    const std::string lower = text::ascii_lowercase(html);
    std::size_t begin = 0;
    std::size_t end = html.size();
    for (const std::string_view region : {"article", "main", "body"}) {
        if (const auto found = find_element(lower, region)) {
            std::tie(begin, end) = *found;
            break;
        }
    }
    std::string kept;
    kept.reserve(end - begin);
    for (std::size_t at = begin; at < end;) {
        const std::size_t next = lower.find('<', at);
        if (next == std::string::npos || next >= end) {
            kept.append(html, at, end - at);
            break;
        }
        kept.append(html, at, next - at);
        const auto boilerplate = std::ranges::find_if(
            k_boilerplate, [&](std::string_view name) { return tag_at(lower, next, name, false); });
        if (boilerplate != k_boilerplate.end()) {
            kept += ' ';
            at = std::min(end, element_end(lower, next, *boilerplate));
        } else {
            kept += '<';
            at = next + 1;
        }
    }
    std::string text = html_to_text(kept, max_bytes);
    text::strip_controls(text);  // html_to_text spaces out C0 controls; raw C1 characters pass it
    return text;
}

}  // namespace signalmon::feed
