// Fetches many URLs at once with libcurl's multi interface: timeouts, size caps, conditional GET.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace signalmon::fetch {

struct FetchRequest {
    std::string feed_id;             // carried through to the result; never sent
    std::string url;                 // http://, https:// or file:// (absolute)
    std::string etag;                // sent as If-None-Match when not empty
    std::string last_modified;       // sent as If-Modified-Since when not empty
    std::string user_agent;          // overrides FetchOptions::user_agent when not empty (source profiles)
    std::size_t max_body_bytes = 0;  // overrides FetchOptions::max_body_bytes when not 0
    // A longer body is cut at the cap and the result is a success (a web page's first megabytes
    // are worth matching); otherwise a longer body is an error.
    bool truncate_at_cap = false;
    // false refuses to connect to private, loopback, link-local and other non-public addresses,
    // checked on every connection (redirects too), so a feed's links cannot reach the local network.
    bool allow_private = true;
    // true refuses every scheme but http:// and https:// (file://, ftp://, ...): a page a feed links
    // to is the feed's text, and must never read local files, whatever allow_private says.
    bool web_only = false;
    // Extra request headers, name and value: an API key, an Accept. CR and LF are dropped from both.
    std::vector<std::pair<std::string, std::string>> headers;
};

struct FetchResult {
    long status = 0;   // HTTP status; 200 for a file:// read; 304 means not modified
    std::string body;  // decoded (gzip/deflate/br undone); empty on 304
    std::string content_type;
    std::string etag;  // from the response, to store for the next poll
    std::string last_modified;
    std::string cache_control;  // freshness hints for the schedule (fetch/schedule.hpp)
    std::string expires;
    std::string date;
    std::string effective_url;  // after redirects
    // Where the URL has moved for good: the target of the 301/308 hops that start the redirect
    // chain (a temporary hop first means the original URL stays). Empty when it has not moved.
    std::string permanent_redirect_url;
    bool truncated = false;  // the body was cut at the cap (FetchRequest::truncate_at_cap)
    bool not_modified() const { return status == 304; }
};

struct FetchError {
    // Not an aggregate, so that FetchError{"message"} stays warning-free as members are added.
    FetchError(std::string text, long http_status = 0, std::string http_retry_after = {})
        : message(std::move(text)), status(http_status), retry_after(std::move(http_retry_after)) {}

    // Human readable: "HTTP 404 Not Found", "Timeout was reached after 30.0 s: ...", "body larger than 16 MiB".
    std::string message;
    long status = 0;          // HTTP status when the server answered with an error, else 0
    std::string retry_after;  // the Retry-After header of that answer (429, 503), verbatim
    // The server asks us to slow down: 429, 503 with Retry-After, or 403 from a host whose budget
    // says so (SEC EDGAR answers an over-eager client with 403).
    bool rate_limited = false;
};

// The politeness budget of a group of hosts (a source profile): requests from every host it names
// (and their subdomains) share max_connections and requests_per_second.
struct HostBudget {
    std::string name;
    std::vector<std::string> hosts;
    int max_connections = 2;
    double requests_per_second = 0;  // 0: not paced
    bool forbidden_means_rate_limited = false;
};

struct FetchOptions {
    std::string user_agent = "signalmon/" SIGNALMON_VERSION;
    std::chrono::seconds connect_timeout{10};
    std::chrono::seconds total_timeout{60};
    // A transfer slower than low_speed_bytes_per_second for low_speed_time is cut off, so a server
    // that trickles bytes cannot hold a slot for the whole total_timeout. 0 bytes disables it.
    long low_speed_bytes_per_second = 64;
    std::chrono::seconds low_speed_time{30};
    std::size_t max_body_bytes = 16u << 20;  // decoded size: a gzip bomb is an error, not an OOM
    long max_redirects = 5;
    int max_parallel = 16;  // transfers in flight at once
    // Every host not covered by a budget below gets its own budget with these limits.
    int per_host_connections = 2;
    double per_host_requests_per_second = 0;
    std::vector<HostBudget> budgets;
};

// True when host is name or a subdomain of it ("www.sec.gov" under "sec.gov").
bool host_matches(std::string_view host, std::string_view name);

// The budget covering host (exact name or a subdomain of one of its hosts), or nullptr.
const HostBudget* find_budget(const std::vector<HostBudget>& budgets, std::string_view host);

// The host of an http(s) URL, lower-cased, without port or brackets; empty when it has none.
std::string url_host(std::string_view url);

// The politeness lane a request to url waits in: "budget:NAME" for a host a budget covers, else
// "host:HOST" ("host:" for file:// and other host-less URLs). Daemons sharing a store lease these.
std::string lane_key(std::string_view url, const std::vector<HostBudget>& budgets);

// True for a numeric IPv4/IPv6 address that is publicly routable: not loopback, private (RFC 1918,
// fc00::/7), link-local, CGNAT, unspecified, multicast or reserved; IPv4-mapped IPv6 is judged as IPv4.
bool is_public_address(std::string_view ip);

using FetchOutcome = std::expected<FetchResult, FetchError>;

// Runs every request, several in flight at once, and calls on_done once per request (in completion
// order, on the calling thread) as each finishes. One failing request never affects the others.
// Requests start in the given order as their host's budget allows: at most max_connections in flight
// per budget and, when paced, starts at least 1/requests_per_second apart.
using OnFetched = std::function<void(const FetchRequest&, FetchOutcome)>;
void fetch_all(const std::vector<FetchRequest>& requests, const FetchOptions& options, const OnFetched& on_done);

// The network as the poll cycle sees it, so a test can answer its requests without one.
class Fetcher {
public:
    Fetcher() = default;
    Fetcher(const Fetcher&) = delete;
    Fetcher& operator=(const Fetcher&) = delete;
    Fetcher(Fetcher&&) = delete;
    Fetcher& operator=(Fetcher&&) = delete;
    virtual ~Fetcher() = default;
    // As fetch_all: on_done once per request, on the calling thread.
    virtual void fetch(const std::vector<FetchRequest>& requests, const FetchOptions& options,
                       const OnFetched& on_done) = 0;
};

// Fetches with libcurl (fetch_all).
class CurlFetcher final : public Fetcher {
public:
    void fetch(const std::vector<FetchRequest>& requests, const FetchOptions& options,
               const OnFetched& on_done) override {
        fetch_all(requests, options, on_done);
    }
};

}  // namespace signalmon::fetch
