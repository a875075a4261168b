// Typed, located access to a YAML document: every complaint becomes "FILE:LINE:COL: message"
// thrown as the caller's error type (ConfigError for feeds.yaml, RuleError for rule files).
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/units.hpp"
#include "text/did_you_mean.hpp"

namespace signalmon::config {

template <class Error>
class YamlReader {
public:
    // Parses the file; a YAML syntax error is thrown as Error at its position.
    explicit YamlReader(std::filesystem::path display_path) : m_display_path(std::move(display_path)) {
        try {
            m_root = YAML::LoadFile(m_display_path.string());
        } catch (const YAML::BadFile&) {
            throw Error(m_display_path.string() + ": cannot read file");
        } catch (const YAML::ParserException& error) {
            throw Error(where(error.mark) + ": YAML syntax error: " + error.msg);
        }
        refuse_duplicate_keys(m_root);
    }

    const YAML::Node& root() const { return m_root; }
    const std::filesystem::path& path() const { return m_display_path; }

    std::string where(const YAML::Mark& mark) const {
        if (mark.is_null()) return m_display_path.string();
        return m_display_path.string() + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
    }

    [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const {
        throw Error(where(at.Mark()) + ": " + message);
    }

    void expect_map(const YAML::Node& node, std::string_view what) const {
        if (!node.IsMap()) fail(node, std::string(what) + " must be a mapping of key: value");
    }

    // Rejects keys outside allowed, suggesting the closest allowed key.
    void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                    std::string_view what) const {
        expect_map(map, what);
        const std::vector<std::string_view> candidates(allowed);
        for (const auto& entry : map) {
            const std::string key = entry.first.Scalar();
            bool known = false;
            for (std::string_view candidate : candidates) known = known || candidate == key;
            if (!known) {
                fail(entry.first,
                     "unknown key '" + key + "' in " + std::string(what) + text::did_you_mean(key, candidates));
            }
        }
    }

    std::optional<std::string> optional_string(const YAML::Node& map, std::string_view key) const {
        const YAML::Node node = map[std::string(key)];
        if (!node) return std::nullopt;
        if (!node.IsScalar()) fail(node, "'" + std::string(key) + "' must be a string");
        return node.Scalar();
    }

    std::string required_string(const YAML::Node& map, std::string_view key, std::string_view what) const {
        auto value = optional_string(map, key);
        if (!value) fail(map, std::string(what) + " is missing required key '" + std::string(key) + "'");
        if (value->empty()) fail(map[std::string(key)], "'" + std::string(key) + "' must not be empty");
        return *value;
    }

    std::optional<long long> optional_integer(const YAML::Node& map, std::string_view key) const {
        const YAML::Node node = map[std::string(key)];
        if (!node) return std::nullopt;
        long long value = 0;
        if (!node.IsScalar() || !YAML::convert<long long>::decode(node, value)) {
            fail(node, "'" + std::string(key) + "' must be a whole number, got '" + node.Scalar() + "'");
        }
        return value;
    }

    std::optional<double> optional_number(const YAML::Node& map, std::string_view key) const {
        const YAML::Node node = map[std::string(key)];
        if (!node) return std::nullopt;
        double value = 0;
        if (!node.IsScalar() || !YAML::convert<double>::decode(node, value)) {
            fail(node, "'" + std::string(key) + "' must be a number, got '" + node.Scalar() + "'");
        }
        return value;
    }

    std::optional<bool> optional_bool(const YAML::Node& map, std::string_view key) const {
        const YAML::Node node = map[std::string(key)];
        if (!node) return std::nullopt;
        bool value = false;
        if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
            fail(node, "'" + std::string(key) + "' must be true or false, got '" + node.Scalar() + "'");
        }
        return value;
    }

    // A positive duration ("90s", "15m", "1h30m"); fallback when the key is absent.
    std::chrono::seconds duration(const YAML::Node& map, std::string_view key, std::chrono::seconds fallback) const {
        const auto text = optional_string(map, key);
        if (!text) return fallback;
        const auto parsed = parse_duration(*text);
        if (!parsed) fail(map[std::string(key)], "'" + std::string(key) + "': " + parsed.error());
        if (parsed->count() == 0) fail(map[std::string(key)], "'" + std::string(key) + "' must be longer than 0s");
        return *parsed;
    }

    std::vector<std::string> string_list(const YAML::Node& map, std::string_view key) const {
        const YAML::Node node = map[std::string(key)];
        std::vector<std::string> values;
        if (!node) return values;
        if (!node.IsSequence()) fail(node, "'" + std::string(key) + "' must be a list, e.g. [a, b]");
        for (const auto& element : node) {
            if (!element.IsScalar()) fail(element, "'" + std::string(key) + "' must hold strings");
            values.push_back(element.Scalar());
        }
        return values;
    }

private:
    // yaml-cpp keeps every copy of a repeated key and lookups see only the first, so a second
    // `interval:` would be silently ignored: refuse it, in every map of the document.
    void refuse_duplicate_keys(const YAML::Node& node) const {
        if (node.IsSequence()) {
            for (const auto& element : node) refuse_duplicate_keys(element);
            return;
        }
        if (!node.IsMap()) return;
        std::map<std::string, YAML::Mark, std::less<>> seen;
        for (const auto& entry : node) {
            const auto [first, inserted] = seen.emplace(entry.first.Scalar(), entry.first.Mark());
            if (!inserted) {
                fail(entry.first, "duplicate key '" + entry.first.Scalar() + "' (first at line " +
                                      std::to_string(first->second.line + 1) + ")");
            }
            refuse_duplicate_keys(entry.second);
        }
    }

    std::filesystem::path m_display_path;
    YAML::Node m_root;
};

}  // namespace signalmon::config
