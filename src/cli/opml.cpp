// OPML import and export with pugixml; the YAML for imported feeds is written by yaml-cpp so that
// any title or URL is quoted correctly.
#include "cli/opml.hpp"

#include <yaml-cpp/yaml.h>
#include <pugixml.hpp>

#include <cctype>
#include <set>
#include <sstream>

namespace signalmon::cli {
namespace {

void collect(pugi::xml_node parent, std::vector<std::string>& folders, std::vector<Subscription>& out) {
    for (pugi::xml_node outline : parent.children("outline")) {
        const std::string title =
            outline.attribute("title").empty() ? outline.attribute("text").value() : outline.attribute("title").value();
        if (const std::string url = outline.attribute("xmlUrl").value(); !url.empty()) {
            out.push_back({title, url, folders});
        }
        if (outline.first_child()) {
            folders.push_back(title);
            collect(outline, folders, out);
            folders.pop_back();
        }
    }
}

// "Ars Technica — All" → "ars-technica-all": letters and digits, runs of anything else as one '-'.
std::string slug(std::string_view title) {
    std::string id;
    for (const unsigned char c : title) {
        if (std::isalnum(c) != 0) {
            id += static_cast<char>(std::tolower(c));
        } else if (!id.empty() && id.back() != '-') {
            id += '-';
        }
    }
    while (!id.empty() && id.back() == '-') id.pop_back();
    return id.empty() ? "feed" : id;
}

}  // namespace

std::expected<std::vector<Subscription>, std::string> read_opml(std::string_view xml) {
    pugi::xml_document document;
    const pugi::xml_parse_result result = document.load_buffer(xml.data(), xml.size());
    if (!result)
        return std::unexpected("XML error at offset " + std::to_string(result.offset) + ": " + result.description());
    const pugi::xml_node body = document.child("opml").child("body");
    if (!body) return std::unexpected(std::string("not OPML: no <opml><body>"));
    std::vector<Subscription> subscriptions;
    std::vector<std::string> folders;
    collect(body, folders, subscriptions);
    return subscriptions;
}

std::string write_opml(const std::vector<config::FeedSpec>& feeds) {
    pugi::xml_document document;
    pugi::xml_node declaration = document.append_child(pugi::node_declaration);
    declaration.append_attribute("version") = "1.0";
    declaration.append_attribute("encoding") = "UTF-8";
    pugi::xml_node opml = document.append_child("opml");
    opml.append_attribute("version") = "2.0";
    opml.append_child("head").append_child("title").text() = "signalmon feeds";
    pugi::xml_node body = opml.append_child("body");
    for (const config::FeedSpec& feed : feeds) {
        pugi::xml_node outline = body.append_child("outline");
        outline.append_attribute("type") = "rss";
        outline.append_attribute("text") = feed.id.c_str();
        outline.append_attribute("title") = feed.id.c_str();
        outline.append_attribute("xmlUrl") = feed.url.c_str();
        if (!feed.tags.empty()) {
            std::string tags;
            for (const std::string& tag : feed.tags) tags += (tags.empty() ? "" : ",") + tag;
            outline.append_attribute("category") = tags.c_str();
        }
    }
    std::ostringstream out;
    document.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
    return out.str();
}

std::string feeds_yaml_for(const std::vector<Subscription>& subscriptions,
                           const std::vector<config::FeedSpec>& existing) {
    std::set<std::string> ids;
    std::set<std::string> urls;
    for (const config::FeedSpec& feed : existing) {
        ids.insert(feed.id);
        urls.insert(feed.url);
    }
    YAML::Emitter yaml;
    yaml << YAML::BeginSeq;
    for (const Subscription& subscription : subscriptions) {
        if (!urls.insert(subscription.url).second) continue;
        const std::string base = slug(subscription.title.empty() ? subscription.url : subscription.title);
        std::string id = base;
        for (int n = 2; ids.contains(id); ++n) id = base + "-" + std::to_string(n);
        ids.insert(id);
        yaml << YAML::BeginMap << YAML::Key << "id" << YAML::Value << id << YAML::Key << "url" << YAML::Value
             << YAML::DoubleQuoted << subscription.url;
        if (!subscription.tags.empty()) {
            yaml << YAML::Key << "tags" << YAML::Value << YAML::Flow << subscription.tags;
        }
        yaml << YAML::EndMap;
    }
    yaml << YAML::EndSeq;
    if (yaml.size() == 0 || std::string_view(yaml.c_str()) == "[]") return {};
    // Indented by two so the lines paste under the top-level `feeds:` key.
    std::string out;
    std::istringstream lines(yaml.c_str());
    for (std::string line; std::getline(lines, line);) out += "  " + line + "\n";
    return out;
}

}  // namespace signalmon::cli
