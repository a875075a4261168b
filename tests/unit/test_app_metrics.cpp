// Prometheus exposition of the daemon's counters, and the HTTP endpoint serving it on 127.0.0.1.
#include <doctest/doctest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "app/metrics.hpp"

using namespace signalmon;

namespace {

app::CycleStats sample_cycle() {
    app::CycleStats stats;
    stats.feeds_polled = 3;
    stats.feeds_not_modified = 1;
    stats.feeds_failed = 1;
    stats.items_parsed = 20;
    stats.items_new = 7;
    stats.bytes_fetched = 12345;
    stats.scan_bytes = 999;
    stats.scan_seconds = 0.25;
    stats.errors_by_reason["timeout"] = 1;
    stats.hits_by_brief_kind[{"rdm-065", "confirm"}] = 2;
    stats.hits_by_brief_kind[{"odd\"brief\\", "kill"}] = 1;
    return stats;
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    socklen_t length = sizeof address;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    ::close(fd);
    return ntohs(address.sin_port);
}

}  // namespace

TEST_CASE("metrics accumulate over cycles and render as Prometheus text") {
    app::Metrics metrics;
    metrics.record_cycle(sample_cycle());
    metrics.record_cycle(sample_cycle());
    metrics.record_reload(true, 1);
    metrics.record_reload(false, 1);
    metrics.set_feeds(5, 2);
    const std::string text = metrics.render();
    CHECK(has_line(text, "# TYPE signalmon_polls_total counter"));
    CHECK(has_line(text, "signalmon_polls_total 6"));
    CHECK(has_line(text, "signalmon_polls_not_modified_total 2"));
    CHECK(has_line(text, "signalmon_fetch_errors_total{reason=\"timeout\"} 2"));
    CHECK(has_line(text, "signalmon_fetched_bytes_total 24690"));
    CHECK(has_line(text, "signalmon_items_parsed_total 40"));
    CHECK(has_line(text, "signalmon_items_new_total 14"));
    CHECK(has_line(text, "signalmon_scan_bytes_total 1998"));
    CHECK(has_line(text, "signalmon_scan_seconds_total 0.500000"));
    CHECK(has_line(text, "signalmon_hits_total{brief=\"rdm-065\",kind=\"confirm\"} 4"));
    CHECK(has_line(text, "signalmon_hits_total{brief=\"odd\\\"brief\\\\\",kind=\"kill\"} 2"));
    CHECK(has_line(text, "signalmon_reloads_total 2"));
    CHECK(has_line(text, "signalmon_reload_failures_total 1"));
    CHECK(has_line(text, "signalmon_feeds{state=\"failing\"} 2"));
    CHECK(text.find("signalmon_alerts") == std::string::npos);  // no outbox: no alert gauges

    metrics.set_alerts({{"pending", 3}, {"sent", 10}});
    CHECK(has_line(metrics.render(), "signalmon_alerts{state=\"pending\"} 3"));
}

TEST_CASE("failure reasons are few and stable") {
    CHECK(app::failure_reason("HTTP 404") == "http_4xx");
    CHECK(app::failure_reason("HTTP 503") == "http_5xx");
    CHECK(app::failure_reason("timeout after 30 s") == "timeout");
    CHECK(app::failure_reason("body larger than 16 MiB") == "too_large");
    CHECK(app::failure_reason("could not resolve host example.invalid") == "dns");
    CHECK(app::failure_reason("something new") == "other");
}

TEST_CASE("the metrics server answers /metrics and /healthz on 127.0.0.1") {
    app::Metrics metrics;
    metrics.record_cycle(sample_cycle());
    const int port = free_port();
    {
        const app::MetricsServer server("127.0.0.1:" + std::to_string(port), metrics, std::chrono::seconds(60));
        httplib::Client client("127.0.0.1", port);
        const auto scraped = client.Get("/metrics");
        REQUIRE(scraped);
        CHECK(scraped->status == 200);
        CHECK(scraped->get_header_value("Content-Type").starts_with("text/plain; version=0.0.4"));
        CHECK(has_line(scraped->body, "signalmon_polls_total 3"));
        const auto health = client.Get("/healthz");
        REQUIRE(health);
        CHECK(health->status == 200);
        CHECK(health->body == "ok\n");
        CHECK(client.Get("/nothing-here")->status == 404);
    }
    {
        // A heartbeat older than the stall limit makes /healthz fail.
        const app::MetricsServer server("127.0.0.1:" + std::to_string(port), metrics, std::chrono::seconds(0));
        httplib::Client client("127.0.0.1", port);
        const auto health = client.Get("/healthz");
        REQUIRE(health);
        CHECK(health->status == 503);
    }
    const app::MetricsServer holder("127.0.0.1:" + std::to_string(port), metrics, std::chrono::seconds(60));
    CHECK_THROWS_WITH_AS(app::MetricsServer("127.0.0.1:" + std::to_string(port), metrics, std::chrono::seconds(60)),
                         doctest::Contains("cannot listen on 127.0.0.1:"), std::runtime_error);
}

TEST_CASE("metrics server: slow and idle clients neither delay a scrape nor stay connected") {
    app::Metrics metrics;
    const int port = free_port();
    const app::MetricsServer server("127.0.0.1:" + std::to_string(port), metrics, std::chrono::seconds(60));
    std::vector<int> slow;
    for (int i = 0; i < 8; ++i) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
        const std::string_view unfinished = "GET /metrics HTTP/1.1\r\nHost: x\r\n";  // a slowloris never ends it
        REQUIRE(::send(fd, unfinished.data(), unfinished.size(), 0) == static_cast<ssize_t>(unfinished.size()));
        slow.push_back(fd);
    }
    const auto started = std::chrono::steady_clock::now();
    httplib::Client client("127.0.0.1", port);
    const auto scraped = client.Get("/metrics");
    REQUIRE(scraped);
    CHECK(scraped->status == 200);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));
    // Each slow client is closed once its 2 s to send a request are up.
    pollfd readable{.fd = slow[0], .events = POLLIN, .revents = 0};
    REQUIRE(::poll(&readable, 1, 4000) == 1);
    char byte = 0;
    CHECK(::recv(slow[0], &byte, 1, 0) == 0);
    for (const int fd : slow) ::close(fd);
}
