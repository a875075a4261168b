// Tests for src/fetch/fetcher.cpp against the real fixture HTTP server on 127.0.0.1.
#include "fetch/fetcher.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <map>
#include <sstream>

#include "fixture_server.hpp"

namespace {

using signalmon::fetch::FetchOptions;
using signalmon::fetch::FetchOutcome;
using signalmon::fetch::FetchRequest;
using signalmon::testing::FixtureServer;

constexpr const char* k_user_agent = "signalmon-test/1.0 (+mailto:tests@example.invalid)";
constexpr const char* k_feed_etag = "\"feed-v1\"";
constexpr const char* k_feed_last_modified = "Wed, 21 Oct 2015 07:28:00 GMT";

FetchOptions test_options() {
    FetchOptions options;
    options.user_agent = k_user_agent;
    options.total_timeout = std::chrono::seconds{20};
    return options;
}

FetchOutcome fetch_one(const FetchRequest& request, const FetchOptions& options = test_options()) {
    std::optional<FetchOutcome> outcome;
    signalmon::fetch::fetch_all({request}, options, [&](const FetchRequest&, FetchOutcome done) {
        REQUIRE_FALSE(outcome.has_value());
        outcome = std::move(done);
    });
    REQUIRE(outcome.has_value());
    return std::move(*outcome);
}

FetchOutcome fetch_url(const std::string& url, const FetchOptions& options = test_options()) {
    return fetch_one(FetchRequest{"feed", url, "", ""}, options);
}

// The headers the server received with each request for path, oldest first.
std::vector<nlohmann::json> requests_seen(const FixtureServer& server, std::string_view path) {
    // Named, not a temporary in the range-for: g++ 12 would destroy it before the loop runs.
    const nlohmann::json log = nlohmann::json::parse(server.get("/_log"));
    std::vector<nlohmann::json> seen;
    for (const auto& request : log["requests"]) {
        if (request["path"].get<std::string>() == path) seen.push_back(request["headers"]);
    }
    return seen;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

}  // namespace

TEST_CASE("a 200 answer carries the body, the validators, the content type and the URL") {
    FixtureServer server;
    const FetchOutcome outcome = fetch_url(server.url("/feed.xml"));
    REQUIRE(outcome.has_value());
    CHECK(outcome->status == 200);
    CHECK_FALSE(outcome->not_modified());
    CHECK(outcome->body.starts_with("<?xml"));
    CHECK(outcome->body.find("<title>Fixture</title>") != std::string::npos);
    CHECK(outcome->etag == k_feed_etag);
    CHECK(outcome->last_modified == k_feed_last_modified);
    CHECK(outcome->content_type == "application/rss+xml; charset=utf-8");
    CHECK(outcome->effective_url == server.url("/feed.xml"));
    CHECK(outcome->permanent_redirect_url.empty());

    const auto seen = requests_seen(server, "/feed.xml");
    REQUIRE(seen.size() == 1);
    CHECK(seen[0]["user-agent"] == k_user_agent);
    const std::string accept_encoding = seen[0]["accept-encoding"];
    for (const char* encoding : {"gzip", "deflate", "br"}) {
        CHECK_MESSAGE(accept_encoding.find(encoding) != std::string::npos, encoding);
    }
    CHECK_FALSE(seen[0].contains("if-none-match"));
    CHECK_FALSE(seen[0].contains("if-modified-since"));
}

TEST_CASE("response header names are matched without regard to case") {
    FixtureServer server;
    const FetchOutcome outcome = fetch_url(server.url("/lower-case-headers"));
    REQUIRE(outcome.has_value());
    CHECK(outcome->etag == "W/\"lower\"");
    CHECK(outcome->last_modified == k_feed_last_modified);
    CHECK(outcome->content_type == "text/xml");
}

TEST_CASE("a conditional GET sends the stored validators and a 304 costs no body") {
    FixtureServer server;
    const std::string url = server.url("/feed.xml");

    SUBCASE("ETag as If-None-Match") {
        const FetchOutcome outcome = fetch_one(FetchRequest{"feed", url, k_feed_etag, ""});
        REQUIRE(outcome.has_value());
        CHECK(outcome->status == 304);
        CHECK(outcome->not_modified());
        CHECK(outcome->body.empty());
        CHECK(outcome->etag == k_feed_etag);
        const auto seen = requests_seen(server, "/feed.xml");
        REQUIRE(seen.size() == 1);
        CHECK(seen[0]["if-none-match"] == k_feed_etag);
        CHECK(seen[0]["user-agent"] == k_user_agent);
    }
    SUBCASE("Last-Modified as If-Modified-Since, verbatim") {
        const FetchOutcome outcome = fetch_one(FetchRequest{"feed", url, "", k_feed_last_modified});
        REQUIRE(outcome.has_value());
        CHECK(outcome->status == 304);
        CHECK(outcome->body.empty());
        // The 304 did not repeat Last-Modified; the one sent is still the one to store.
        CHECK(outcome->last_modified == k_feed_last_modified);
        const auto seen = requests_seen(server, "/feed.xml");
        REQUIRE(seen.size() == 1);
        CHECK(seen[0]["if-modified-since"] == k_feed_last_modified);
        CHECK(seen[0]["user-agent"] == k_user_agent);
    }
    SUBCASE("a stale ETag gets the full body") {
        const FetchOutcome outcome = fetch_one(FetchRequest{"feed", url, "\"feed-v0\"", ""});
        REQUIRE(outcome.has_value());
        CHECK(outcome->status == 200);
        CHECK(outcome->etag == k_feed_etag);
        CHECK_FALSE(outcome->body.empty());
    }
    SUBCASE("line breaks in a stored validator are not sent") {
        const FetchRequest request{"feed", url, "\"feed-v0\"\r\nX-Injected: yes", ""};
        const FetchOutcome outcome = fetch_one(request);
        REQUIRE(outcome.has_value());
        const auto seen = requests_seen(server, "/feed.xml");
        REQUIRE(seen.size() == 1);
        CHECK_FALSE(seen[0].contains("x-injected"));
    }
}

TEST_CASE("extra request headers are sent, one line each") {
    FixtureServer server;
    FetchRequest request{"feed", server.url("/feed.xml"), "", ""};
    request.headers = {{"Accept", "application/json"}, {"X-Api-Key", "secret\r\nX-Injected: 1"}};
    REQUIRE(fetch_one(request).has_value());
    const auto seen = requests_seen(server, "/feed.xml");
    REQUIRE(seen.size() == 1);
    CHECK(seen[0]["accept"] == "application/json");
    CHECK(seen[0]["x-api-key"] == "secretX-Injected: 1");
    CHECK_FALSE(seen[0].contains("x-injected"));
}

TEST_CASE("compressed bodies are decoded") {
    FixtureServer server;
    std::string expected;
    for (int i = 0; i < 200; ++i) expected += "compressed fixture text ";
    for (const char* path : {"/gzip", "/deflate"}) {
        CAPTURE(path);
        const FetchOutcome outcome = fetch_url(server.url(path));
        REQUIRE(outcome.has_value());
        CHECK(outcome->body == expected);
    }
}

TEST_CASE("redirects are followed and a permanent move is reported") {
    FixtureServer server;
    struct Case {
        const char* path;
        std::string permanent_redirect_url;
    };
    const Case cases[] = {
        {"/old-feed", server.url("/feed.xml")},                        // 301, relative Location
        {"/moved-feed", server.url("/feed.xml")},                      // 308, absolute Location
        {"/temporary-feed", ""},                                       // 302 then 301: not moved
        {"/permanent-then-temporary", server.url("/temporary-feed")},  // 301 then 302 then 301
    };
    for (const Case& c : cases) {
        CAPTURE(c.path);
        const FetchOutcome outcome = fetch_url(server.url(c.path));
        REQUIRE(outcome.has_value());
        CHECK(outcome->status == 200);
        CHECK(outcome->effective_url == server.url("/feed.xml"));
        CHECK(outcome->permanent_redirect_url == c.permanent_redirect_url);
        CHECK(outcome->etag == k_feed_etag);  // the final answer's headers, not the redirect's
    }
}

TEST_CASE("redirects are bounded and never lead into the file system") {
    FixtureServer server;
    FetchOptions options = test_options();
    options.max_redirects = 3;
    const FetchOutcome loop = fetch_url(server.url("/loop"), options);
    REQUIRE_FALSE(loop.has_value());
    CHECK(loop.error().message.find("redirects") != std::string::npos);
    CHECK(requests_seen(server, "/loop").size() == 4);

    const FetchOutcome to_file = fetch_url(server.url("/to-file"), options);
    REQUIRE_FALSE(to_file.has_value());
    CHECK(to_file.error().message.find("Unsupported protocol") != std::string::npos);
}

TEST_CASE("an HTTP error status is an error naming the status") {
    FixtureServer server;
    const FetchOutcome not_found = fetch_url(server.url("/status/404"));
    REQUIRE_FALSE(not_found.has_value());
    CHECK(not_found.error().message == "HTTP 404 Not Found");
    CHECK(not_found.error().status == 404);
    CHECK(not_found.error().retry_after.empty());

    const FetchOutcome server_error = fetch_url(server.url("/status/500"));
    REQUIRE_FALSE(server_error.has_value());
    CHECK(server_error.error().message == "HTTP 500 Internal Server Error");
    CHECK(server_error.error().status == 500);
}

TEST_CASE("429 carries the Retry-After the server asked for") {
    FixtureServer server;
    const FetchOutcome outcome = fetch_url(server.url("/status/429"));
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().message == "HTTP 429 Too Many Requests");
    CHECK(outcome.error().status == 429);
    CHECK(outcome.error().retry_after == "120");
}

TEST_CASE("a server that trickles bytes is cut off") {
    FixtureServer server;
    FetchOptions options = test_options();
    const auto start = std::chrono::steady_clock::now();

    SUBCASE("by the low-speed limit") {
        options.low_speed_bytes_per_second = 10;
        options.low_speed_time = std::chrono::seconds{2};
        const FetchOutcome outcome = fetch_url(server.url("/trickle"), options);
        REQUIRE_FALSE(outcome.has_value());
        CHECK(outcome.error().message.starts_with("Timeout was reached after "));
        CHECK(outcome.error().message.find("too slow") != std::string::npos);
    }
    SUBCASE("by the total timeout") {
        options.low_speed_bytes_per_second = 0;
        options.total_timeout = std::chrono::seconds{2};
        const FetchOutcome outcome = fetch_url(server.url("/trickle"), options);
        REQUIRE_FALSE(outcome.has_value());
        CHECK(outcome.error().message.starts_with("Timeout was reached after 2."));
    }
    const double elapsed = seconds_since(start);
    CHECK(elapsed > 1.5);
    CHECK(elapsed < 6.0);
}

TEST_CASE("a body over the cap is an error, counted after decoding") {
    FixtureServer server;

    SUBCASE("streamed without Content-Length") {
        const FetchOutcome outcome = fetch_url(server.url("/huge"));
        REQUIRE_FALSE(outcome.has_value());
        CHECK(outcome.error().message == "body larger than 16 MiB");
    }
    SUBCASE("announced by Content-Length, refused before the body arrives") {
        const auto start = std::chrono::steady_clock::now();
        const FetchOutcome outcome = fetch_url(server.url("/huge-content-length"));
        REQUIRE_FALSE(outcome.has_value());
        CHECK(outcome.error().message == "body larger than 16 MiB");
        CHECK(seconds_since(start) < 5.0);  // the server stalls 10 s after its first kilobyte
    }
    SUBCASE("a gzip bomb stops at the cap instead of filling memory") {
        // The bomb inflates to 128 MiB; keeping it would raise the peak far above this margin.
        const long peak_before = peak_rss_kib();
        const FetchOutcome outcome = fetch_url(server.url("/gzip-bomb"));
        REQUIRE_FALSE(outcome.has_value());
        CHECK(outcome.error().message == "body larger than 16 MiB");
        CHECK(peak_rss_kib() - peak_before < 64 * 1024);
    }
    SUBCASE("a small cap applies to the decoded size, not the bytes on the wire") {
        FetchOptions options = test_options();
        options.max_body_bytes = 1000;
        const FetchOutcome outcome = fetch_url(server.url("/gzip"), options);
        REQUIRE_FALSE(outcome.has_value());
        CHECK(outcome.error().message == "body larger than 1000 bytes");
        CHECK(fetch_url(server.url("/feed.xml"), options).has_value());
    }
}

TEST_CASE("several transfers run at once and one failure leaves the others alone") {
    FixtureServer server;
    std::vector<FetchRequest> requests;
    for (const char* id : {"a", "b", "c", "d"}) requests.push_back({id, server.url("/slow"), "", ""});
    requests.push_back({"broken", server.url("/status/404"), "", ""});

    std::map<std::string, FetchOutcome> outcomes;
    const auto record = [&](const FetchRequest& done, FetchOutcome outcome) {
        CHECK(outcomes.emplace(done.feed_id, std::move(outcome)).second);
    };
    FetchOptions options = test_options();
    options.per_host_connections = 8;  // all five go to one host
    signalmon::fetch::fetch_all(requests, options, record);

    REQUIRE(outcomes.size() == requests.size());
    for (const char* id : {"a", "b", "c", "d"}) {
        CAPTURE(id);
        REQUIRE(outcomes.at(id).has_value());
        CHECK(outcomes.at(id)->body == "slow but fine\n");
    }
    REQUIRE_FALSE(outcomes.at("broken").has_value());
    CHECK(outcomes.at("broken").error().status == 404);
    CHECK(nlohmann::json::parse(server.get("/_log"))["max_in_flight"] >= 4);
}

TEST_CASE("max_parallel bounds the transfers in flight") {
    FixtureServer server;
    FetchOptions options = test_options();
    options.max_parallel = 2;
    const std::vector<FetchRequest> requests(5, FetchRequest{"slow", server.url("/slow"), "", ""});
    int succeeded = 0;
    signalmon::fetch::fetch_all(requests, options, [&](const FetchRequest&, FetchOutcome outcome) {
        succeeded += outcome.has_value() ? 1 : 0;
    });
    CHECK(succeeded == 5);
    CHECK(nlohmann::json::parse(server.get("/_log"))["max_in_flight"] == 2);
}

TEST_CASE("file:// URLs read local files") {
    const std::string path = SIGNALMON_TEST_DATA "/fetch/sample_feed.xml";
    std::ifstream file(path, std::ios::binary);
    REQUIRE(file);
    std::ostringstream contents;
    contents << file.rdbuf();

    const FetchOutcome outcome = fetch_url("file://" + path);
    REQUIRE(outcome.has_value());
    CHECK(outcome->status == 200);
    CHECK(outcome->body == contents.str());

    const std::string missing = SIGNALMON_TEST_DATA "/fetch/no_such_feed.xml";
    const FetchOutcome error = fetch_url("file://" + missing);
    REQUIRE_FALSE(error.has_value());
    CHECK(error.error().message.find(missing) != std::string::npos);
}

TEST_CASE("a web-only request (a linked page) never reads a file or another scheme, even with allow_private") {
    const std::string path = SIGNALMON_TEST_DATA "/fetch/sample_feed.xml";
    for (const std::string& url :
         std::vector<std::string>{"file://" + path, "FILE://" + path, "ftp://127.0.0.1/x", "gopher://127.0.0.1/"}) {
        FetchRequest request{"page", url, "", ""};
        request.allow_private = true;
        request.web_only = true;
        const FetchOutcome outcome = fetch_one(request);
        REQUIRE_FALSE(outcome.has_value());
        CHECK(outcome.error().message.find("nsupported protocol") != std::string::npos);
    }
}

TEST_CASE("a refused connection is an error from curl") {
    // A port that was just free on 127.0.0.1 has no listener.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);

    const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/";
    const FetchOutcome outcome = fetch_url(url);
    REQUIRE_FALSE(outcome.has_value());
    CHECK(outcome.error().message.starts_with("Couldn't connect to server"));
    CHECK(outcome.error().status == 0);
}
