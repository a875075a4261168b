// The small piece of HTTP/1.1 the daemon's read-only endpoints speak: one GET per connection, a
// parsed request line and headers, and a response with its status, type and extra headers.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "feed/item.hpp"

namespace signalmon::web {

struct HttpRequest {
    std::string method;
    std::string path;                                         // percent-decoded, without the query
    std::string query;                                        // raw, after '?'
    std::map<std::string, std::string, std::less<>> headers;  // names lower-cased

    std::optional<std::string> parameter(std::string_view name) const;  // from the query, form-decoded
    std::string header(std::string_view name) const;                    // empty when absent
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers = {};
};

// The request head (up to and including the blank line); nullopt if the request line is malformed.
std::optional<HttpRequest> parse_request(std::string_view head);

// Status line, Content-Type, Content-Length (not for 304), Connection: close, the extra headers,
// then the body (left out for HEAD requests, whose Content-Length still counts it, and for 304).
std::string serialize(const HttpResponse& response, bool with_body = true);

HttpResponse plain_response(int status, std::string_view text);

// "%41" → "A"; with plus_is_space, '+' → ' ' (form encoding). Bad escapes stay as they are.
std::string percent_decode(std::string_view text, bool plus_is_space);
std::string percent_encode(std::string_view text);  // everything but unreserved characters

// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), as Last-Modified wants.
std::string http_date(feed::UnixTime time);

}  // namespace signalmon::web
