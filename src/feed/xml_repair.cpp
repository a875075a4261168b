// One pass over the document before pugixml sees it: references, the internal DTD's entities and
// unclosed CDATA. pugixml leaves references it does not know as literal text and reads only
// lowercase "&#x", so without this pass "&nbsp;" and "&#X41;" would reach plain-text fields as is.
#include "feed/xml_repair.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "feed/html_text.hpp"
#include "feed/item.hpp"
#include "text/ascii.hpp"
#include "text/swar.hpp"

namespace signalmon::feed {

namespace {

constexpr std::size_t k_max_entity_name = 64;

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' || c == ':';
}

bool is_xml_entity(std::string_view name) {
    return name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "apos";
}

std::size_t skip_space(std::string_view text, std::size_t pos) {
    while (pos < text.size() && text::is_ascii_space(text[pos])) ++pos;
    return pos;
}

// Entity replacement text as XML character data: markup and references other than numeric and
// XML's own become literal, so one expansion never leads to another.
std::string as_character_data(std::string_view value) {
    std::string out;
    for (std::size_t pos = 0; pos < value.size(); ++pos) {
        const char c = value[pos];
        if (c == '<') {
            out += "&lt;";
        } else if (c == '&') {
            const std::string_view rest = value.substr(pos + 1);
            const std::size_t semicolon = rest.find(';');
            const bool kept = rest.starts_with('#') ||
                              (semicolon != std::string_view::npos && is_xml_entity(rest.substr(0, semicolon)));
            out += kept ? "&" : "&amp;";
        } else {
            out += c;
        }
    }
    return out;
}

// The general entities an internal DTD subset declares with a literal value:
// <!ENTITY name "value">. Parameter (%) and external (SYSTEM/PUBLIC) entities are not read.
std::map<std::string, std::string, std::less<>> internal_entities(std::string_view subset,
                                                                  std::vector<std::string>& warnings) {
    std::map<std::string, std::string, std::less<>> entities;
    constexpr std::string_view k_open = "<!ENTITY";
    for (std::size_t at = subset.find(k_open); at != std::string_view::npos; at = subset.find(k_open, at + 1)) {
        std::size_t pos = skip_space(subset, at + k_open.size());
        const std::size_t name_start = pos;
        while (pos < subset.size() && is_name_char(subset[pos])) ++pos;
        const std::string_view name = subset.substr(name_start, pos - name_start);
        pos = skip_space(subset, pos);
        if (name.empty() || name.size() > k_max_entity_name || pos >= subset.size() ||
            (subset[pos] != '"' && subset[pos] != '\'')) {
            continue;
        }
        const std::size_t close = subset.find(subset[pos], pos + 1);
        if (close == std::string_view::npos) {
            break;
        }
        const std::string_view value = subset.substr(pos + 1, close - pos - 1);
        if (entities.size() == k_max_dtd_entities || value.size() > k_max_dtd_entity_bytes) {
            add_warning(warnings, "DTD entity &" + std::string(name) + "; ignored: over the limits");
            continue;
        }
        entities.emplace(name, as_character_data(value));
    }
    return entities;
}

class XmlRepair {
public:
    XmlRepair(std::string_view xml, std::vector<std::string>& warnings)
        : m_xml(xml), m_warnings(warnings), m_expansion_budget(std::min(k_max_dtd_expansion_bytes, xml.size())) {
        m_out.reserve(xml.size());
    }

    std::string run() && {
        while (m_pos < m_xml.size()) {
            // Only '&' and "<!" matter; scanning for '<' would stop at every tag.
            const std::size_t next = text::swar::find_either(m_xml, m_pos, '&', '!');
            copy_to(next);
            if (next == m_xml.size()) {
                break;
            }
            if (m_xml[next] == '&') {
                reference();
            } else if (next > 0 && m_xml[next - 1] == '<') {
                declaration(next - 1);
            } else {
                copy_to(next + 1);
            }
        }
        if (m_dropped_reference) {
            add_warning(m_warnings, "undefined entity references dropped, the first &" + m_first_dropped + ';');
        }
        return std::move(m_out);
    }

private:
    void copy_to(std::size_t end) {
        m_out.append(m_xml.substr(m_pos, end - m_pos));
        m_pos = end;
    }

    // At '&': a reference, rewritten as XML reads it, or a stray '&', escaped.
    void reference() {
        if (const auto numeric = numeric_reference(m_xml, m_pos)) {
            m_out += "&#" + std::to_string(static_cast<std::uint32_t>(numeric->first)) + ';';
            m_pos += numeric->second;
            return;
        }
        std::size_t end = m_pos + 1;
        while (end < m_xml.size() && end - m_pos <= k_max_entity_name && is_name_char(m_xml[end])) ++end;
        if (end == m_pos + 1 || end >= m_xml.size() || m_xml[end] != ';') {
            m_out += "&amp;";
            ++m_pos;
            return;
        }
        const std::string_view name = m_xml.substr(m_pos + 1, end - m_pos - 1);
        if (is_xml_entity(name)) {
            copy_to(end + 1);
            return;
        }
        m_pos = end + 1;
        if (const auto entity = m_entities.find(name); entity != m_entities.end()) {
            if (m_expanded + entity->second.size() <= m_expansion_budget) {
                m_out += entity->second;
                m_expanded += entity->second.size();
            } else if (!m_expansion_capped) {
                add_warning(m_warnings,
                            "DTD entity expansions stopped at " + std::to_string(m_expansion_budget) + " bytes");
                m_expansion_capped = true;
            }
        } else if (const auto code_point = html_entity(name)) {
            m_out += "&#" + std::to_string(static_cast<std::uint32_t>(*code_point)) + ';';
        } else if (!m_dropped_reference) {
            m_dropped_reference = true;
            m_first_dropped = name;
        }
    }

    // At "<!": a CDATA section or comment is copied whole, a DOCTYPE is read for its entities.
    void declaration(std::size_t open) {
        const std::string_view rest = m_xml.substr(open);
        if (rest.starts_with("<![CDATA[")) {
            cdata(open);
        } else if (rest.starts_with("<!--")) {
            const std::size_t end = m_xml.find("-->", open + 4);
            copy_to(end == std::string_view::npos ? m_xml.size() : end + 3);
        } else if (rest.starts_with("<!DOCTYPE")) {
            doctype(open);
        } else {
            copy_to(open + 2);
        }
    }

    void cdata(std::size_t open) {
        const std::size_t content = open + 9;
        // Once no "]]>" follows, none follows any later section either: not searching again keeps
        // a document of many unclosed sections linear.
        const std::size_t end = m_cdata_ends_seen ? m_xml.find("]]>", content) : std::string_view::npos;
        if (end != std::string_view::npos) {
            copy_to(end + 3);
            return;
        }
        m_cdata_ends_seen = false;
        // Never closed: it ends where the element that holds it does, "<description><![CDATA[...
        // </description>", rather than swallowing the rest of the document.
        const std::size_t tag = m_xml.rfind('<', open == 0 ? 0 : open - 1);
        std::size_t name_end = tag == std::string_view::npos ? tag : tag + 1;
        while (name_end < m_xml.size() && is_name_char(m_xml[name_end])) ++name_end;
        if (tag == std::string_view::npos || name_end == tag + 1) {
            copy_to(m_xml.size());
            return;
        }
        const std::string close_tag = "</" + std::string(m_xml.substr(tag + 1, name_end - tag - 1)) + '>';
        const std::size_t close = m_xml.find(close_tag, content);
        copy_to(close == std::string_view::npos ? m_xml.size() : close);
        m_out += "]]>";
        add_warning(m_warnings, "unterminated CDATA section ended at " + close_tag);
    }

    void doctype(std::size_t open) {
        const std::size_t bracket = m_xml.find_first_of("[>", open);
        if (bracket == std::string_view::npos || m_xml[bracket] == '>') {
            copy_to(bracket == std::string_view::npos ? m_xml.size() : bracket + 1);
            return;
        }
        // The internal subset ends at the first ']' outside a quoted literal.
        std::size_t end = bracket + 1;
        for (char quote = 0; end < m_xml.size() && (quote != 0 || m_xml[end] != ']'); ++end) {
            if (quote != 0) {
                quote = m_xml[end] == quote ? 0 : quote;
            } else if (m_xml[end] == '"' || m_xml[end] == '\'') {
                quote = m_xml[end];
            }
        }
        m_entities = internal_entities(m_xml.substr(bracket + 1, end - bracket - 1), m_warnings);
        const std::size_t close = m_xml.find('>', end);
        copy_to(close == std::string_view::npos ? m_xml.size() : close + 1);
    }

    std::string_view m_xml;
    std::vector<std::string>& m_warnings;
    std::string m_out;
    std::size_t m_pos = 0;
    std::map<std::string, std::string, std::less<>> m_entities;
    std::size_t m_expansion_budget;
    std::size_t m_expanded = 0;
    bool m_expansion_capped = false;
    bool m_cdata_ends_seen = true;  // false once a search for "]]>" has reached the end
    bool m_dropped_reference = false;
    std::string m_first_dropped;
};

}  // namespace

std::string repair_xml(std::string_view utf8, std::vector<std::string>& warnings) {
    return XmlRepair(utf8, warnings).run();
}

}  // namespace signalmon::feed
