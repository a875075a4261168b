// OPML 2.0 subscription lists: reading a reader's export, writing ours.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace signalmon::cli {

struct Subscription {
    std::string title;
    std::string url;                // xmlUrl
    std::vector<std::string> tags;  // the titles of the folders (outlines) it sits in
};

// Every outline with an xmlUrl, depth first, in document order. The error says why the file is not OPML.
std::expected<std::vector<Subscription>, std::string> read_opml(std::string_view xml);

// An OPML 2.0 document listing the feeds, each as <outline type="rss" text=ID xmlUrl=URL>.
std::string write_opml(const std::vector<config::FeedSpec>& feeds);

// The feeds.yaml entries ("  - id: …") for the subscriptions whose URL is not configured yet, with ids
// made from their titles and unique against the configured ones.
std::string feeds_yaml_for(const std::vector<Subscription>& subscriptions,
                           const std::vector<config::FeedSpec>& existing);

}  // namespace signalmon::cli
