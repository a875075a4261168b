// The plain values a parsed feed becomes: one Feed with its Items, whatever the source format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::feed {

// Seconds since the Unix epoch, UTC.
using UnixTime = std::int64_t;

enum class Format { rss, rdf, atom, json };

// "rss", "rdf", "atom" or "json": the spelling used by `signalctl parse --json`.
std::string_view format_name(Format format);

struct Item {
    std::string key;  // stable identity within its feed: guid/id, else link, else hash of title (or text)+date
    std::string title;
    std::string link;  // absolute
    std::optional<UnixTime> published;
    std::optional<UnixTime> updated;
    std::string author;
    std::vector<std::string> categories;
    std::string summary;  // plain text: tags stripped, entities decoded, whitespace collapsed, UTF-8
    std::string content;  // plain text, as summary
};

struct Feed {
    Format format = Format::rss;
    std::string title;
    std::string link;
    std::vector<Item> items;
};

}  // namespace signalmon::feed
