// Feed discovery: the feeds a web page announces with <link rel="alternate">, for `feeds add`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace signalmon::feed {

struct FeedLink {
    std::string url;  // absolute
    std::string title;
    std::string type;  // "application/rss+xml", "application/atom+xml", ...
};

// Every <link rel="alternate"> of a feed type (RSS, Atom, RDF, JSON Feed) in the page, in page
// order, each once, its href resolved against page_url (or the page's <base href>).
std::vector<FeedLink> discover_feed_links(std::string_view html, std::string_view page_url);

}  // namespace signalmon::feed
