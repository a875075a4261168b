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
    // What the item's source adapter (feed/source_adapter.hpp) says about it, for rules' `where:`
    // to filter on. SEC EDGAR: form_type, cik, company, accession_number (also the key). Federal
    // Register: agency, document_number, type, topics ("; "-separated, also in categories).
    std::map<std::string, std::string, std::less<>> fields;
};

struct Feed {
    Format format = Format::rss;
    std::string title;
    std::string link;
    std::vector<Item> items;
    // The source adapter that read the document (feed/source_adapter.hpp), e.g. "sec-edgar"; empty
    // for a feed no adapter claims.
    std::string source;
    // How often the document says it changes, in seconds: RSS <ttl>, sy:updatePeriod/updateFrequency.
    std::optional<std::int64_t> ttl_seconds;
    std::optional<std::int64_t> update_period_seconds;
    // What had to be repaired or guessed to read the document (an XML error after which only the
    // entries before it were kept, a date whose zone is unknown read as UTC), at most
    // k_max_warnings, each once. A feed with warnings is still a parsed feed.
    std::vector<std::string> warnings;
};

inline constexpr std::size_t k_max_warnings = 16;

// Adds a warning unless it is there already or there are k_max_warnings.
void add_warning(std::vector<std::string>& warnings, std::string warning);

}  // namespace signalmon::feed
