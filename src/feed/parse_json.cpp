// JSON Feed 1.0 and 1.1 (https://jsonfeed.org) and the Federal Register API's document search
// with nlohmann-json, which Debian ships and which gives a DOM with checked access; simdjson's speed
// would not be noticed on feeds. A DOM of a whole feed costs ~30x its text, though, so each entry of
// "items" is turned into an Item as soon as it is parsed and dropped from the tree (a parser
// callback): memory holds one entry.
#include <nlohmann/json.hpp>

#include "feed/date.hpp"
#include "feed/html_text.hpp"
#include "feed/parse_formats.hpp"
#include "feed/source_adapter.hpp"
#include "feed/url.hpp"
#include "text/utf8.hpp"

namespace signalmon::feed {

namespace {

using Json = nlohmann::json;

// A member as text: strings as they are, numbers (some feeds give numeric ids) spelled out.
std::string member(const Json& object, std::string_view key) {
    if (!object.is_object()) {
        return {};
    }
    const auto found = object.find(key);
    if (found == object.end()) {
        return {};
    }
    if (found->is_string()) {
        return found->get<std::string>();
    }
    if (found->is_number()) {
        return found->dump();
    }
    return {};
}

std::string link(const Json& object, std::string_view key, const ParseOptions& options) {
    const std::string reference = plain_text(member(object, key), k_max_link_bytes);
    if (reference.empty()) return {};
    return std::string(text::truncate_utf8(resolve_url(options.base_url, reference), k_max_link_bytes));
}

// 1.1's authors[0].name, else 1.0's author.name.
std::string author(const Json& object) {
    if (const auto authors = object.find("authors");
        authors != object.end() && authors->is_array() && !authors->empty()) {
        return plain_text(member(authors->front(), "name"));
    }
    if (const auto single = object.find("author"); single != object.end()) {
        return plain_text(member(*single, "name"));
    }
    return {};
}

// The entry's own author only: the feed's, which may come after the items, is inherited at the end.
Item json_item(const Json& object, const ParseOptions& options) {
    Item item;
    item.key = plain_text(member(object, "id"));
    item.title = html_to_text(member(object, "title"));
    item.link = link(object, "url", options);
    if (item.link.empty()) {
        item.link = link(object, "external_url", options);
    }
    item.published = parse_date(member(object, "date_published"));
    item.updated = parse_date(member(object, "date_modified"));
    item.author = author(object);
    if (const auto tags = object.find("tags"); tags != object.end() && tags->is_array()) {
        for (const Json& tag : *tags) {
            if (std::string text = tag.is_string() ? plain_text(tag.get<std::string>()) : std::string{};
                !text.empty()) {
                item.categories.push_back(std::move(text));
            }
        }
    }
    item.summary = plain_text(member(object, "summary"));
    const std::string content_text = member(object, "content_text");
    item.content = content_text.empty() ? html_to_text(member(object, "content_html")) : plain_text(content_text);
    return item;
}

// The strings of an array member, each as plain text, empty ones left out.
std::vector<std::string> strings(const Json& object, std::string_view key, std::string_view inner_key = {}) {
    std::vector<std::string> values;
    const auto found = object.find(key);
    if (found == object.end() || !found->is_array()) return values;
    for (const Json& element : *found) {
        std::string value =
            plain_text(inner_key.empty() ? (element.is_string() ? element.get<std::string>() : std::string{})
                                         : member(element, inner_key));
        if (!value.empty()) values.push_back(std::move(value));
    }
    return values;
}

std::string joined(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& value : values) out += (out.empty() ? "" : "; ") + value;
    return out;
}

// One document of a Federal Register API search (GET https://www.federalregister.gov/api/v1/
// documents.json?conditions[term]=...): its number is the key, and agency, type, topics and the
// number are fields, as the Federal Register RSS gives them.
Item federal_register_item(const Json& object, const ParseOptions& options) {
    Item item;
    item.key = plain_text(member(object, "document_number"));
    item.title = plain_text(member(object, "title"));
    item.link = link(object, "html_url", options);
    item.published = parse_date(member(object, "publication_date"));
    item.summary = plain_text(member(object, "abstract"));
    item.content = html_to_text(member(object, "excerpts"));
    const std::string agencies = joined(strings(object, "agencies", "name"));
    item.author = agencies;
    item.categories = strings(object, "topics");
    const std::string type = plain_text(member(object, "type"));
    for (const auto& [name, value] : {std::pair{"document_number", item.key}, std::pair{"agency", agencies},
                                      std::pair{"type", type}, std::pair{"topics", joined(item.categories)}}) {
        if (!value.empty()) item.fields[name] = value;
    }
    return item;
}

}  // namespace

// A Federal Register API search answer: an object with a "results" array of documents.
std::optional<Feed> federal_register_json_feed(const Json& document, const ParseOptions& options) {
    const auto results = document.is_object() ? document.find("results") : document.end();
    if (results == document.end() || !results->is_array()) return std::nullopt;
    Feed feed;
    feed.format = Format::json;
    feed.title = plain_text(member(document, "description"));
    for (const Json& entry : *results) {
        if (feed.items.size() == k_max_items) break;
        if (entry.is_object()) feed.items.push_back(federal_register_item(entry, options));
    }
    return feed;
}

std::expected<Feed, ParseError> parse_json_feed(std::string_view utf8, const ParseOptions& options) {
    // Depths as nlohmann counts them: the top-level keys and the items array are at 1, entries at 2.
    std::vector<Item> items;
    std::string top_level_key;
    bool in_items = false;
    const Json::parser_callback_t take_entries = [&](int depth, Json::parse_event_t event, Json& parsed) {
        const bool entry = in_items && depth == 2;
        switch (event) {
            case Json::parse_event_t::key:
                if (depth == 1) top_level_key = parsed.get<std::string>();
                return true;
            case Json::parse_event_t::array_start:
                if (depth == 1) in_items = top_level_key == "items";
                return true;
            case Json::parse_event_t::array_end:
                if (depth == 1) in_items = false;
                return true;
            case Json::parse_event_t::object_start:
                return !entry || items.size() < k_max_items;  // past the cap: skipped
            case Json::parse_event_t::object_end:
                if (!entry) return true;
                items.push_back(json_item(parsed, options));
                return false;                                // converted: dropped from the tree
            case Json::parse_event_t::value: return !entry;  // entries that are not objects are not items
        }
        return true;
    };
    const Json document = Json::parse(utf8, take_entries, false);
    if (document.is_discarded()) {
        return std::unexpected(ParseError{"JSON error: the document is not valid JSON"});
    }
    for (const SourceAdapter& adapter : source_adapters()) {
        if (adapter.json_feed == nullptr) continue;
        if (std::optional<Feed> feed = adapter.json_feed(document, options)) {
            feed->source = adapter.name;
            return std::move(*feed);
        }
    }
    const auto items_member = document.find("items");
    // The items array decides, not the version URL: feeds in the wild write "version": "1.0".
    if (!document.is_object() || items_member == document.end() || !items_member->is_array()) {
        return std::unexpected(ParseError{"not a feed: JSON without a JSON Feed items array"});
    }
    Feed feed;
    feed.format = Format::json;
    feed.title = html_to_text(member(document, "title"));
    feed.link = link(document, "home_page_url", options);
    const std::string feed_author(text::truncate_utf8(author(document), k_max_author_bytes));
    for (Item& item : items) {
        if (item.author.empty()) item.author = feed_author;
    }
    feed.items = std::move(items);
    return feed;
}

}  // namespace signalmon::feed
