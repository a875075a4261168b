// Fetches many URLs at once with libcurl's multi interface: timeouts, size caps, conditional GET.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <functional>
#include <string>
#include <vector>

namespace signalmon::fetch {

struct FetchRequest {
    std::string feed_id;  // carried through to the result; never sent
    std::string url;      // http://, https:// or file:// (absolute)
    std::string etag;           // sent as If-None-Match when not empty
    std::string last_modified;  // sent as If-Modified-Since when not empty
};

struct FetchResult {
    long status = 0;            // HTTP status; 200 for a file:// read; 304 means not modified
    std::string body;           // decoded (gzip/deflate/br undone); empty on 304
    std::string content_type;
    std::string etag;           // from the response, to store for the next poll
    std::string last_modified;
    std::string effective_url;  // after redirects
    bool not_modified() const { return status == 304; }
};

struct FetchError {
    std::string message;  // human readable: "HTTP 404", "timeout after 30 s", "body larger than 16 MiB", ...
};

struct FetchOptions {
    std::string user_agent = "signalmon/" SIGNALMON_VERSION;
    std::chrono::seconds connect_timeout{10};
    std::chrono::seconds total_timeout{60};
    std::size_t max_body_bytes = 16u << 20;
    long max_redirects = 5;
    int max_parallel = 16;  // transfers in flight at once
};

using FetchOutcome = std::expected<FetchResult, FetchError>;

// Runs every request, several in flight at once, and calls on_done once per request (in completion
// order, on the calling thread) as each finishes. One failing request never affects the others.
void fetch_all(const std::vector<FetchRequest>& requests, const FetchOptions& options,
               const std::function<void(const FetchRequest&, FetchOutcome)>& on_done);

}  // namespace signalmon::fetch
