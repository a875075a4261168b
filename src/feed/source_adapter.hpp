// Source adapters: what one publisher's feeds need beyond the generic formats, as one unit each
// (its parse step, its document fetch and the item fields it gives), listed in one table.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "feed/parse.hpp"

namespace pugi {
class xml_node;
}

namespace signalmon::feed {

struct SourceAdapter {
    // "sec-edgar" (also the name of its politeness profile in feeds.yaml), "federal-register".
    std::string_view name;
    // The item fields its parse step sets: what rules may name in `where:`.
    std::span<const std::string_view> fields;
    // The parse step for XML feeds: whether a document is this source's, asked once per document
    // (so no other feed pays for it), then each of its items completed from its entry element.
    bool (*reads_xml)(pugi::xml_node root) = nullptr;
    void (*complete_xml_item)(Item& item, pugi::xml_node entry, pugi::xml_node root) = nullptr;
    // The parse step for a JSON API: the feed an answer is, or nullopt when it is not this source's.
    std::optional<Feed> (*json_feed)(const nlohmann::json& document, const ParseOptions& options) = nullptr;
    // The document fetch (`fetch_document: true`): the link on an item's fetched page to fetch and
    // match as its content (EDGAR: a filing index page names the primary document); empty when
    // there is none. nullptr: the source has no documents to fetch.
    std::string (*document_link)(std::string_view page, std::string_view page_url) = nullptr;
};

// Every adapter, in the order documents are offered to them.
std::span<const SourceAdapter> source_adapters();

// The adapter of that name, or nullptr.
const SourceAdapter* source_adapter(std::string_view name);

// Every field any adapter gives items, sorted: the names a rule's `where:` may use.
std::vector<std::string_view> item_field_names();

}  // namespace signalmon::feed
