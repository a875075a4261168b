// feed::parse: charset decoding, syntax detection, then the item rules every format shares.
#include "feed/parse.hpp"

#include <algorithm>
#include <cstdio>

#include "feed/charset.hpp"
#include "feed/date.hpp"
#include "feed/html_text.hpp"
#include "feed/parse_formats.hpp"
#include "text/controls.hpp"
#include "text/utf8.hpp"

namespace signalmon::feed {

namespace {

// FNV-1a 64: stable across runs, platforms and versions, which std::hash does not promise.
std::string stable_hash(std::string_view text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

void finish_item(Item& item) {
    // Links resolved against xml:base and raw fields keep whatever bytes the feed sent.
    for (std::string* field : {&item.title, &item.link, &item.author, &item.summary, &item.content, &item.key}) {
        text::strip_controls(*field);
    }
    for (std::string& category : item.categories) text::strip_controls(category);
    item.link = std::string(text::truncate_utf8(item.link, k_max_link_bytes));
    item.author = std::string(text::truncate_utf8(item.author, k_max_author_bytes));
    item.key = std::string(text::truncate_utf8(item.key, k_max_text_bytes));
    if (item.key.empty()) {
        // Untitled items (allowed in RSS) are told apart by their text instead.
        const std::string& name = item.title.empty() ? item.summary.empty() ? item.content : item.summary : item.title;
        item.key = !item.link.empty()
                       ? item.link
                       : stable_hash(name + '\n' + (item.published ? format_rfc3339(*item.published) : ""));
    }
}

bool looks_like_json(std::string_view text) { return text.starts_with('{'); }

}  // namespace

void add_warning(std::vector<std::string>& warnings, std::string warning) {
    if (warnings.size() < k_max_warnings && std::ranges::find(warnings, warning) == warnings.end()) {
        warnings.push_back(std::move(warning));
    }
}

std::string_view format_name(Format format) {
    switch (format) {
        case Format::rss: return "rss";
        case Format::rdf: return "rdf";
        case Format::atom: return "atom";
        case Format::json: return "json";
    }
    return "unknown";
}

std::expected<Feed, ParseError> parse(std::string_view bytes, const ParseOptions& options) {
    const std::string text = decode_to_utf8(bytes, options.content_type);
    if (text.empty()) {
        return std::unexpected(ParseError{"not a feed: empty document"});
    }
    auto feed = looks_like_json(text) ? parse_json_feed(text, options) : parse_xml_feed(text, options);
    if (!feed) {
        return feed;
    }
    text::strip_controls(feed->title);
    text::strip_controls(feed->link);
    feed->link = std::string(text::truncate_utf8(feed->link, k_max_link_bytes));
    for (Item& item : feed->items) {
        finish_item(item);
    }
    return feed;
}

}  // namespace signalmon::feed
