// feeds.yaml: daemon settings and the list of feeds, validated at startup with file:line:col errors.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/alerts_config.hpp"

namespace signalmon::config {

// A startup error in feeds.yaml; what() is "FILE:LINE:COL: message" (1-based).
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Politeness rules for a group of hosts; sec-edgar is built in.
struct SourceProfile {
    std::string name;
    std::vector<std::string> hosts;  // each also covers its subdomains
    int connections = 2;
    double requests_per_second = 0;  // shared by all its hosts; 0: not paced
    std::string user_agent;          // empty: the top-level user_agent
    bool forbidden_means_rate_limited = false;
    bool requires_contact_email = false;  // refuse its feeds unless the User-Agent holds an e-mail
};

inline constexpr std::string_view k_sec_edgar = "sec-edgar";

struct FeedSpec {
    std::string id;
    std::string url;  // absolute: http://, https:// or file:///…
    std::chrono::seconds interval{0};
    std::vector<std::string> tags;
    std::string source;  // the SourceProfile that governs it: as written, else found by host; may be empty
    std::chrono::seconds health_alert_after{0};
    bool fetch_article = false;   // match each new item's linked page (readable text) as its content
    bool fetch_document = false;  // SEC EDGAR: match each new filing's primary document as its content
    bool allow_private = false;   // article/document fetches may reach private and loopback addresses
    // Sent with every poll of the feed, in file order: an API key, an Accept.
    std::vector<std::pair<std::string, std::string>> headers;
};

// The read-only web view and Atom feeds (`web:`); off without the section.
struct WebConfig {
    bool enabled = false;
    std::string listen = "127.0.0.1:9465";  // may equal metrics_listen: one server then serves both
    std::string base_path;                  // "" or "/prefix" (no trailing slash), for a reverse proxy
    std::string public_url;                 // absolute, no trailing slash; empty: from the Host header
};

struct Config {
    std::filesystem::path path;  // the file this came from
    std::filesystem::path state_dir;
    std::filesystem::path rules_dir;
    std::string user_agent;
    std::chrono::seconds interval{std::chrono::minutes(15)};
    std::chrono::seconds connect_timeout{10};
    std::chrono::seconds timeout{60};
    std::size_t max_body_size = 16u << 20;
    int max_parallel = 16;
    // How long items keep their text for `signalctl replay` and `hits --explain`.
    std::chrono::seconds item_retention{std::chrono::days(90)};
    std::size_t low_speed_limit = 64;  // bytes per second, below which for low_speed_time a transfer is cut off
    std::chrono::seconds low_speed_time{30};
    std::chrono::seconds min_interval{std::chrono::minutes(1)};
    std::chrono::seconds max_interval{std::chrono::hours(24)};
    double jitter = 0.1;
    std::chrono::seconds backoff_max{std::chrono::hours(6)};
    int per_host_connections = 2;
    double per_host_rate = 1;  // requests per second per host
    std::chrono::seconds health_alert_after{std::chrono::hours(24)};
    std::size_t document_max_size = 2u << 20;  // article and filing document bodies are cut here
    std::vector<SourceProfile> sources;        // sec-edgar first, then the file's own
    std::vector<FeedSpec> feeds;
    std::string metrics_listen;            // "host:port" for the Prometheus endpoint; empty: off
    std::filesystem::path control_socket;  // empty: $RUNTIME_DIRECTORY/control.sock, else state_dir/control.sock
    std::chrono::seconds retain_items{std::chrono::days(90)};  // unseen in its feed this long; 0 keeps forever
    std::chrono::seconds retain_hits{std::chrono::days(365)};  // 0 keeps forever
    AlertsConfig alerts;                                       // empty when feeds.yaml has no `alerts:`
    WebConfig web;
    TimeZone time_zone;  // `timezone`: times shown by signalctl and in alerts, quiet hours; UTC by default

    // A PostgreSQL URL (store: postgresql://...); empty: the SQLite file in state_dir.
    std::string store_url;
    std::optional<SecretRef> store_password;  // store_password_env / store_password_file
    // Several daemons on one PostgreSQL store: this one's name (empty: host:pid), and how long its
    // politeness lanes and outbox claims outlive it if it dies before renewing them.
    std::string instance_id;
    std::chrono::seconds lease{std::chrono::minutes(2)};

    std::filesystem::path database_path() const { return state_dir / "signalmon.db"; }
    // What store::open_store opens: store_url, else database_path().
    std::string store_location() const { return store_url.empty() ? database_path().string() : store_url; }
    const SourceProfile* source(std::string_view name) const;
    // The User-Agent a feed's requests carry: its source's, else the top-level one.
    const std::string& user_agent_for(const FeedSpec& feed) const;
};

// Reads and validates the file. Relative paths (state_dir, rules_dir, feed paths) resolve against
// the file's folder. Throws ConfigError.
Config load_config(const std::filesystem::path& path);

}  // namespace signalmon::config
