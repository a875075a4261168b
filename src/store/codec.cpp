// Column encodings shared by the backends.
#include "store/codec.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "rules/rule_set.hpp"

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

SqlStatement hits_query_sql(const HitQuery& query, SqlDialect dialect) {
    SqlStatement statement;
    const auto parameter = [&](std::variant<std::int64_t, std::string> value) {
        statement.parameters.push_back(std::move(value));
        return (dialect == SqlDialect::sqlite ? "?" : "$") + std::to_string(statement.parameters.size());
    };
    const std::string limit = parameter(query.limit);
    std::string kinds;
    if (!query.kind.empty()) {
        kinds = "(CAST(" + parameter(query.kind) + " AS TEXT))";
    } else {
        for (const rules::Kind kind : {rules::Kind::watch, rules::Kind::confirm, rules::Kind::kill}) {
            kinds += (kinds.empty() ? "('" : ", ('") + std::string(rules::kind_name(kind)) + "')";
        }
    }
    const std::string brief = query.brief.empty() ? "" : " AND hits.brief = " + parameter(query.brief);
    const std::string min_score = query.min_score ? " AND hits.score >= " + parameter(*query.min_score) : "";
    const std::string since = query.since ? " AND hits.found_at >= " + parameter(*query.since) : "";
    // The next score above `after` a kind has: a loose index scan, one seek per distinct score.
    const auto next_score = [&](std::string_view kind, std::string_view after) {
        return "(SELECT hits.score FROM hits WHERE hits.kind = " + std::string(kind) + brief + std::string(after) +
               " ORDER BY hits.score LIMIT 1)";
    };
    const auto newest_of_score = [&](std::string_view columns) {
        return "SELECT " + std::string(columns) + " FROM hits WHERE hits.kind = found.kind" + brief +
               " AND hits.score = found.score" + since + " ORDER BY hits.found_at DESC, hits.id DESC LIMIT " + limit;
    };
    // SQLite has no LATERAL; its correlated IN list runs once per (kind, score) row.
    const std::string per_score =
        dialect == SqlDialect::sqlite
            ? "SELECT h.id, h.found_at FROM found JOIN hits h ON h.id IN (" + newest_of_score("hits.id") + ")"
            : "SELECT part.id, part.found_at FROM found CROSS JOIN LATERAL (" +
                  newest_of_score("hits.id, hits.found_at") + ") AS part";
    statement.text = "WITH RECURSIVE kinds(kind) AS (VALUES " + kinds +
                     "), found(kind, score) AS (SELECT kinds.kind, " + next_score("kinds.kind", min_score) +
                     " FROM kinds UNION ALL SELECT found.kind, " +
                     next_score("found.kind", " AND hits.score > found.score") +
                     " FROM found WHERE found.score IS NOT NULL), newest(id, found_at) AS (" + per_score +
                     " ORDER BY 2 DESC, 1 DESC LIMIT " + limit + ") SELECT " + std::string(k_hit_columns) +
                     " FROM newest JOIN hits h ON h.id = newest.id JOIN items i ON i.id = h.item_id"
                     " ORDER BY h.found_at DESC, h.id DESC";
    return statement;
}

}  // namespace signalmon::store
