// Column encodings shared by the backends.
#include "store/codec.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace signalmon::store {

std::string to_json_array(const std::vector<std::string>& values) {
    if (values.empty()) return "[]";  // most items have no categories: skip building a JSON value
    return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string to_json_object(const std::map<std::string, std::string, std::less<>>& fields) {
    if (fields.empty()) return "{}";
    return nlohmann::json(fields).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::map<std::string, std::string, std::less<>> from_json_object(const std::string& text) {
    std::map<std::string, std::string, std::less<>> fields;
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_object()) return fields;
    for (const auto& [name, value] : parsed.items()) {
        if (value.is_string()) fields.emplace(name, value.get<std::string>());
    }
    return fields;
}

std::vector<std::string> from_json_array(const std::string& text) {
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_array()) return {};
    return parsed.get<std::vector<std::string>>();
}

std::vector<std::string> from_lines(const std::string& joined) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < joined.size()) {
        const std::size_t end = std::min(joined.find('\n', at), joined.size());
        lines.push_back(joined.substr(at, end - at));
        at = end + 1;
    }
    return lines;
}

bool same_story(const AlertRequest& alert, std::string_view cluster_link, std::int64_t cluster_simhash,
                const ClusterPolicy& clustering) {
    const bool same_link = !alert.canonical_link.empty() && cluster_link == alert.canonical_link;
    return same_link || std::popcount(from_column(cluster_simhash) ^ alert.simhash) <= clustering.max_distance;
}

}  // namespace signalmon::store
