// RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0/0.3 with pugixml. Elements are matched by namespace
// URI and local name, so any prefix works; "core" elements are those in their parent's namespace.
#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ranges>
#include <string>

#include "feed/date.hpp"
#include "feed/html_text.hpp"
#include "feed/parse_formats.hpp"
#include "feed/url.hpp"
#include "text/ascii.hpp"
#include "text/swar.hpp"
#include "text/utf8.hpp"

namespace signalmon::feed {

namespace {

constexpr std::string_view k_ns_atom = "http://www.w3.org/2005/Atom";
constexpr std::string_view k_ns_content = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view k_ns_dc = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view k_ns_sy = "http://purl.org/rss/1.0/modules/syndication/";
constexpr std::string_view k_edgar_id_prefix = "urn:tag:sec.gov,2008:accession-number=";

std::string_view local_name(pugi::xml_node node) {
    const std::string_view name = node.name();
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
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
            return declaration.value();
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

bool has_element_children(pugi::xml_node node) {
    return std::ranges::any_of(node.children(), [](pugi::xml_node part) { return part.type() == pugi::node_element; });
}

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

std::optional<UnixTime> date_field(pugi::xml_node node) { return node ? parse_date(node_text(node)) : std::nullopt; }

void add_category(Item& item, std::string category) {
    if (!category.empty()) {
        item.categories.push_back(std::move(category));
    }
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

// ---- Filings: SEC EDGAR Atom and Federal Register RSS ----

// The company feed's <company-info>: its CIK and name hold for every entry.
struct EdgarCompany {
    std::string cik;
    std::string name;
};

EdgarCompany edgar_company(pugi::xml_node feed, std::string_view ns) {
    const pugi::xml_node info = child(feed, ns, "company-info");
    return {plain_field(child(info, ns, "cik")), plain_field(child(info, ns, "conformed-name"))};
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

// EDGAR entries: the accession number is the key; form type, CIK and company become fields.
void edgar_fields(Item& item, pugi::xml_node entry, std::string_view ns, const EdgarCompany& company) {
    if (!item.key.starts_with(k_edgar_id_prefix)) return;
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

// Federal Register items: agency (dc:creator), document number (from the /d/ guid or the link), topics.
void federal_register_fields(Item& item) {
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

// ---- RSS 0.9x / 2.0 and RSS 1.0 ----

std::string rss_link(pugi::xml_node parent, const ParseOptions& options) {
    if (const pugi::xml_node link = core_child(parent, "link"); link && !plain_field(link).empty()) {
        return absolute_link(link, node_text(link), options);
    }
    return atom_link(parent, k_ns_atom, options);
}

Item rss_item(pugi::xml_node node, const ParseOptions& options) {
    Item item;
    item.title = html_field(core_child(node, "title"));
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
    item.published = date_field(core_child(node, "pubDate"));
    if (!item.published) {
        item.published = date_field(child(node, k_ns_dc, "date"));
    }
    item.updated = date_field(child(node, k_ns_atom, "updated"));
    item.author = plain_field(core_child(node, "author"));
    if (item.author.empty()) {
        item.author = plain_field(child(node, k_ns_dc, "creator"));
    }
    for_each_child(node, namespace_of(node), "category",
                   [&](pugi::xml_node category) { add_category(item, plain_field(category)); });
    for_each_child(node, k_ns_dc, "subject", [&](pugi::xml_node subject) { add_category(item, plain_field(subject)); });
    item.summary = html_field(core_child(node, "description"));
    item.content = html_field(child(node, k_ns_content, "encoded"));
    federal_register_fields(item);
    return item;
}

Feed rss_feed(pugi::xml_node root, Format format, const ParseOptions& options) {
    Feed feed;
    feed.format = format;
    pugi::xml_node channel;
    for (pugi::xml_node node : root.children()) {
        if (node.type() == pugi::node_element && local_name(node) == "channel") {
            channel = node;
            break;
        }
    }
    if (channel) {
        feed.title = html_field(core_child(channel, "title"));
        feed.link = rss_link(channel, options);
        if (const auto minutes = whole_number(plain_field(core_child(channel, "ttl"))))
            feed.ttl_seconds = *minutes * 60;
        feed.update_period_seconds = update_period_seconds(channel);
    }
    // RSS 2.0 nests items in <channel>; RSS 1.0 and some 0.9x feeds put them beside it.
    for (pugi::xml_node container : {channel, root}) {
        for (pugi::xml_node node : container.children()) {
            if (feed.items.size() == k_max_items) {
                return feed;
            }
            if (node.type() == pugi::node_element && local_name(node) == "item") {
                feed.items.push_back(rss_item(node, options));
            }
        }
    }
    return feed;
}

// ---- Atom ----

// An Atom text construct: type text (default), html or xhtml; Atom 0.3's mode="escaped"/"xml"
// and MIME-type spellings are accepted too.
std::string atom_text(pugi::xml_node node) {
    if (!node) {
        return {};
    }
    const std::string type = text::ascii_lowercase(node.attribute("type").value());
    const std::string mode = text::ascii_lowercase(node.attribute("mode").value());
    if (mode == "base64") {
        return {};
    }
    if (type == "html" || type == "text/html" || mode == "escaped" || has_element_children(node)) {
        return html_field(node);
    }
    return plain_field(node);
}

std::string atom_author(pugi::xml_node parent, std::string_view ns) {
    return plain_field(child(child(parent, ns, "author"), ns, "name"));
}

std::optional<UnixTime> first_date(pugi::xml_node parent, std::string_view ns,
                                   std::initializer_list<std::string_view> names) {
    for (std::string_view name : names) {
        if (const auto date = date_field(child(parent, ns, name))) {
            return date;
        }
    }
    return std::nullopt;
}

Item atom_entry(pugi::xml_node node, std::string_view ns, const std::string& feed_author, const EdgarCompany& company,
                const ParseOptions& options) {
    Item item;
    item.key = plain_field(child(node, ns, "id"));
    item.title = atom_text(child(node, ns, "title"));
    item.link = atom_link(node, ns, options);
    item.published = first_date(node, ns, {"published", "issued", "created"});
    item.updated = first_date(node, ns, {"updated", "modified"});
    item.author = atom_author(node, ns);
    if (item.author.empty()) {
        item.author = atom_author(child(node, ns, "source"), ns);
    }
    if (item.author.empty()) {
        item.author = feed_author;  // RFC 4287 4.2.1: entries inherit the feed's author
    }
    for_each_child(node, ns, "category", [&](pugi::xml_node category) {
        const std::string_view term = category.attribute("term").value();
        add_category(item, plain_text(term.empty() ? category.attribute("label").value() : term));
    });
    for_each_child(node, k_ns_dc, "subject", [&](pugi::xml_node subject) { add_category(item, plain_field(subject)); });
    item.summary = atom_text(child(node, ns, "summary"));
    if (const pugi::xml_node content = child(node, ns, "content"); content && content.attribute("src").empty()) {
        item.content = atom_text(content);
    }
    edgar_fields(item, node, ns, company);
    return item;
}

Feed atom_feed(pugi::xml_node root, const ParseOptions& options) {
    Feed feed;
    feed.format = Format::atom;
    const std::string_view ns = namespace_of(root);
    feed.title = atom_text(child(root, ns, "title"));
    feed.link = atom_link(root, ns, options);
    const std::string feed_author(text::truncate_utf8(atom_author(root, ns), k_max_author_bytes));
    const EdgarCompany company = edgar_company(root, ns);
    feed.update_period_seconds = update_period_seconds(root);
    for (pugi::xml_node node : root.children()) {
        if (feed.items.size() == k_max_items) {
            break;
        }
        if (is_element(node, ns, "entry")) {
            feed.items.push_back(atom_entry(node, ns, feed_author, company, options));
        }
    }
    return feed;
}

// pugixml leaves references it does not know (&nbsp;) as literal text, which would then be
// wrong in plain-text fields; feeds use HTML's names without a DTD, so they are rewritten as
// numeric references before parsing. CDATA sections and comments are copied untouched.
std::string numeric_html_entities(std::string_view xml) {
    std::string out;
    out.reserve(xml.size());
    std::size_t pos = 0;
    while (pos < xml.size()) {
        // Only '&' and "<!" matter; scanning for '<' would stop at every tag.
        const std::size_t next = text::swar::find_either(xml, pos, '&', '!');
        if (next == xml.size()) {
            break;
        }
        if (xml[next] == '!') {
            const std::size_t open = next - 1;  // where "<!" would start
            const std::string_view rest = next > pos ? xml.substr(open) : std::string_view{};
            const bool cdata = rest.starts_with("<![CDATA[");
            if (!cdata && !rest.starts_with("<!--")) {
                out.append(xml.substr(pos, next + 1 - pos));
                pos = next + 1;
                continue;
            }
            const std::string_view close = cdata ? "]]>" : "-->";
            const std::size_t end = rest.find(close);
            const std::size_t length = end == std::string_view::npos ? rest.size() : end + close.size();
            out.append(xml.substr(pos, open + length - pos));
            pos = open + length;
            continue;
        }
        out.append(xml.substr(pos, next - pos));
        pos = next;
        const std::string_view rest = xml.substr(pos);
        std::size_t name_end = 1;
        while (name_end < rest.size() && name_end < 34 &&
               std::isalnum(static_cast<unsigned char>(rest[name_end])) != 0) {
            ++name_end;
        }
        const std::string_view name = rest.substr(1, name_end - 1);
        const bool xml_entity = name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
        const auto code_point =
            name_end < rest.size() && rest[name_end] == ';' && !xml_entity ? html_entity(name) : std::nullopt;
        if (code_point) {
            out += "&#" + std::to_string(static_cast<std::uint32_t>(*code_point)) + ';';
            pos += name_end + 1;
        } else {
            out += '&';
            ++pos;
        }
    }
    out.append(xml.substr(pos));
    return out;
}

}  // namespace

std::expected<Feed, ParseError> parse_xml_feed(std::string_view utf8, const ParseOptions& options) {
    std::string xml = numeric_html_entities(utf8);
    pugi::xml_document document;
    const pugi::xml_parse_result result =
        document.load_buffer_inplace(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!result) {
        return std::unexpected(
            ParseError{"XML error at offset " + std::to_string(result.offset) + ": " + result.description()});
    }
    const pugi::xml_node root = document.document_element();
    const std::string_view name = local_name(root);
    if (name == "rss") {
        return rss_feed(root, Format::rss, options);
    }
    if (name == "RDF") {
        return rss_feed(root, Format::rdf, options);
    }
    if (name == "feed") {
        return atom_feed(root, options);
    }
    return std::unexpected(ParseError{"not a feed: root element <" + std::string(root.name()) + ">"});
}

}  // namespace signalmon::feed
