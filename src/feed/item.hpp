// The plain values a parsed feed becomes: one Feed with its Items, whatever the source format.
#pragma once

#include <cstdint>
#include <map>
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
    // What a filing source says about the item, for rules to filter on. SEC EDGAR: form_type, cik,
    // company, accession_number (also the key). Federal Register: agency, document_number, topics
    // ("; "-separated, also in categories).
    std::map<std::string, std::string, std::less<>> fields;
};

struct Feed {
    Format format = Format::rss;
    std::string title;
    std::string link;
    std::vector<Item> items;
    // How often the document says it changes, in seconds: RSS <ttl>, sy:updatePeriod/updateFrequency.
    std::optional<std::int64_t> ttl_seconds;
    std::optional<std::int64_t> update_period_seconds;
};

}  // namespace signalmon::feed
