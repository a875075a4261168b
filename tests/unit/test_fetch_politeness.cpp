// Tests for the politeness parts of src/fetch/fetcher.cpp: per-host budgets and pacing, source
// profiles, rate-limit signals, freshness headers and the address guard, against the fixture server.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "fetch/fetcher.hpp"
#include "fixture_server.hpp"

namespace {

using signalmon::fetch::FetchOptions;
using signalmon::fetch::FetchOutcome;
using signalmon::fetch::FetchRequest;
using signalmon::fetch::HostBudget;
using signalmon::testing::FixtureServer;

FetchOptions polite_options() {
    FetchOptions options;
    options.user_agent = "signalmon-test/1.0 (tests@example.invalid)";
    options.total_timeout = std::chrono::seconds{20};
    return options;
}

FetchRequest request_for(std::string id, std::string url) {
    FetchRequest request;
    request.feed_id = std::move(id);
    request.url = std::move(url);
    return request;
}

std::map<std::string, FetchOutcome> fetch_each(const std::vector<FetchRequest>& requests, const FetchOptions& options) {
    std::map<std::string, FetchOutcome> outcomes;
    signalmon::fetch::fetch_all(requests, options, [&](const FetchRequest& done, FetchOutcome outcome) {
        outcomes.emplace(done.feed_id, std::move(outcome));
    });
    REQUIRE(outcomes.size() == requests.size());
    return outcomes;
}

// The server's log: every request but /_log, oldest first.
nlohmann::json server_log(const FixtureServer& server) { return nlohmann::json::parse(server.get("/_log")); }

// Seconds between consecutive request arrivals.
std::vector<double> arrival_gaps(const nlohmann::json& log) {
    std::vector<double> times;
    for (const auto& request : log["requests"]) times.push_back(request["time"].get<double>());
    std::ranges::sort(times);
    std::vector<double> gaps;
    for (std::size_t i = 1; i < times.size(); ++i) gaps.push_back(times[i] - times[i - 1]);
    return gaps;
}

std::vector<FetchRequest> many(const FixtureServer& server, std::string_view path, int count) {
    std::vector<FetchRequest> requests;
    for (int i = 0; i < count; ++i) requests.push_back(request_for("r" + std::to_string(i), server.url(path)));
    return requests;
}

}  // namespace

TEST_CASE("a host gets at most per_host_connections at once, whatever max_parallel allows") {
    FixtureServer server;
    FetchOptions options = polite_options();
    options.max_parallel = 16;
    options.per_host_connections = 2;
    const auto outcomes = fetch_each(many(server, "/slow", 6), options);
    CHECK(std::ranges::all_of(outcomes, [](const auto& entry) { return entry.second.has_value(); }));
    CHECK(server_log(server)["max_in_flight"] == 2);
}

TEST_CASE("requests to one host are paced by per_host_requests_per_second") {
    FixtureServer server;
    FetchOptions options = polite_options();
    options.per_host_connections = 8;
    options.per_host_requests_per_second = 5;  // one start every 200 ms
    fetch_each(many(server, "/feed.xml", 6), options);
    const auto gaps = arrival_gaps(server_log(server));
    REQUIRE(gaps.size() == 5);
    for (const double gap : gaps) CHECK(gap >= 0.18);  // arrival jitter of a few ms at most
}

TEST_CASE("file:// reads are not paced: no server to be polite to") {
    FetchOptions options = polite_options();
    options.per_host_requests_per_second = 1;
    std::vector<FetchRequest> requests;
    for (int i = 0; i < 5; ++i) {
        requests.push_back(
            request_for("f" + std::to_string(i), "file://" SIGNALMON_TEST_DATA "/fetch/sample_feed.xml"));
    }
    const auto started = std::chrono::steady_clock::now();
    const auto outcomes = fetch_each(requests, options);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));  // paced, five would take 4 s
    CHECK(std::ranges::all_of(outcomes, [](const auto& entry) { return entry.second.has_value(); }));
}

TEST_CASE("a source budget covers its hosts' subdomains and is shared by them") {
    const std::vector<HostBudget> budgets{{.name = "sec-edgar",
                                           .hosts = {"sec.gov"},
                                           .max_connections = 2,
                                           .requests_per_second = 10,
                                           .forbidden_means_rate_limited = true}};
    CHECK(signalmon::fetch::find_budget(budgets, "www.sec.gov") == &budgets[0]);
    CHECK(signalmon::fetch::find_budget(budgets, "sec.gov") == &budgets[0]);
    CHECK(signalmon::fetch::find_budget(budgets, "notsec.gov") == nullptr);
    CHECK(signalmon::fetch::find_budget(budgets, "sec.gov.example.com") == nullptr);
    CHECK(signalmon::fetch::url_host("https://WWW.SEC.GOV./cgi-bin/browse-edgar?x=1") == "www.sec.gov");
    CHECK(signalmon::fetch::url_host("http://user:pw@[::1]:8080/feed") == "::1");
    CHECK(signalmon::fetch::url_host("http://127.0.0.1:5000") == "127.0.0.1");
    CHECK(signalmon::fetch::url_host("file:///etc/hostname").empty());

    FixtureServer server;
    FetchOptions options = polite_options();
    options.per_host_connections = 8;  // the budget, not the host default, must govern 127.0.0.1
    options.budgets = {{.name = "edgar-like",
                        .hosts = {"127.0.0.1"},
                        .max_connections = 4,
                        .requests_per_second = 10,
                        .forbidden_means_rate_limited = true}};
    auto requests = many(server, "/feed.xml", 5);
    requests.push_back(request_for("forbidden", server.url("/status/403")));
    const auto outcomes = fetch_each(requests, options);
    for (const double gap : arrival_gaps(server_log(server))) CHECK(gap >= 0.085);
    REQUIRE_FALSE(outcomes.at("forbidden").has_value());
    CHECK(outcomes.at("forbidden").error().status == 403);
    CHECK(outcomes.at("forbidden").error().rate_limited);
}

TEST_CASE("429 and 503 with Retry-After are rate limiting; a plain 403 or 500 is not") {
    FixtureServer server;
    const auto outcomes =
        fetch_each({request_for("429", server.url("/status/429")), request_for("503", server.url("/status/503")),
                    request_for("403", server.url("/status/403")), request_for("500", server.url("/status/500"))},
                   polite_options());
    CHECK(outcomes.at("429").error().rate_limited);
    CHECK(outcomes.at("429").error().retry_after == "120");
    CHECK(outcomes.at("503").error().rate_limited);
    CHECK_FALSE(outcomes.at("403").error().rate_limited);
    CHECK_FALSE(outcomes.at("500").error().rate_limited);
}

TEST_CASE("a request's own User-Agent and body cap override the options") {
    FixtureServer server;
    FetchRequest edgar = request_for("edgar", server.url("/feed.xml"));
    edgar.user_agent = "Example Corp ops@example.com";
    FetchRequest capped = request_for("capped", server.url("/gzip"));
    capped.max_body_bytes = 100;
    const auto outcomes = fetch_each({edgar, capped}, polite_options());
    CHECK(outcomes.at("edgar").has_value());
    REQUIRE_FALSE(outcomes.at("capped").has_value());
    CHECK(outcomes.at("capped").error().message == "body larger than 100 bytes");
    const auto log = server_log(server);
    for (const auto& request : log["requests"]) {
        if (request["path"] == "/feed.xml") CHECK(request["headers"]["user-agent"] == "Example Corp ops@example.com");
        if (request["path"] == "/gzip")
            CHECK(request["headers"]["user-agent"] == "signalmon-test/1.0 (tests@example.invalid)");
    }
}

TEST_CASE("freshness headers are passed on for the schedule") {
    FixtureServer server;
    FetchRequest request = request_for("cached", server.url("/cached"));
    const auto outcomes = fetch_each({request}, polite_options());
    REQUIRE(outcomes.at("cached").has_value());
    CHECK(outcomes.at("cached")->cache_control == "public, max-age=7200");
    CHECK(outcomes.at("cached")->expires == "Wed, 21 Oct 2015 09:28:00 GMT");
    CHECK(outcomes.at("cached")->date == "Wed, 21 Oct 2015 07:28:00 GMT");
}

TEST_CASE("allow_private = false refuses loopback, and says how to allow it") {
    FixtureServer server;
    FetchRequest guarded = request_for("guarded", server.url("/feed.xml"));
    guarded.allow_private = false;
    FetchRequest allowed = request_for("allowed", server.url("/feed.xml"));
    FetchOptions options = polite_options();
    options.per_host_connections = 1;  // one after the other: the guarded one could reuse the open connection
    const auto outcomes = fetch_each({allowed, guarded}, options);
    REQUIRE_FALSE(outcomes.at("guarded").has_value());
    CHECK(outcomes.at("guarded").error().message ==
          "refused to connect to non-public address 127.0.0.1 (allow_private: true permits it)");
    CHECK(outcomes.at("allowed").has_value());
    CHECK(server_log(server)["requests"].size() == 1);  // the guarded request never reached the server
}

TEST_CASE("truncate_at_cap keeps the first bytes of a long page instead of failing") {
    FixtureServer server;
    FetchRequest page = request_for("page", server.url("/huge"));
    page.max_body_bytes = 1000;
    page.truncate_at_cap = true;
    FetchRequest announced = request_for("announced", server.url("/huge-content-length"));
    announced.max_body_bytes = 1000;
    announced.truncate_at_cap = true;
    const auto outcomes = fetch_each({page, announced}, polite_options());
    REQUIRE(outcomes.at("page").has_value());
    CHECK(outcomes.at("page")->body == std::string(1000, 'y'));
    CHECK(outcomes.at("page")->truncated);
    REQUIRE(outcomes.at("announced").has_value());
    CHECK(outcomes.at("announced")->body == std::string(1000, 'z'));
}

TEST_CASE("public and non-public addresses") {
    using signalmon::fetch::is_public_address;
    for (const char* ip : {"8.8.8.8", "1.1.1.1", "151.101.1.69", "2606:4700:4700::1111", "2a00:1450:4001::200e",
                           "::ffff:8.8.8.8", "172.32.0.1", "100.128.0.1"}) {
        CAPTURE(ip);
        CHECK(is_public_address(ip));
    }
    for (const char* ip : {"127.0.0.1",
                           "127.255.0.9",
                           "10.1.2.3",
                           "172.16.0.1",
                           "172.31.255.255",
                           "192.168.1.1",
                           "169.254.169.254",
                           "0.0.0.0",
                           "100.64.0.1",
                           "224.0.0.1",
                           "255.255.255.255",
                           "::1",
                           "::",
                           "fe80::1",
                           "fc00::1",
                           "fd12:3456::1",
                           "::ffff:127.0.0.1",
                           "::ffff:169.254.169.254",
                           "ff02::1",
                           "2001:db8::1",
                           "not an address",
                           ""}) {
        CAPTURE(ip);
        CHECK_FALSE(is_public_address(ip));
    }
}
