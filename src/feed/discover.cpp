// Reads <link> and <base> tags with HTML5's attribute syntax; the rest of the page is skipped.
#include "feed/discover.hpp"

#include <algorithm>
#include <map>

#include "feed/html_text.hpp"
#include "feed/url.hpp"
#include "text/ascii.hpp"

namespace signalmon::feed {

namespace {

constexpr std::string_view k_feed_types[] = {"application/rss+xml", "application/atom+xml", "application/rdf+xml",
                                             "application/feed+json", "application/json"};

// The attributes of the tag whose name ends at html[pos], lowercase names, values as written;
// pos ends after the tag's '>'.
std::map<std::string, std::string, std::less<>> tag_attributes(std::string_view html, std::size_t& pos) {
    std::map<std::string, std::string, std::less<>> attributes;
    const auto skip_space = [&] {
        while (pos < html.size() && (text::is_ascii_space(html[pos]) || html[pos] == '/' || html[pos] == '\f')) ++pos;
    };
    for (skip_space(); pos < html.size() && html[pos] != '>'; skip_space()) {
        const std::size_t name_start = pos;
        while (pos < html.size() && !text::is_ascii_space(html[pos]) && html[pos] != '=' && html[pos] != '>' &&
               html[pos] != '/')
            ++pos;
        std::string name = text::ascii_lowercase(html.substr(name_start, pos - name_start));
        while (pos < html.size() && text::is_ascii_space(html[pos])) ++pos;
        std::string value;
        if (pos < html.size() && html[pos] == '=') {
            ++pos;
            while (pos < html.size() && text::is_ascii_space(html[pos])) ++pos;
            if (pos < html.size() && (html[pos] == '"' || html[pos] == '\'')) {
                const std::size_t close = html.find(html[pos], pos + 1);
                const std::size_t end = close == std::string_view::npos ? html.size() : close;
                value = html.substr(pos + 1, end - pos - 1);
                pos = end == html.size() ? end : end + 1;
            } else {
                const std::size_t start = pos;
                while (pos < html.size() && !text::is_ascii_space(html[pos]) && html[pos] != '>') ++pos;
                value = html.substr(start, pos - start);
            }
        }
        if (!name.empty()) attributes.try_emplace(std::move(name), html_to_text(value));
    }
    pos = std::min(pos + 1, html.size());
    return attributes;
}

bool has_token(std::string_view list, std::string_view token) {
    const std::string lowered = text::ascii_lowercase(list);
    std::string_view rest = lowered;
    while (!rest.empty()) {
        const std::size_t end = std::min(rest.find_first_of(" \t\r\n\f"), rest.size());
        if (rest.substr(0, end) == token) return true;
        rest.remove_prefix(std::min(end + 1, rest.size()));
    }
    return false;
}

std::string_view value_of(const std::map<std::string, std::string, std::less<>>& attributes, std::string_view name) {
    const auto found = attributes.find(name);
    return found == attributes.end() ? std::string_view{} : std::string_view(found->second);
}

}  // namespace

std::vector<FeedLink> discover_feed_links(std::string_view html, std::string_view page_url) {
    const std::string lowered = text::ascii_lowercase(html);
    std::string base(page_url);
    bool base_seen = false;
    std::vector<FeedLink> links;
    for (std::size_t at = lowered.find('<'); at != std::string::npos; at = lowered.find('<', at)) {
        std::size_t pos = at + 1;
        const bool is_link = lowered.compare(pos, 4, "link") == 0;
        const bool is_base = lowered.compare(pos, 4, "base") == 0;
        const std::size_t after_name = pos + 4;
        if ((!is_link && !is_base) || after_name >= html.size() ||
            !(text::is_ascii_space(html[after_name]) || html[after_name] == '/' || html[after_name] == '>')) {
            ++at;
            continue;
        }
        pos = after_name;
        const auto attributes = tag_attributes(html, pos);
        at = pos;
        const std::string_view href = value_of(attributes, "href");
        if (href.empty()) continue;
        if (is_base) {
            if (!base_seen) base = resolve_url(page_url, href);  // HTML: only the first <base href> counts
            base_seen = true;
            continue;
        }
        const std::string type = text::ascii_lowercase(text::trim_ascii_space(value_of(attributes, "type")));
        if (!has_token(value_of(attributes, "rel"), "alternate") ||
            std::ranges::find(k_feed_types, type) == std::end(k_feed_types))
            continue;
        FeedLink link{resolve_url(base, href), std::string(value_of(attributes, "title")), type};
        if (std::ranges::none_of(links, [&](const FeedLink& seen) { return seen.url == link.url; }))
            links.push_back(std::move(link));
    }
    return links;
}

}  // namespace signalmon::feed
