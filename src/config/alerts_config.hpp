// The `alerts:` section of feeds.yaml: delivery channels (SMTP, webhooks), routes and clustering.
#pragma once

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/time_zone.hpp"

namespace signalmon::config {

// Where a secret lives. Secrets are never written inline in feeds.yaml, so the file can be shared
// and logged; alert::resolve_secret() reads the value when the daemon starts.
struct SecretRef {
    enum class Source { env, file } source = Source::env;
    std::string name;  // variable name, or absolute file path (e.g. a systemd credential)
};

struct RateLimit {
    std::int64_t count = 0;  // 0: unlimited
    std::chrono::seconds per{std::chrono::hours(1)};
};

enum class StartTls { required, optional, off };

struct EmailChannel {
    std::string url;  // smtp://host[:port] or smtps://host[:port]
    StartTls starttls = StartTls::required;
    std::string username;
    std::optional<SecretRef> password;
    std::string from;  // "Name <address>" or "address"
    std::vector<std::string> to;
};

enum class WebhookFormat { generic, slack, mattermost, discord, ntfy };

struct WebhookChannel {
    std::string url;
    WebhookFormat format = WebhookFormat::generic;
    std::optional<SecretRef> secret;  // HMAC-SHA256 signing key
    std::vector<std::pair<std::string, std::string>> headers;
};

struct Channel {
    std::string id;
    enum class Type { email, webhook } type = Type::email;
    EmailChannel email;
    WebhookChannel webhook;
    RateLimit rate_limit;
    std::chrono::seconds timeout{30};
};

// Minutes after local midnight in feeds.yaml's `timezone` (UTC by default); the window may wrap
// midnight (22:00-07:00).
struct QuietHours {
    int start_minute = 0;
    int end_minute = 0;
};

struct Route {
    std::vector<std::string> channels;
    std::vector<std::string> briefs;             // empty: every brief
    std::vector<std::string> kinds;              // empty: every kind
    std::optional<std::int64_t> min_score;       // unset: the brief's own threshold (alerting hits)
    bool is_default = false;                     // used only for hits no other route takes
    std::optional<std::chrono::seconds> digest;  // collect hits, send one message per period
    std::optional<QuietHours> quiet_hours;
    bool health = true;  // also takes feed health alerts (failing or silent feeds)
};

struct AlertsConfig {
    std::vector<Channel> channels;
    std::vector<Route> routes;
    std::chrono::seconds max_age{std::chrono::hours(24)};  // retry this long, then the alert is dead
    std::chrono::seconds retry_base{30};                   // first retry delay, doubled per attempt
    std::chrono::seconds retry_max{std::chrono::hours(1)};
    int cluster_distance = 12;                                    // SimHash bits that may differ
    std::chrono::seconds cluster_window{std::chrono::hours(72)};  // how far back copies are looked for
    // The web view's address as readers reach it ("https://signalmon.example.org"): alerts link
    // to the brief's ledger page under it. Empty: no link.
    std::string public_url;
    // feeds.yaml's top-level `timezone`, copied here so routing (quiet hours) and rendering (times
    // shown) stay functions of this section alone.
    TimeZone time_zone;

    bool enabled() const { return !channels.empty() && !routes.empty(); }
    const Channel* channel(std::string_view id) const;
};

template <class Error>
class YamlReader;
class ConfigError;

// Reads `alerts:`; relative secret_file paths resolve against base_dir. Throws ConfigError.
// PREFIX_env or PREFIX_file in map (an inline PREFIX is refused); nullopt when neither is given.
std::optional<SecretRef> read_secret(const YamlReader<ConfigError>& reader, const YAML::Node& map,
                                     std::string_view prefix, const std::filesystem::path& base_dir);

AlertsConfig read_alerts_config(const YamlReader<ConfigError>& reader, const YAML::Node& node,
                                const std::filesystem::path& base_dir);

}  // namespace signalmon::config
