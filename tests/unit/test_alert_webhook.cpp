// Tests for src/alert/webhook.cpp and src/alert/crypto.cpp: payloads per format and the signature.
#include <doctest/doctest.h>

#include "alert/crypto.hpp"
#include "alert/webhook.hpp"

using namespace signalmon;

namespace {

alert::Message sample_message() {
    alert::Alert alert;
    alert.brief_id = "b1";
    alert.brief_title = "Brief one";
    alert.kind = "kill";
    alert.score = 6;
    alert.threshold = 5;
    alert.feed = "wire";
    alert.item_key = "k1";
    alert.title = "Title with \"quotes\" and ünïcode";
    alert.link = "https://example.org/x";
    alert.published = 1'790'000'000;
    alert.found_at = 1'790'000'100;
    alert.signals.push_back(
        {.id = "s1", .kind = "kill", .weight = 6, .says = "says", .terms = {"t"}, .snippet = "snip"});
    return {.idempotency_key = "abc123", .digest = false, .alerts = {alert}};
}

std::string header(const alert::HttpRequest& request, std::string_view name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name) return value;
    }
    return "";
}

}  // namespace

TEST_CASE("HMAC-SHA256 matches RFC 4231 test case 2 and SHA-256 the FIPS vector") {
    CHECK(alert::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(alert::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the generic payload is versioned JSON carrying the idempotency key") {
    const auto payload = alert::generic_payload(sample_message(), 1'790'000'200);
    CHECK(payload["version"] == 1);
    CHECK(payload["type"] == "alert");
    CHECK(payload["idempotency_key"] == "abc123");
    CHECK(payload["sent_at"] == "2026-09-21T14:16:40Z");
    REQUIRE(payload["alerts"].size() == 1);
    const auto& alert = payload["alerts"][0];
    CHECK(alert["brief"]["id"] == "b1");
    CHECK(alert["title"] == "Title with \"quotes\" and ünïcode");
    CHECK(alert["published"] == "2026-09-21T14:13:20Z");
    CHECK(alert["signals"][0]["says"] == "says");
    CHECK(alert::alert_from_json(alert).title == sample_message().alerts[0].title);
}

TEST_CASE("a signed webhook carries timestamp, signature over timestamp.body, key and custom headers") {
    config::WebhookChannel channel;
    channel.url = "https://hooks.example.org/in";
    channel.headers = {{"X-Team", "research"}};
    const auto request = alert::render_webhook(sample_message(), channel, "s3cret", 1'790'000'200);
    CHECK(request.url == "https://hooks.example.org/in");
    CHECK(header(request, "Idempotency-Key") == "abc123");
    CHECK(header(request, "X-Signalmon-Timestamp") == "1790000200");
    CHECK(header(request, "X-Signalmon-Signature") ==
          "sha256=" + alert::hmac_sha256_hex("s3cret", "1790000200." + request.body));
    CHECK(header(request, "X-Team") == "research");
    CHECK(nlohmann::json::parse(request.body)["idempotency_key"] == "abc123");

    const auto unsigned_request = alert::render_webhook(sample_message(), channel, "", 1'790'000'200);
    CHECK(header(unsigned_request, "X-Signalmon-Signature").empty());
}

TEST_CASE("chat formats: slack and mattermost text, discord content without mentions, ntfy JSON to the root") {
    config::WebhookChannel channel;
    channel.url = "https://chat.example.org/hooks/xyz";
    channel.format = config::WebhookFormat::slack;
    const auto slack = nlohmann::json::parse(alert::render_webhook(sample_message(), channel, "", 0).body);
    CHECK(slack["text"].get<std::string>().find("Title with \"quotes\"") != std::string::npos);

    channel.format = config::WebhookFormat::discord;
    const auto discord = nlohmann::json::parse(alert::render_webhook(sample_message(), channel, "", 0).body);
    CHECK(discord["content"].get<std::string>().size() <= 2000);
    CHECK(discord["allowed_mentions"]["parse"].empty());

    channel.url = "https://ntfy.example.org/signalmon-alerts";
    channel.format = config::WebhookFormat::ntfy;
    const auto ntfy_request = alert::render_webhook(sample_message(), channel, "", 0);
    CHECK(ntfy_request.url == "https://ntfy.example.org/");
    const auto ntfy = nlohmann::json::parse(ntfy_request.body);
    CHECK(ntfy["topic"] == "signalmon-alerts");
    CHECK(ntfy["click"] == "https://example.org/x");
    CHECK(ntfy["tags"] == nlohmann::json({"kill", "b1"}));
}

TEST_CASE("slack and mattermost text escapes &, < and >: no mention or disguised link from a feed's title") {
    alert::Message message = sample_message();
    message.alerts[0].title = "<!channel> see <https://evil.example/|bank.example> & more";
    config::WebhookChannel channel;
    channel.url = "https://chat.example.org/hooks/xyz";
    for (const auto format : {config::WebhookFormat::slack, config::WebhookFormat::mattermost}) {
        channel.format = format;
        const std::string text =
            nlohmann::json::parse(alert::render_webhook(message, channel, "", 0).body)["text"].get<std::string>();
        CHECK(text.find("&lt;!channel&gt; see &lt;https://evil.example/|bank.example&gt; &amp; more") !=
              std::string::npos);
        CHECK(text.find('<') == std::string::npos);
        CHECK(text.find('>') == std::string::npos);
    }
}
