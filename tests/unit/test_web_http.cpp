// The HTTP pieces of the daemon's endpoints: request parsing, query parameters, responses, dates.
#include <doctest/doctest.h>

#include "web/atom.hpp"
#include "web/http.hpp"

using namespace signalmon;

TEST_CASE("parse_request: method, decoded path, raw query, lower-cased headers") {
    const auto request = web::parse_request(
        "GET /sm/briefs/a%20b?q=mine+closure&x=%3Cs%3E&q=second HTTP/1.1\r\nHost: 127.0.0.1:1\r\n"
        "If-None-Match:  \"abc\" \r\n\r\n");
    REQUIRE(request);
    CHECK(request->method == "GET");
    CHECK(request->path == "/sm/briefs/a b");
    CHECK(request->parameter("q") == "mine closure");  // the first one
    CHECK(request->parameter("x") == "<s>");
    CHECK_FALSE(request->parameter("y"));
    CHECK(request->header("if-none-match") == "\"abc\"");
    CHECK(request->header("host") == "127.0.0.1:1");
    CHECK_FALSE(web::parse_request("GET\r\n\r\n"));
    CHECK_FALSE(web::parse_request("GET http://elsewhere/ HTTP/1.1\r\n\r\n"));
}

TEST_CASE("serialize: a 304 carries neither a body nor a Content-Length; HEAD keeps the length") {
    web::HttpResponse response{
        .status = 304, .content_type = "text/plain", .body = "x", .headers = {{"ETag", "\"e\""}}};
    CHECK(web::serialize(response) ==
          "HTTP/1.1 304 Not Modified\r\nContent-Type: text/plain\r\nConnection: close\r\n"
          "ETag: \"e\"\r\n\r\n");
    response.status = 200;
    CHECK(
        web::serialize(response, false) ==
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1\r\nConnection: close\r\nETag: \"e\"\r\n\r\n");
}

TEST_CASE("percent coding, HTTP dates and Atom ids") {
    CHECK(web::percent_encode("a b/c~") == "a%20b%2Fc~");
    CHECK(web::percent_decode("%zz%41+", true) == "%zzA ");
    CHECK(web::http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
    const std::string id = web::urn_uuid("signalmon hit\nb\nf\nk");
    CHECK(id == web::urn_uuid("signalmon hit\nb\nf\nk"));
    CHECK(id != web::urn_uuid("signalmon hit\nb\nf\nk2"));
    REQUIRE(id.size() == 45);
    CHECK(id.starts_with("urn:uuid:"));
    CHECK(id[23] == '8');                                                    // version 8
    CHECK(std::string_view("89ab").find(id[28]) != std::string_view::npos);  // RFC 9562 variant
}
