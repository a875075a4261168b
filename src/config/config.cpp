// Loads feeds.yaml into a Config, refusing anything it does not understand.
#include "config/config.hpp"

#include <set>

#include "config/units.hpp"
#include "config/yaml_reader.hpp"

namespace signalmon::config {
namespace {

using Reader = YamlReader<ConfigError>;

std::chrono::seconds read_duration(const Reader& reader, const YAML::Node& map, std::string_view key,
                                   std::chrono::seconds fallback) {
    const auto text = reader.optional_string(map, key);
    if (!text) return fallback;
    const auto duration = parse_duration(*text);
    if (!duration) reader.fail(map[std::string(key)], "'" + std::string(key) + "': " + duration.error());
    if (duration->count() == 0) reader.fail(map[std::string(key)], "'" + std::string(key) + "' must be longer than 0s");
    return *duration;
}

std::filesystem::path resolve_path(const std::filesystem::path& base_dir, const std::string& text) {
    const std::filesystem::path path(text);
    return (path.is_absolute() ? path : base_dir / path).lexically_normal();
}

// Feed URLs: http(s) as given, file:// absolute, anything without a scheme is a path.
std::string resolve_feed_url(const Reader& reader, const YAML::Node& node, const std::filesystem::path& base_dir) {
    const std::string url = node.Scalar();
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) {
        if (url.find(':') != std::string::npos && url.find('/') > url.find(':')) {
            reader.fail(node, "bad URL '" + url + "': use http://, https://, file:///absolute/path or a path relative to the config file");
        }
        return "file://" + resolve_path(base_dir, url).string();
    }
    const std::string scheme = url.substr(0, scheme_end);
    const std::string rest = url.substr(scheme_end + 3);
    if (scheme == "http" || scheme == "https") {
        const std::string host = rest.substr(0, rest.find_first_of("/?#"));
        if (host.empty() || host.find_first_of(" \t") != std::string::npos) {
            reader.fail(node, "bad URL '" + url + "': no host name");
        }
        if (url.find_first_of(" \t\r\n") != std::string::npos) {
            reader.fail(node, "bad URL '" + url + "': spaces must be percent-encoded as %20");
        }
        return url;
    }
    if (scheme == "file") {
        if (!rest.starts_with('/')) reader.fail(node, "bad URL '" + url + "': file URLs need an absolute path, file:///path");
        return url;
    }
    reader.fail(node, "bad URL '" + url + "': unsupported scheme '" + scheme + "' (use http, https or file)");
}

FeedSpec read_feed(const Reader& reader, const YAML::Node& node, const Config& config) {
    reader.check_keys(node, {"id", "url", "interval", "tags"}, "feed");
    FeedSpec feed;
    feed.id = reader.required_string(node, "id", "feed");
    for (char c : feed.id) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
            reader.fail(node["id"], "feed id '" + feed.id + "' may only hold letters, digits, '-', '_' and '.'");
        }
    }
    reader.required_string(node, "url", "feed '" + feed.id + "'");
    feed.url = resolve_feed_url(reader, node["url"], config.path.parent_path());
    feed.interval = read_duration(reader, node, "interval", config.interval);
    feed.tags = reader.string_list(node, "tags");
    return feed;
}

}  // namespace

Config load_config(const std::filesystem::path& path) {
    const Reader reader(path);
    const YAML::Node& root = reader.root();
    if (!root || root.IsNull()) throw ConfigError(path.string() + ":1:1: the file is empty; it needs at least 'feeds:'");
    reader.check_keys(root,
                      {"state_dir", "rules_dir", "user_agent", "interval", "connect_timeout", "timeout",
                       "max_body_size", "max_parallel", "item_retention", "feeds", "alerts"},
                      "feeds.yaml");
    Config config;
    config.path = std::filesystem::absolute(path);
    const std::filesystem::path base_dir = config.path.parent_path();
    config.state_dir = resolve_path(base_dir, reader.optional_string(root, "state_dir").value_or("state"));
    config.rules_dir = resolve_path(base_dir, reader.optional_string(root, "rules_dir").value_or("rules"));
    config.user_agent = reader.optional_string(root, "user_agent").value_or("signalmon/" SIGNALMON_VERSION);
    config.interval = read_duration(reader, root, "interval", config.interval);
    config.connect_timeout = read_duration(reader, root, "connect_timeout", config.connect_timeout);
    config.timeout = read_duration(reader, root, "timeout", config.timeout);
    config.item_retention = read_duration(reader, root, "item_retention", config.item_retention);
    if (const auto size_text = reader.optional_string(root, "max_body_size")) {
        const auto size = parse_size(*size_text);
        if (!size || *size == 0) reader.fail(root["max_body_size"], "'max_body_size': " + (size ? "must be more than 0" : size.error()));
        config.max_body_size = *size;
    }
    if (const auto parallel = reader.optional_integer(root, "max_parallel")) {
        if (*parallel < 1 || *parallel > 1024) reader.fail(root["max_parallel"], "'max_parallel' must be between 1 and 1024");
        config.max_parallel = static_cast<int>(*parallel);
    }

    const YAML::Node feeds = root["feeds"];
    if (!feeds) reader.fail(root, "missing required key 'feeds' (a list of feeds to poll)");
    if (!feeds.IsSequence()) reader.fail(feeds, "'feeds' must be a list of feeds, each starting with '- id:'");
    std::set<std::string> seen_ids;
    for (const auto& node : feeds) {
        FeedSpec feed = read_feed(reader, node, config);
        if (!seen_ids.insert(feed.id).second) reader.fail(node["id"], "duplicate feed id '" + feed.id + "'");
        config.feeds.push_back(std::move(feed));
    }
    if (const YAML::Node alerts = root["alerts"]) config.alerts = read_alerts_config(reader, alerts, base_dir);
    return config;
}

}  // namespace signalmon::config
