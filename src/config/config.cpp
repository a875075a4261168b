// Loads feeds.yaml into a Config, refusing anything it does not understand.
#include "config/config.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "config/units.hpp"
#include "config/yaml_reader.hpp"
#include "feed/source_adapter.hpp"
#include "fetch/fetcher.hpp"

namespace signalmon::config {
namespace {

using Reader = YamlReader<ConfigError>;

// A retention age: a duration, or "forever" (stored as 0).
std::chrono::seconds read_retention(const Reader& reader, const YAML::Node& map, std::string_view key,
                                    std::chrono::seconds fallback) {
    if (reader.optional_string(map, key) == "forever") return std::chrono::seconds(0);
    return reader.duration(map, key, fallback);
}

std::filesystem::path resolve_path(const std::filesystem::path& base_dir, const std::string& text) {
    const std::filesystem::path path(text);
    return (path.is_absolute() ? path : base_dir / path).lexically_normal();
}

// Feed URLs: http(s) as given, file:// absolute, anything without a scheme is a path.
std::string resolve_feed_url(const Reader& reader, const YAML::Node& node, const std::filesystem::path& base_dir) {
    const std::string& url = node.Scalar();
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) {
        if (url.find(':') != std::string::npos && url.find('/') > url.find(':')) {
            reader.fail(node,
                        "bad URL '" + url +
                            "': use http://, https://, file:///absolute/path or a path relative to the config file");
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
        if (!rest.starts_with('/'))
            reader.fail(node, "bad URL '" + url + "': file URLs need an absolute path, file:///path");
        return url;
    }
    reader.fail(node, "bad URL '" + url + "': unsupported scheme '" + scheme + "' (use http, https or file)");
}

std::size_t read_size(const Reader& reader, const YAML::Node& map, std::string_view key, std::size_t fallback) {
    const auto text = reader.optional_string(map, key);
    if (!text) return fallback;
    const auto size = parse_size(*text);
    if (!size || *size == 0)
        reader.fail(map[std::string(key)],
                    "'" + std::string(key) + "': " + (size ? "must be more than 0" : size.error()));
    return *size;
}

int read_count(const Reader& reader, const YAML::Node& map, std::string_view key, int fallback, int max) {
    const auto value = reader.optional_integer(map, key);
    if (!value) return fallback;
    if (*value < 1 || *value > max) {
        reader.fail(map[std::string(key)], "'" + std::string(key) + "' must be between 1 and " + std::to_string(max));
    }
    return static_cast<int>(*value);
}

double read_rate(const Reader& reader, const YAML::Node& map, std::string_view key, double fallback) {
    const auto value = reader.optional_number(map, key);
    if (!value) return fallback;
    if (!(*value >= 0 && *value <= 1000))
        reader.fail(map[std::string(key)], "'" + std::string(key) + "' must be between 0 and 1000 (0: not paced)");
    return *value;
}

// A User-Agent names a contact e-mail when some word in it has the shape a@b.c.
bool has_contact_email(std::string_view user_agent) {
    for (std::size_t at = user_agent.find('@'); at != std::string_view::npos; at = user_agent.find('@', at + 1)) {
        const auto is_word = [](char c) {
            return c != ' ' && c != '(' && c != ')' && c != '<' && c != '>' && c != ';' && c != ',';
        };
        const std::size_t local_start = at;
        std::size_t domain_end = at + 1;
        while (domain_end < user_agent.size() && is_word(user_agent[domain_end])) ++domain_end;
        const std::string_view domain = user_agent.substr(at + 1, domain_end - at - 1);
        const bool has_local = local_start > 0 && is_word(user_agent[local_start - 1]);
        const auto dot = domain.find('.');
        if (has_local && dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size()) return true;
    }
    return false;
}

SourceProfile builtin_sec_edgar() {
    return SourceProfile{.name = std::string(k_sec_edgar),
                         .hosts = {"sec.gov"},
                         .connections = 2,
                         .requests_per_second = 10,
                         .user_agent = {},
                         .forbidden_means_rate_limited = true,
                         .requires_contact_email = true};
}

// A profile from `sources:`; one named sec-edgar adjusts the built-in within SEC's rules.
SourceProfile read_source(const Reader& reader, const YAML::Node& name_node, const YAML::Node& node) {
    reader.check_keys(node,
                      {"hosts", "connections", "requests_per_second", "user_agent", "forbidden_means_rate_limited",
                       "requires_contact_email"},
                      "source");
    const std::string& name = name_node.Scalar();
    const bool edgar = name == k_sec_edgar;
    SourceProfile profile = edgar ? builtin_sec_edgar() : SourceProfile{.name = name};
    if (node["hosts"]) {
        profile.hosts.clear();
        for (const std::string& host : reader.string_list(node, "hosts")) {
            profile.hosts.push_back(text::ascii_lowercase(host));
        }
    }
    if (!edgar && profile.hosts.empty())
        reader.fail(node, "source '" + name + "' needs 'hosts:', the host names it governs");
    profile.connections = read_count(reader, node, "connections", profile.connections, 64);
    profile.requests_per_second = read_rate(reader, node, "requests_per_second", profile.requests_per_second);
    profile.user_agent = reader.optional_string(node, "user_agent").value_or(profile.user_agent);
    profile.forbidden_means_rate_limited =
        reader.optional_bool(node, "forbidden_means_rate_limited").value_or(profile.forbidden_means_rate_limited);
    profile.requires_contact_email =
        reader.optional_bool(node, "requires_contact_email").value_or(profile.requires_contact_email);
    if (edgar) {
        // SEC's fair-access policy: at most 10 requests per second, and a User-Agent naming a contact.
        if (profile.requests_per_second == 0 || profile.requests_per_second > 10) {
            reader.fail(node["requests_per_second"], "SEC EDGAR allows at most 10 requests per second in total");
        }
        if (!profile.requires_contact_email)
            reader.fail(node["requires_contact_email"], "SEC EDGAR requires a contact e-mail in the User-Agent");
    }
    return profile;
}

std::vector<SourceProfile> read_sources(const Reader& reader, const YAML::Node& root) {
    std::vector<SourceProfile> sources{builtin_sec_edgar()};
    const YAML::Node node = root["sources"];
    if (!node) return sources;
    reader.expect_map(node, "'sources'");
    for (const auto& entry : node) {
        SourceProfile profile = read_source(reader, entry.first, entry.second);
        if (profile.name == k_sec_edgar) {
            sources.front() = std::move(profile);
        } else {
            sources.push_back(std::move(profile));
        }
    }
    return sources;
}

// The feed's source: as written (which must exist), else the first whose hosts cover the URL's host.
std::string feed_source(const Reader& reader, const YAML::Node& node, const FeedSpec& feed, const Config& config) {
    if (const auto written = reader.optional_string(node, "source")) {
        if (config.source(*written) == nullptr) {
            std::vector<std::string_view> names;
            names.reserve(config.sources.size());
            for (const SourceProfile& profile : config.sources) names.push_back(profile.name);
            reader.fail(node["source"], "unknown source '" + *written + "'" + text::did_you_mean(*written, names));
        }
        return *written;
    }
    const std::string host = fetch::url_host(feed.url);
    for (const SourceProfile& profile : config.sources) {
        if (std::ranges::any_of(profile.hosts,
                                [&](const std::string& name) { return fetch::host_matches(host, name); })) {
            return profile.name;
        }
    }
    return {};
}

// A feed's `headers:` mapping of HTTP header names to values, in file order.
std::vector<std::pair<std::string, std::string>> read_headers(const Reader& reader, const YAML::Node& node) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (!node) return headers;
    reader.expect_map(node, "headers");
    for (const auto& entry : node) {
        const std::string name = entry.first.Scalar();
        // RFC 9110 field names are tokens; anything else could split or forge a header line.
        const bool token = !name.empty() && std::ranges::all_of(name, [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) ||
                   std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        });
        if (!token) reader.fail(entry.first, "header name '" + name + "' is not an HTTP field name");
        if (!entry.second.IsScalar() || entry.second.Scalar().find_first_of("\r\n") != std::string::npos) {
            reader.fail(entry.second, "header '" + name + "' must be a one-line string");
        }
        headers.emplace_back(name, entry.second.Scalar());
    }
    return headers;
}

FeedSpec read_feed(const Reader& reader, const YAML::Node& node, const Config& config) {
    reader.check_keys(node,
                      {"id", "url", "interval", "tags", "source", "health_alert_after", "fetch_article",
                       "fetch_document", "allow_private", "headers"},
                      "feed");
    FeedSpec feed;
    feed.id = reader.required_string(node, "id", "feed");
    for (char c : feed.id) {
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
            reader.fail(node["id"], "feed id '" + feed.id + "' may only hold letters, digits, '-', '_' and '.'");
        }
    }
    reader.required_string(node, "url", "feed '" + feed.id + "'");
    feed.url = resolve_feed_url(reader, node["url"], config.path.parent_path());
    feed.interval = reader.duration(node, "interval", config.interval);
    feed.tags = reader.string_list(node, "tags");
    feed.health_alert_after = reader.duration(node, "health_alert_after", config.health_alert_after);
    feed.source = feed_source(reader, node, feed, config);
    feed.fetch_article = reader.optional_bool(node, "fetch_article").value_or(false);
    feed.fetch_document = reader.optional_bool(node, "fetch_document").value_or(false);
    feed.allow_private = reader.optional_bool(node, "allow_private").value_or(false);
    feed.headers = read_headers(reader, node["headers"]);
    if (const feed::SourceAdapter* adapter = feed::source_adapter(feed.source);
        feed.fetch_document && (adapter == nullptr || adapter->document_link == nullptr)) {
        reader.fail(node["fetch_document"],
                    "'fetch_document' is for SEC EDGAR feeds (source sec-edgar); use 'fetch_article' for web pages");
    }
    if (const SourceProfile* profile = config.source(feed.source); profile && profile->requires_contact_email) {
        if (!has_contact_email(config.user_agent_for(feed))) {
            reader.fail(node["url"], "feed '" + feed.id + "' is governed by source '" + profile->name +
                                         "', which requires a User-Agent with a contact e-mail, e.g. user_agent: "
                                         "\"Example Corp ops@example.com\"");
        }
    }
    return feed;
}

// A HOST:PORT setting, checked so that binding it later can only fail for being in use.
std::optional<std::string> read_listen(const Reader& reader, const YAML::Node& map, const std::string& key) {
    auto listen = reader.optional_string(map, key);
    if (!listen) return std::nullopt;
    const auto colon = listen->rfind(':');
    if (colon == std::string::npos || colon == 0) {
        reader.fail(map[key], "'" + key + "' must be HOST:PORT, e.g. 127.0.0.1:9464");
    }
    const std::string_view port_text = std::string_view(*listen).substr(colon + 1);
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535) {
        reader.fail(map[key], "'" + key + "': port '" + std::string(port_text) +
                                  "' must be a number from 1 to 65535, e.g. 127.0.0.1:9464");
    }
    return listen;
}

WebConfig read_web(const Reader& reader, const YAML::Node& node) {
    reader.check_keys(node, {"listen", "base_path", "public_url"}, "web");
    WebConfig web{.enabled = true};
    web.listen = read_listen(reader, node, "listen").value_or(web.listen);
    if (auto base = reader.optional_string(node, "base_path")) {
        if (!base->starts_with('/') || base->find_first_of("?#%\\ \t") != std::string::npos) {
            reader.fail(node["base_path"], "'base_path' must be a URL path starting with '/', e.g. /signalmon");
        }
        while (base->ends_with('/')) base->pop_back();
        web.base_path = *base;
    }
    if (auto url = reader.optional_string(node, "public_url")) {
        if (!(url->starts_with("http://") || url->starts_with("https://")) ||
            url->find_first_of(" \t\"<>") != std::string::npos) {
            reader.fail(node["public_url"],
                        "'public_url' must be an http:// or https:// URL, e.g. https://example.org/signalmon");
        }
        while (url->ends_with('/')) url->pop_back();
        web.public_url = *url;
    }
    return web;
}

}  // namespace

const SourceProfile* Config::source(std::string_view name) const {
    const auto found = std::ranges::find(sources, name, &SourceProfile::name);
    return name.empty() || found == sources.end() ? nullptr : &*found;
}

const std::string& Config::user_agent_for(const FeedSpec& feed) const {
    const SourceProfile* profile = source(feed.source);
    return profile != nullptr && !profile->user_agent.empty() ? profile->user_agent : user_agent;
}

namespace {

// store (or store_url): a PostgreSQL URL without a password in it; the password comes from
// store_password_env or store_password_file, like the alert channels' secrets.
void read_store(const Reader& reader, const YAML::Node& root, const std::filesystem::path& base_dir, Config& config) {
    if (root["store"] && root["store_url"])
        reader.fail(root["store_url"], "give either 'store' or 'store_url', not both");
    const std::string key = root["store_url"] ? "store_url" : "store";
    const auto url = reader.optional_string(root, key);
    if (url) {
        if (!url->starts_with("postgresql://") && !url->starts_with("postgres://")) {
            reader.fail(root[key], "'" + key +
                                       "' must be a PostgreSQL URL (postgresql://host/database); leave it out "
                                       "for the SQLite store in state_dir");
        }
        const std::string_view rest = std::string_view(*url).substr(url->find("://") + 3);
        const std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
        const bool password_in_userinfo = authority.find('@') != std::string_view::npos &&
                                          authority.substr(0, authority.find('@')).find(':') != std::string_view::npos;
        if (password_in_userinfo || url->find("password=") != std::string::npos) {
            reader.fail(root[key], "'" + key +
                                       "' may not carry a password: use 'store_password_env: VARIABLE' or "
                                       "'store_password_file: /path'");
        }
        config.store_url = *url;
    }
    config.store_password = read_secret(reader, root, "store_password", base_dir);
    if (config.store_password && !url) {
        reader.fail(root[config.store_password->source == SecretRef::Source::env ? "store_password_env"
                                                                                 : "store_password_file"],
                    "a store password needs 'store: postgresql://...'");
    }
}

}  // namespace

Config load_config(const std::filesystem::path& path) {
    const Reader reader(path);
    const YAML::Node& root = reader.root();
    if (!root || root.IsNull())
        throw ConfigError(path.string() + ":1:1: the file is empty; it needs at least 'feeds:'");
    reader.check_keys(root,
                      {"state_dir",
                       "rules_dir",
                       "user_agent",
                       "interval",
                       "connect_timeout",
                       "timeout",
                       "max_body_size",
                       "max_parallel",
                       "low_speed_limit",
                       "low_speed_time",
                       "min_interval",
                       "max_interval",
                       "jitter",
                       "backoff_max",
                       "per_host_connections",
                       "per_host_rate",
                       "health_alert_after",
                       "document_max_size",
                       "metrics_listen",
                       "control_socket",
                       "retention",
                       "sources",
                       "item_retention",
                       "feeds",
                       "alerts",
                       "web",
                       "store",
                       "store_url",
                       "store_password_env",
                       "store_password_file",
                       "instance_id",
                       "lease",
                       "timezone"},
                      "feeds.yaml");
    Config config;
    config.path = std::filesystem::absolute(path);
    const std::filesystem::path base_dir = config.path.parent_path();
    config.state_dir = resolve_path(base_dir, reader.optional_string(root, "state_dir").value_or("state"));
    config.rules_dir = resolve_path(base_dir, reader.optional_string(root, "rules_dir").value_or("rules"));
    read_store(reader, root, base_dir, config);
    config.instance_id = reader.optional_string(root, "instance_id").value_or("");
    config.lease = reader.duration(root, "lease", config.lease);
    if (config.lease < std::chrono::seconds(2)) reader.fail(root["lease"], "'lease' must be at least 2s");
    config.user_agent = reader.optional_string(root, "user_agent").value_or("signalmon/" SIGNALMON_VERSION);
    config.interval = reader.duration(root, "interval", config.interval);
    config.connect_timeout = reader.duration(root, "connect_timeout", config.connect_timeout);
    config.timeout = reader.duration(root, "timeout", config.timeout);
    config.item_retention = reader.duration(root, "item_retention", config.item_retention);
    config.max_body_size = read_size(reader, root, "max_body_size", config.max_body_size);
    config.max_parallel = read_count(reader, root, "max_parallel", config.max_parallel, 1024);
    config.low_speed_limit = read_size(reader, root, "low_speed_limit", config.low_speed_limit);
    config.low_speed_time = reader.duration(root, "low_speed_time", config.low_speed_time);
    config.min_interval = reader.duration(root, "min_interval", config.min_interval);
    config.max_interval = reader.duration(root, "max_interval", config.max_interval);
    if (config.max_interval < config.min_interval)
        reader.fail(root["max_interval"], "'max_interval' must not be shorter than 'min_interval'");
    if (const auto jitter = reader.optional_number(root, "jitter")) {
        if (!(*jitter >= 0 && *jitter <= 1))
            reader.fail(root["jitter"], "'jitter' must be between 0 and 1 (a fraction of the interval)");
        config.jitter = *jitter;
    }
    config.backoff_max = reader.duration(root, "backoff_max", config.backoff_max);
    config.per_host_connections = read_count(reader, root, "per_host_connections", config.per_host_connections, 64);
    config.per_host_rate = read_rate(reader, root, "per_host_rate", config.per_host_rate);
    config.health_alert_after = reader.duration(root, "health_alert_after", config.health_alert_after);
    config.document_max_size = read_size(reader, root, "document_max_size", config.document_max_size);
    config.sources = read_sources(reader, root);

    if (const auto listen = read_listen(reader, root, "metrics_listen")) config.metrics_listen = *listen;
    if (const auto socket = reader.optional_string(root, "control_socket")) {
        config.control_socket = resolve_path(base_dir, *socket);
    }
    if (const YAML::Node retention = root["retention"]) {
        reader.check_keys(retention, {"items", "hits"}, "retention");
        config.retain_items = read_retention(reader, retention, "items", config.retain_items);
        config.retain_hits = read_retention(reader, retention, "hits", config.retain_hits);
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
    if (const YAML::Node web = root["web"]) config.web = read_web(reader, web);
    if (const auto name = reader.optional_string(root, "timezone")) {
        auto zone = TimeZone::load(*name);
        if (!zone) reader.fail(root["timezone"], "'timezone': " + zone.error());
        config.time_zone = std::move(*zone);
    }
    config.alerts.time_zone = config.time_zone;
    // The web view's public address is where alerts' ledger links point, unless alerts name their own.
    if (config.alerts.public_url.empty()) config.alerts.public_url = config.web.public_url;
    return config;
}

}  // namespace signalmon::config
