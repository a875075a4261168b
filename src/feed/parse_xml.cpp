// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0/0.3 with pugixml. Elements are matched by namespace
// URI and local name, so any prefix works; "core" elements are those in their parent's namespace.
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ranges>
#include <string>
#include <unordered_set>

#include "feed/date.hpp"
#include "feed/html_text.hpp"
#include "feed/parse_formats.hpp"
#include "feed/source_adapter.hpp"
#include "feed/url.hpp"
#include "feed/xml_repair.hpp"
#include "text/ascii.hpp"
#include "text/utf8.hpp"

namespace signalmon::feed {

namespace {

constexpr std::string_view k_ns_atom = "http://www.w3.org/2005/Atom";
constexpr std::string_view k_ns_content = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view k_ns_dc = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view k_ns_dcterms = "http://purl.org/dc/terms/";
constexpr std::string_view k_ns_itunes = "http://www.itunes.com/dtds/podcast-1.0.dtd";
constexpr std::string_view k_ns_media = "http://search.yahoo.com/mrss/";
constexpr std::string_view k_ns_rss11 = "http://purl.org/net/rss1.1#";
constexpr std::string_view k_ns_xhtml = "http://www.w3.org/1999/xhtml";
constexpr std::string_view k_ns_sy = "http://purl.org/rss/1.0/modules/syndication/";
constexpr std::pair<std::string_view, std::string_view> k_undeclared_prefixes[] = {
    {"atom", k_ns_atom},     {"content", k_ns_content}, {"dc", k_ns_dc}, {"dcterms", k_ns_dcterms},
    {"itunes", k_ns_itunes}, {"media", k_ns_media},     {"sy", k_ns_sy}, {"xhtml", k_ns_xhtml},
};
constexpr std::string_view k_edgar_id_prefix = "urn:tag:sec.gov,2008:accession-number=";

std::string_view local_name(pugi::xml_node node) {
    const std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The module URI feeds mean by a variant spelling of it: Apple's own feeds write the iTunes
// namespace as ".../DTDs/PodCast-1.0.dtd", and Media RSS often loses its final slash.
std::string_view canonical_namespace(std::string_view uri) {
    if (uri != k_ns_itunes &&
        std::ranges::equal(uri, k_ns_itunes, [](char a, char b) { return text::ascii_lower(a) == b; }))
        return k_ns_itunes;
    if (uri.size() + 1 == k_ns_media.size() && k_ns_media.starts_with(uri)) return k_ns_media;
    return uri;
}

// Namespace URI of a prefixed name ("dc:date") or of an unprefixed one (default namespace),
// looked up through the xmlns declarations in scope at node.
std::string_view namespace_of(pugi::xml_node node, std::string_view qualified_name) {
    const std::size_t colon = qualified_name.find(':');
    std::string attribute = "xmlns";
    if (colon != std::string_view::npos) {
        attribute += ':';
        attribute.append(qualified_name.substr(0, colon));
    }
    for (pugi::xml_node scope = node; scope; scope = scope.parent()) {
        if (const pugi::xml_attribute declaration = scope.attribute(attribute.c_str())) {
            return canonical_namespace(declaration.value());
        }
    }
    // Feeds use the well-known module prefixes without declaring them ("<itunes:summary>" in a
    // feed without xmlns:itunes); feedparser reads them as their modules, and so does signalmon.
    if (colon != std::string_view::npos) {
        const std::string_view prefix = qualified_name.substr(0, colon);
        for (const auto& [known, uri] : k_undeclared_prefixes) {
            if (prefix == known) return uri;
        }
    }
    return {};
}

std::string_view namespace_of(pugi::xml_node node) { return namespace_of(node, node.name()); }

bool is_element(pugi::xml_node node, std::string_view ns, std::string_view local) {
    return node.type() == pugi::node_element && local_name(node) == local && namespace_of(node) == ns;
}

// The first child element with this namespace and local name.
pugi::xml_node child(pugi::xml_node parent, std::string_view ns, std::string_view local) {
    for (pugi::xml_node node : parent.children()) {
        if (is_element(node, ns, local)) {
            return node;
        }
    }
    return {};
}

// The first child element in the parent's own namespace: RSS's <title>, Atom's <id>.
pugi::xml_node core_child(pugi::xml_node parent, std::string_view local) {
    return child(parent, namespace_of(parent), local);
}

template <typename Visit>
void for_each_child(pugi::xml_node parent, std::string_view ns, std::string_view local, Visit visit) {
    for (pugi::xml_node node : parent.children()) {
        if (is_element(node, ns, local)) {
            visit(node);
        }
    }
}

// An attribute by local name, whatever its prefix ("rdf:about", "about").
std::string_view attribute(pugi::xml_node node, std::string_view local) {
    for (pugi::xml_attribute candidate : node.attributes()) {
        std::string_view name = candidate.name();
        if (const std::size_t colon = name.find(':'); colon != std::string_view::npos) {
            name.remove_prefix(colon + 1);
        }
        if (name == local) {
            return candidate.value();
        }
    }
    return {};
}

// Concatenated character data directly inside node (text and CDATA sections).
std::string node_text(pugi::xml_node node) {
    std::string text;
    for (pugi::xml_node part : node.children()) {
        if (part.type() == pugi::node_pcdata || part.type() == pugi::node_cdata) {
            text += part.value();
        }
    }
    return text;
}

bool is_any_element(pugi::xml_node node) { return node.type() == pugi::node_element; }

bool has_element_children(pugi::xml_node node) { return std::ranges::any_of(node.children(), is_any_element); }

std::string inner_xml(pugi::xml_node node) {
    struct StringWriter : pugi::xml_writer {
        std::string text;
        void write(const void* data, std::size_t size) override { text.append(static_cast<const char*>(data), size); }
    } writer;
    for (pugi::xml_node part : node.children()) {
        part.print(writer, "", pugi::format_raw);
    }
    return writer.text;
}

// A field that may hold HTML: escaped, in CDATA, or (invalid but common) as raw child elements.
std::string html_field(pugi::xml_node node) {
    if (!node) {
        return {};
    }
    return html_to_text(has_element_children(node) ? inner_xml(node) : node_text(node));
}

std::string plain_field(pugi::xml_node node) { return node ? plain_text(node_text(node)) : std::string{}; }

// A field of unknown type, such as an RSS title: feeds escape markup in it, or write a literal
// '<' in plain words ("Nice <gorilla>"); looks_like_html tells which.
std::string title_field(pugi::xml_node node) {
    if (!node || has_element_children(node)) {
        return html_field(node);
    }
    const std::string text = node_text(node);
    return looks_like_html(text) ? html_to_text(text) : plain_text(text);
}

// The URL relative references inside node resolve against: the document's URL, overridden by
// every xml:base from the root down to node.
std::string base_of(pugi::xml_node node, const std::string& document_url) {
    std::vector<std::string_view> bases;
    for (pugi::xml_node scope = node; scope; scope = scope.parent()) {
        if (const pugi::xml_attribute base = scope.attribute("xml:base")) {
            bases.push_back(base.value());
        }
    }
    std::string url = document_url;
    for (const std::string_view base : std::views::reverse(bases)) {
        url = resolve_url(url, base);
    }
    return url;
}

std::string absolute_link(pugi::xml_node scope, std::string_view reference, const ParseOptions& options) {
    const std::string trimmed = plain_text(reference, k_max_link_bytes);
    if (trimmed.empty()) return {};
    return std::string(text::truncate_utf8(resolve_url(base_of(scope, options.base_url), trimmed), k_max_link_bytes));
}

// Atom's link choice: rel="alternate" (the default when rel is absent) first, else any link but
// self, which points at the feed document rather than the story.
std::string atom_link(pugi::xml_node parent, std::string_view ns, const ParseOptions& options) {
    pugi::xml_node fallback;
    for (pugi::xml_node link : parent.children()) {
        if (!is_element(link, ns, "link") || attribute(link, "href").empty()) {
            continue;
        }
        const std::string rel = text::ascii_lowercase(link.attribute("rel").value());
        if (rel.empty() || rel == "alternate") {
            return absolute_link(link, link.attribute("href").value(), options);
        }
        if (!fallback && rel != "self" && rel != "hub") {
            fallback = link;
        }
    }
    return fallback ? absolute_link(fallback, fallback.attribute("href").value(), options) : std::string{};
}

std::optional<UnixTime> date_field(pugi::xml_node node, std::vector<std::string>& warnings) {
    if (!node) {
        return std::nullopt;
    }
    const std::string text = node_text(node);
    const auto date = read_date(text);
    if (date && !date->unknown_zone.empty()) {
        add_warning(warnings, "unknown time zone \"" + date->unknown_zone + "\" read as UTC");
    }
    return date ? std::optional(date->time) : std::nullopt;
}

void add_category(Item& item, std::string category) {
    if (!category.empty()) {
        item.categories.push_back(std::move(category));
    }
}

// Categories from several vocabularies (core, Dublin Core, iTunes, Media RSS) often repeat one
// another; each is kept once, in first-seen order, in linear time whatever the item holds.
void drop_repeated_categories(Item& item) {
    if (item.categories.size() < 2) {
        return;
    }
    std::unordered_set<std::string> seen;
    std::vector<std::string> kept;
    for (std::string& category : item.categories) {
        if (seen.insert(category).second) kept.push_back(std::move(category));
    }
    item.categories = std::move(kept);
}

// An element name: namespace URI and local name.
struct Name {
    std::string_view ns;
    std::string_view local;
};

// The first of the named children, in order of preference, that reads as something non-empty.
template <typename Read>
auto first_read(pugi::xml_node parent, std::initializer_list<Name> names, Read read) {
    for (const Name& name : names) {
        if (auto value = read(child(parent, name.ns, name.local)); value != decltype(value){}) {
            return value;
        }
    }
    return decltype(read(pugi::xml_node{})){};
}

// A Media RSS element, directly in the item or in its media:group, media:content (also within the
// group) or enclosure.
pugi::xml_node media_child(pugi::xml_node item, std::string_view local) {
    const pugi::xml_node group = child(item, k_ns_media, "group");
    for (pugi::xml_node scope : {item, group, child(item, k_ns_media, "content"), child(group, k_ns_media, "content"),
                                 child(item, namespace_of(item), "enclosure")}) {
        if (const pugi::xml_node found = child(scope, k_ns_media, local)) {
            return found;
        }
    }
    return {};
}

// iTunes categories name themselves in a text attribute and hold one level of subcategories
// (read without recursion, so hostile nesting cannot exhaust the stack).
void add_itunes_categories(Item& item, pugi::xml_node parent) {
    for_each_child(parent, k_ns_itunes, "category", [&](pugi::xml_node category) {
        add_category(item, plain_text(category.attribute("text").value()));
        for_each_child(category, k_ns_itunes, "category", [&](pugi::xml_node subcategory) {
            add_category(item, plain_text(subcategory.attribute("text").value()));
        });
    });
}

std::string atom_text(pugi::xml_node node);  // Atom text constructs, below

// Extension elements fill what the core elements of either format left empty, as feedparser
// reads them: Dublin Core, iTunes, Media RSS, and the bodies some RSS feeds carry.
void add_extension_fallbacks(Item& item, pugi::xml_node node, std::vector<std::string>& warnings) {
    const std::string_view core = namespace_of(node);
    if (item.title.empty()) {
        item.title = first_read(node, {{k_ns_dc, "title"}}, title_field);
    }
    if (item.title.empty()) {
        item.title = title_field(media_child(node, "title"));
    }
    if (item.summary.empty()) {
        item.summary = first_read(node, {{k_ns_dc, "description"}}, html_field);
    }
    if (item.summary.empty()) {
        item.summary = html_field(media_child(node, "description"));
    }
    if (item.summary.empty()) {
        item.summary = first_read(node, {{k_ns_itunes, "summary"}}, html_field);
    }
    if (item.author.empty()) {
        item.author =
            first_read(node, {{k_ns_dc, "creator"}, {k_ns_itunes, "author"}, {k_ns_dc, "author"}}, plain_field);
    }
    const auto date = [&](pugi::xml_node part) { return date_field(part, warnings); };
    if (!item.published) {
        item.published =
            first_read(node, {{k_ns_dc, "date"}, {k_ns_dcterms, "issued"}, {k_ns_atom, "published"}}, date);
    }
    if (!item.updated) {
        item.updated = first_read(node, {{k_ns_dcterms, "modified"}}, date);
    }
    if (item.content.empty()) {
        item.content = first_read(node, {{core, "body"}, {k_ns_xhtml, "body"}, {core, "fullitem"}}, html_field);
    }
    if (item.content.empty() && core != k_ns_atom) {
        item.content = atom_text(child(node, k_ns_atom, "content"));  // Atom elements in an RSS item
    }
    for_each_child(node, k_ns_dc, "subject", [&](pugi::xml_node subject) { add_category(item, plain_field(subject)); });
    add_itunes_categories(item, node);
    for_each_child(node, k_ns_media, "category",
                   [&](pugi::xml_node category) { add_category(item, plain_field(category)); });
    drop_repeated_categories(item);
}

std::optional<std::int64_t> whole_number(std::string_view text) {
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value <= 0) return std::nullopt;
    return value;
}

// sy:updatePeriod divided by sy:updateFrequency (default 1).
std::optional<std::int64_t> update_period_seconds(pugi::xml_node channel) {
    const std::string period = text::ascii_lowercase(plain_field(child(channel, k_ns_sy, "updatePeriod")));
    std::int64_t length = 0;
    if (period == "hourly")
        length = 3600;
    else if (period == "daily")
        length = 86'400;
    else if (period == "weekly")
        length = 7 * 86'400;
    else if (period == "monthly")
        length = 30 * 86'400;
    else if (period == "yearly")
        length = 365 * 86'400;
    else
        return std::nullopt;
    const std::string frequency = plain_field(child(channel, k_ns_sy, "updateFrequency"));
    const auto times = frequency.empty() ? std::optional<std::int64_t>{1} : whole_number(frequency);
    if (!times) return std::nullopt;
    return length / *times;
}

// ---- Source adapters' parse steps (the table: feed/source_adapter.cpp) ----

constexpr std::string_view k_federal_register_host = "federalregister.gov/";

// The company feed's <company-info>: its CIK and name hold for every entry.
struct EdgarCompany {
    std::string cik;
    std::string name;
};

// <company-info> comes before the entries, so the search stops at the first one: every entry
// asks, and a latest-filings feed has none.
EdgarCompany edgar_company(pugi::xml_node feed, std::string_view ns) {
    for (pugi::xml_node node : feed.children()) {
        if (is_element(node, ns, "entry")) break;
        if (is_element(node, ns, "company-info"))
            return {plain_field(child(node, ns, "cik")), plain_field(child(node, ns, "conformed-name"))};
    }
    return {};
}

// "10-K - TESORO CORP /NEW/ (0000050104) (Filer)": company and CIK from a latest-filings title.
void edgar_title_fields(Item& item) {
    const std::string& title = item.title;
    const auto dash = title.find(" - ");
    const auto open = title.find(" (", dash == std::string::npos ? 0 : dash);
    if (dash == std::string::npos || open == std::string::npos) return;
    const auto close = title.find(')', open);
    if (close == std::string::npos) return;
    const std::string cik = title.substr(open + 2, close - open - 2);
    if (cik.empty() || !std::ranges::all_of(cik, [](unsigned char c) { return std::isdigit(c) != 0; })) return;
    item.fields["cik"] = cik;
    item.fields["company"] = plain_text(std::string_view(title).substr(dash + 3, open - dash - 3));
}

bool is_edgar_entry(pugi::xml_node entry, std::string_view ns) {
    return plain_field(child(entry, ns, "id")).starts_with(k_edgar_id_prefix);
}

}  // namespace

// An EDGAR Atom document: a company feed (<company-info>), or entries with accession-number ids.
bool edgar_reads_xml(pugi::xml_node root) {
    const std::string_view ns = namespace_of(root);
    if (local_name(root) == "entry") return is_edgar_entry(root, ns);
    if (local_name(root) != "feed") return false;
    for (pugi::xml_node node : root.children()) {
        if (is_element(node, ns, "company-info")) return true;
        if (is_element(node, ns, "entry")) return is_edgar_entry(node, ns);
    }
    return false;
}

// EDGAR entries: the accession number is the key; form type, CIK and company become fields.
void edgar_complete_item(Item& item, pugi::xml_node entry, pugi::xml_node root) {
    if (!item.key.starts_with(k_edgar_id_prefix)) return;
    const std::string_view ns = namespace_of(entry);
    const EdgarCompany company = edgar_company(root, ns);
    item.key.erase(0, k_edgar_id_prefix.size());
    item.fields["accession_number"] = item.key;
    for_each_child(entry, ns, "category", [&](pugi::xml_node category) {
        if (text::ascii_lowercase(category.attribute("label").value()) == "form type")
            item.fields["form_type"] = plain_text(category.attribute("term").value());
    });
    // Company feeds describe each filing in XML inside <content>; it is data, not text to match.
    if (const pugi::xml_node content = child(entry, ns, "content"); child(content, ns, "accession-number")) {
        item.content.clear();
        if (const std::string type = plain_field(child(content, ns, "filing-type")); !type.empty())
            item.fields["form_type"] = type;
    }
    if (!company.cik.empty()) {
        item.fields["cik"] = company.cik;
        item.fields["company"] = company.name;
    } else {
        edgar_title_fields(item);
    }
}

// A Federal Register search's RSS: its channel links to federalregister.gov.
bool federal_register_reads_xml(pugi::xml_node root) {
    for (pugi::xml_node node : root.children()) {
        if (node.type() == pugi::node_element && local_name(node) == "channel")
            return plain_field(core_child(node, "link")).find(k_federal_register_host) != std::string::npos;
    }
    return false;
}

// Federal Register items: agency (dc:creator), document number (from the /d/ guid or the link), topics.
void federal_register_complete_item(Item& item, pugi::xml_node /*entry*/, pugi::xml_node /*root*/) {
    constexpr std::string_view k_short = "federalregister.gov/d/";
    constexpr std::string_view k_documents = "federalregister.gov/documents/";
    std::string number;
    if (const auto at = item.key.find(k_short); at != std::string::npos) {
        number = item.key.substr(at + k_short.size());
    } else if (const auto doc = item.link.find(k_documents); doc != std::string::npos) {
        // /documents/YYYY/MM/DD/NUMBER/slug
        std::string_view rest = std::string_view(item.link).substr(doc + k_documents.size());
        for (int part = 0; part < 3 && rest.find('/') != std::string_view::npos; ++part)
            rest.remove_prefix(rest.find('/') + 1);
        number = rest.substr(0, rest.find('/'));
    } else {
        return;
    }
    number.resize(std::min(number.size(), number.find_first_of("/?#")));
    if (number.empty()) return;
    item.fields["document_number"] = number;
    if (!item.author.empty()) item.fields["agency"] = item.author;
    std::string topics;
    for (const std::string& category : item.categories) topics += (topics.empty() ? "" : "; ") + category;
    if (!topics.empty()) item.fields["topics"] = topics;
}

namespace {

// The adapter whose source the document is, if any.
const SourceAdapter* xml_source(pugi::xml_node root) {
    for (const SourceAdapter& adapter : source_adapters()) {
        if (adapter.reads_xml != nullptr && adapter.reads_xml(root)) return &adapter;
    }
    return nullptr;
}

// A new item read generically, then completed by the document's source adapter.
void add_item(Feed& feed, Item item, const SourceAdapter* source, pugi::xml_node entry, pugi::xml_node root) {
    if (source != nullptr) source->complete_xml_item(item, entry, root);
    feed.items.push_back(std::move(item));
}

// ---- RSS 0.9x / 2.0 and RSS 1.0 ----

std::string rss_link(pugi::xml_node parent, const ParseOptions& options) {
    if (const pugi::xml_node link = core_child(parent, "link"); link && !plain_field(link).empty()) {
        return absolute_link(link, node_text(link), options);
    }
    return atom_link(parent, k_ns_atom, options);
}

Item rss_item(pugi::xml_node node, const ParseOptions& options, std::vector<std::string>& warnings) {
    Item item;
    item.title = title_field(core_child(node, "title"));
    item.link = rss_link(node, options);
    if (const pugi::xml_node guid = core_child(node, "guid")) {
        item.key = plain_field(guid);
        const bool permalink = text::ascii_lowercase(guid.attribute("isPermaLink").value()) != "false";
        if (item.link.empty() && permalink && has_scheme(item.key)) {
            item.link = absolute_link(guid, item.key, options);
        }
    } else {
        item.key = plain_text(attribute(node, "about"));  // RSS 1.0 rdf:about
    }
    item.published = date_field(core_child(node, "pubDate"), warnings);
    item.updated = date_field(child(node, k_ns_atom, "updated"), warnings);
    item.author = plain_field(core_child(node, "author"));
    for_each_child(node, namespace_of(node), "category",
                   [&](pugi::xml_node category) { add_category(item, plain_field(category)); });
    item.summary = html_field(core_child(node, "description"));
    item.content = html_field(child(node, k_ns_content, "encoded"));
    add_extension_fallbacks(item, node, warnings);
    return item;
}

Feed rss_feed(pugi::xml_node root, Format format, const ParseOptions& options, const SourceAdapter* source) {
    Feed feed;
    feed.format = format;
    pugi::xml_node channel = local_name(root) == "Channel" ? root : pugi::xml_node{};  // RSS 1.1
    for (pugi::xml_node node : root.children()) {
        if (!channel && node.type() == pugi::node_element && local_name(node) == "channel") {
            channel = node;
        }
    }
    if (channel) {
        feed.title = title_field(core_child(channel, "title"));
        feed.link = rss_link(channel, options);
        if (const auto minutes = whole_number(plain_field(core_child(channel, "ttl"))))
            feed.ttl_seconds = *minutes * 60;
        feed.update_period_seconds = update_period_seconds(channel);
    }
    // RSS 2.0 nests items in <channel>; RSS 1.0 and some 0.9x feeds put them beside it; RSS 1.1's
    // channel is the root and lists them in <items>.
    for (pugi::xml_node container : {channel, channel == root ? core_child(root, "items") : root}) {
        for (pugi::xml_node node : container.children()) {
            if (feed.items.size() == k_max_items) {
                return feed;
            }
            if (node.type() == pugi::node_element && local_name(node) == "item") {
                add_item(feed, rss_item(node, options, feed.warnings), source, node, root);
            }
        }
    }
    return feed;
}

// ---- Atom ----

// Standard base64 (RFC 4648 4), whitespace ignored, padding optional; nullopt if it is not.
std::optional<std::string> decode_base64(std::string_view encoded) {
    std::string out;
    std::uint32_t bits = 0;
    int bit_count = 0;
    std::size_t padding = 0;
    for (const char c : encoded) {
        int value = -1;
        if (c >= 'A' && c <= 'Z')
            value = c - 'A';
        else if (c >= 'a' && c <= 'z')
            value = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            value = c - '0' + 52;
        else if (c == '+')
            value = 62;
        else if (c == '/')
            value = 63;
        if (c == '=') {
            ++padding;
            continue;
        }
        if (text::is_ascii_space(c)) continue;
        if (value < 0 || padding > 0) return std::nullopt;
        bits = (bits << 6) | static_cast<std::uint32_t>(value);
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out += static_cast<char>((bits >> bit_count) & 0xFF);
        }
    }
    if (out.empty() || padding > 2 || bit_count >= 6) return std::nullopt;
    return out;
}

// Control characters other than whitespace: what text never holds and binary data does.
bool is_binary_control(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return (byte < 0x20 && !text::is_ascii_space(c) && c != '\f' && c != '\v') || byte == 0x7F;
}

// An Atom text construct: type text (default), html or xhtml; Atom 0.3's mode="escaped"/"xml"
// and MIME-type spellings are accepted too.
std::string atom_text(pugi::xml_node node) {
    if (!node) {
        return {};
    }
    const std::string type = text::ascii_lowercase(node.attribute("type").value());
    const std::string mode = text::ascii_lowercase(node.attribute("mode").value());
    const bool html = type == "html" || type == "text/html" || mode == "escaped";
    // RFC 4287 4.1.3.3: a media type that is neither text nor XML arrives base64-encoded, as does
    // Atom 0.3's mode="base64". Text inside is read; base64 itself or binary never is.
    const bool xml = type == "xhtml" || type.ends_with("/xml") || type.ends_with("+xml");
    const bool media_type = type.find('/') != std::string::npos;  // not a made-up "custom"
    if (mode == "base64" || (media_type && !html && !xml && !type.starts_with("text/"))) {
        const std::string payload = node_text(node);
        const auto decoded = decode_base64(payload);
        if (!decoded) {
            return plain_text(payload);  // not base64 at all: text under a wrong label
        }
        if (!text::is_valid_utf8(*decoded) || std::ranges::any_of(*decoded, is_binary_control)) {
            return {};
        }
        return html ? html_to_text(*decoded) : plain_text(*decoded);
    }
    if (html) {
        // TypePad wraps escaped HTML in an XHTML <div>: the div is packaging, its text the HTML.
        const pugi::xml_node div = node.find_child(is_any_element);
        if (div && local_name(div) == "div" && !has_element_children(div) &&
            std::ranges::count_if(node.children(), is_any_element) == 1) {
            return html_to_text(node_text(div));
        }
        return html_field(node);
    }
    return has_element_children(node) ? html_field(node) : plain_field(node);
}

std::string atom_author(pugi::xml_node parent, std::string_view ns) {
    return plain_field(child(child(parent, ns, "author"), ns, "name"));
}

Item atom_entry(pugi::xml_node node, std::string_view ns, const std::string& feed_author, const ParseOptions& options,
                std::vector<std::string>& warnings) {
    Item item;
    item.key = plain_field(child(node, ns, "id"));
    item.title = atom_text(child(node, ns, "title"));
    item.link = atom_link(node, ns, options);
    if (item.link.empty() && (item.key.starts_with("http://") || item.key.starts_with("https://"))) {
        item.link = absolute_link(node, item.key, options);  // an id that is a web address names the page
    }
    const auto date = [&](pugi::xml_node part) { return date_field(part, warnings); };
    item.published = first_read(node, {{ns, "published"}, {ns, "issued"}, {ns, "created"}}, date);
    item.updated = first_read(node, {{ns, "updated"}, {ns, "modified"}}, date);
    item.author = atom_author(node, ns);
    if (item.author.empty()) {
        item.author = atom_author(child(node, ns, "source"), ns);
    }
    for_each_child(node, ns, "category", [&](pugi::xml_node category) {
        const std::string_view term = category.attribute("term").value();
        add_category(item, plain_text(term.empty() ? category.attribute("label").value() : term));
    });
    item.summary = atom_text(child(node, ns, "summary"));
    if (const pugi::xml_node content = child(node, ns, "content"); content && content.attribute("src").empty()) {
        item.content = atom_text(content);
    }
    add_extension_fallbacks(item, node, warnings);
    if (item.author.empty()) {
        item.author = feed_author;  // RFC 4287 4.2.1: entries inherit the feed's author
    }
    return item;
}

Feed atom_feed(pugi::xml_node root, const ParseOptions& options, const SourceAdapter* source) {
    Feed feed;
    feed.format = Format::atom;
    const std::string_view ns = namespace_of(root);
    feed.title = atom_text(child(root, ns, "title"));
    feed.link = atom_link(root, ns, options);
    const std::string feed_author(text::truncate_utf8(atom_author(root, ns), k_max_author_bytes));
    feed.update_period_seconds = update_period_seconds(root);
    for (pugi::xml_node node : root.children()) {
        if (feed.items.size() == k_max_items) {
            break;
        }
        if (is_element(node, ns, "entry")) {
            add_item(feed, atom_entry(node, ns, feed_author, options, feed.warnings), source, node, root);
        }
    }
    return feed;
}

// RFC 4287 allows an entry as the document element: a feed of one, without feed metadata.
Feed atom_entry_document(pugi::xml_node root, const ParseOptions& options, const SourceAdapter* source) {
    Feed feed;
    feed.format = Format::atom;
    add_item(feed, atom_entry(root, namespace_of(root), {}, options, feed.warnings), source, root, root);
    return feed;
}

// Whether element has its end tag in xml before offset stop (an end tag the error is in does not
// count): after an XML error, the elements pugixml was still inside are in the tree half-read.
bool closed_before(std::string_view xml, pugi::xml_node element, std::size_t stop) {
    const std::string end_tag = "</" + std::string(element.name());
    for (std::size_t at = xml.find(end_tag, static_cast<std::size_t>(element.offset_debug()));
         at != std::string_view::npos && at + end_tag.size() < stop; at = xml.find(end_tag, at + 1)) {
        const std::size_t after = at + end_tag.size();
        if (after < xml.size() && (xml[after] == '>' || text::is_ascii_space(xml[after]))) {
            return true;
        }
    }
    return false;
}

// After an XML error, drops the entry the error interrupted: the unfinished elements are the last
// child of each level from the root down, and an entry among them was cut short.
void drop_unfinished_entry(pugi::xml_document& document, std::string_view xml, std::size_t error_offset) {
    for (pugi::xml_node node = document.last_child(); node; node = node.last_child()) {
        const std::string_view name = local_name(node);
        if (node.type() == pugi::node_element && (name == "item" || name == "entry") &&
            node != document.document_element()) {
            if (!closed_before(xml, node, error_offset)) {
                node.parent().remove_child(node);
            }
            return;
        }
    }
}

std::expected<Feed, ParseError> generic_feed_of(pugi::xml_node root, const ParseOptions& options,
                                                const SourceAdapter* source) {
    const std::string_view name = local_name(root);
    if (name == "rss") {
        return rss_feed(root, Format::rss, options, source);
    }
    if (name == "RDF" || name == "rdf" || (name == "Channel" && namespace_of(root) == k_ns_rss11)) {
        return rss_feed(root, Format::rdf, options, source);
    }
    if (name == "feed") {
        return atom_feed(root, options, source);
    }
    if (name == "entry") {
        return atom_entry_document(root, options, source);
    }
    return std::unexpected(ParseError{"not a feed: root element <" + std::string(root.name()) + ">"});
}

std::expected<Feed, ParseError> feed_of(pugi::xml_node root, const ParseOptions& options) {
    const SourceAdapter* source = xml_source(root);
    auto feed = generic_feed_of(root, options, source);
    if (feed && source != nullptr) feed->source = source->name;
    return feed;
}

}  // namespace

std::expected<Feed, ParseError> parse_xml_feed(std::string_view utf8, const ParseOptions& options) {
    std::vector<std::string> warnings;
    std::string xml = repair_xml(utf8, warnings);
    pugi::xml_document document;
    const pugi::xml_parse_result result =
        document.load_buffer_inplace(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    const std::string xml_error =
        result ? std::string{} : "XML error at offset " + std::to_string(result.offset) + ": " + result.description();
    if (!result) {
        // The in-place parse has cut the text up; errors are rare enough to repair it again.
        std::vector<std::string> ignored;
        drop_unfinished_entry(document, repair_xml(utf8, ignored), static_cast<std::size_t>(result.offset));
    }
    auto feed = feed_of(document.document_element(), options);
    if (!result && (!feed || feed->items.empty())) {
        // Nothing was saved from the error, so the feed has failed, not degraded.
        return std::unexpected(ParseError{xml_error});
    }
    if (!feed) {
        return feed;
    }
    if (!result) {
        // Like feedparser's "bozo" feeds: the entries before the error are read, the rest lost.
        add_warning(feed->warnings,
                    xml_error + "; kept the " + std::to_string(feed->items.size()) + " entries before it");
    }
    for (std::string& warning : warnings) add_warning(feed->warnings, std::move(warning));
    return feed;
}

}  // namespace signalmon::feed
