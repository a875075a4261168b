// Internal to the feed module: the per-syntax parsers behind feed::parse. Each gets valid UTF-8
// and fills what its format says; parse() then derives missing keys and applies the caps.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <expected>
#include <optional>
#include <string_view>

#include "feed/parse.hpp"

namespace pugi {
class xml_node;
}

namespace signalmon::feed {

// RSS 0.9x/2.0, RSS 1.0 and Atom, chosen by the root element.
std::expected<Feed, ParseError> parse_xml_feed(std::string_view utf8, const ParseOptions& options);

// JSON Feed 1.0 and 1.1, and the Federal Register API's documents.json search results.
std::expected<Feed, ParseError> parse_json_feed(std::string_view utf8, const ParseOptions& options);

// The source adapters' parse steps (SourceAdapter in feed/source_adapter.hpp), defined beside the
// helpers of their formats.
bool edgar_reads_xml(pugi::xml_node root);
void edgar_complete_item(Item& item, pugi::xml_node entry, pugi::xml_node root);
bool federal_register_reads_xml(pugi::xml_node root);
void federal_register_complete_item(Item& item, pugi::xml_node entry, pugi::xml_node root);
std::optional<Feed> federal_register_json_feed(const nlohmann::json& document, const ParseOptions& options);

}  // namespace signalmon::feed
