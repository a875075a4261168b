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
    alert.summary = "The lede.";
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
    CHECK(alert["summary"] == "The lede.");
    CHECK(alert::alert_from_json(alert).title == sample_message().alerts[0].title);
    CHECK(alert::alert_from_json(alert).summary == "The lede.");
    nlohmann::json queued_before_summaries = alert;
    queued_before_summaries.erase("summary");
    CHECK(alert::alert_from_json(queued_before_summaries).summary.empty());
}

TEST_CASE("a signed webhook carries timestamp, signature over timestamp.body, key and custom headers") {
    config::WebhookChannel channel;
    channel.url = "https://hooks.example.org/in";
    channel.headers = {{"X-Team", "research"}};
    const auto request = alert::render_webhook(sample_message(), channel, "s3cret", {}, 1'790'000'200);
    CHECK(request.url == "https://hooks.example.org/in");
    CHECK(header(request, "Idempotency-Key") == "abc123");
    CHECK(header(request, "X-Signalmon-Timestamp") == "1790000200");
    CHECK(header(request, "X-Signalmon-Signature") ==
          "sha256=" + alert::hmac_sha256_hex("s3cret", "1790000200." + request.body));
    CHECK(header(request, "X-Team") == "research");
    CHECK(nlohmann::json::parse(request.body)["idempotency_key"] == "abc123");

    const auto unsigned_request = alert::render_webhook(sample_message(), channel, "", {}, 1'790'000'200);
    CHECK(header(unsigned_request, "X-Signalmon-Signature").empty());
}

TEST_CASE("chat formats: slack and mattermost text, discord content without mentions, ntfy JSON to the root") {
    config::WebhookChannel channel;
    channel.url = "https://chat.example.org/hooks/xyz";
    channel.format = config::WebhookFormat::slack;
    const auto slack = nlohmann::json::parse(alert::render_webhook(sample_message(), channel, "", {}, 0).body);
    CHECK(slack["text"] == "[kill] Brief one: Title with \"quotes\" and ünïcode");

    channel.format = config::WebhookFormat::discord;
    const auto discord = nlohmann::json::parse(alert::render_webhook(sample_message(), channel, "", {}, 0).body);
    CHECK(discord["embeds"].size() == 1);
    CHECK(discord["allowed_mentions"]["parse"].empty());

    channel.url = "https://ntfy.example.org/signalmon-alerts";
    channel.format = config::WebhookFormat::ntfy;
    const auto ntfy_request = alert::render_webhook(sample_message(), channel, "", {}, 0);
    CHECK(ntfy_request.url == "https://ntfy.example.org/");
    const auto ntfy = nlohmann::json::parse(ntfy_request.body);
    CHECK(ntfy["topic"] == "signalmon-alerts");
    CHECK(ntfy["click"] == "https://example.org/x");
    CHECK(ntfy["tags"] == nlohmann::json({"x", "kill", "b1"}));
}

TEST_CASE("slack and mattermost fallback text escapes &, < and >: no mention or disguised link from a feed's title") {
    alert::Message message = sample_message();
    message.alerts[0].title = "<!channel> see <https://evil.example/|bank.example> & more";
    config::WebhookChannel channel;
    channel.url = "https://chat.example.org/hooks/xyz";
    channel.format = config::WebhookFormat::slack;
    const auto slack = nlohmann::json::parse(alert::render_webhook(message, channel, "", {}, 0).body);
    for (const std::string text : {slack.at("text"), slack.at("attachments").at(0).at("fallback")}) {
        CHECK(text.find("&lt;!channel&gt; see &lt;https://evil.example/|bank.example&gt; &amp; more") !=
              std::string::npos);
        CHECK(text.find('<') == std::string::npos);
        CHECK(text.find('>') == std::string::npos);
    }
    channel.format = config::WebhookFormat::mattermost;
    const auto mattermost = nlohmann::json::parse(alert::render_webhook(message, channel, "", {}, 0).body);
    CHECK(mattermost.at("attachments").at(0).at("fallback").get<std::string>().find('<') == std::string::npos);
}

namespace {

// Every string in a JSON document, with the key it is under.
void collect_strings(const nlohmann::json& json, const std::string& key,
                     std::vector<std::pair<std::string, std::string>>& out) {
    if (json.is_string()) out.emplace_back(key, json.get<std::string>());
    if (json.is_object()) {
        for (const auto& [name, value] : json.items()) collect_strings(value, name, out);
    }
    if (json.is_array()) {
        for (const auto& value : json) collect_strings(value, key, out);
    }
}

alert::Message hostile_message() {
    alert::Message message = sample_message();
    alert::Alert& alert = message.alerts[0];
    alert.title = "<!channel> @everyone **bold** [x](https://evil.example) <http://x|y> <script>";
    alert.summary = "@here _it_ `code` <@123456> ~~gone~~";
    alert.brief_title = "# heading <!here>";
    alert.signals[0].says = "<!everyone> says *this*";
    alert.signals[0].snippet = "a <http://evil.example|click> b";
    alert.signals[0].terms = {"click"};
    return message;
}

// Outside a backslash escape, none of the Markdown characters that format, link or mention.
bool markdown_inert(std::string_view text) {
    for (std::size_t index = 0; index < text.size(); ++index) {
        if (text[index] == '\\') {
            ++index;
            continue;
        }
        if (std::string_view("*_`~[]()<>@#|").find(text[index]) != std::string_view::npos) return false;
    }
    return true;
}

}  // namespace

TEST_CASE("slack: Block Kit in an attachment coloured by kind; feed text only ever in plain_text") {
    config::WebhookChannel channel{.url = "https://hooks.example.org/x", .format = config::WebhookFormat::slack};
    config::AlertsConfig settings;
    settings.public_url = "https://signalmon.example.org";
    const auto body = nlohmann::json::parse(alert::render_webhook(hostile_message(), channel, "", settings, 0).body);
    // The fallback texts are Slack markup and escaped.
    CHECK(body.at("text").get<std::string>().find('<') == std::string::npos);
    const auto& attachment = body.at("attachments").at(0);
    CHECK(attachment.at("color") == "#b42318");
    CHECK(attachment.at("fallback").get<std::string>().find('<') == std::string::npos);
    const auto& blocks = attachment.at("blocks");
    CHECK(blocks.at(0).at("type") == "header");
    CHECK(blocks.at(0).at("text").at("text") == "KILL · evidence against the thesis");
    // Every text object is plain_text: Slack reads no mention, link or formatting in it.
    bool title_shown = false;
    std::vector<std::string> button_urls;
    for (const auto& block : blocks) {
        std::vector<nlohmann::json> texts;
        if (block.contains("text")) texts.push_back(block.at("text"));
        for (const auto& element : block.value("elements", nlohmann::json::array())) {
            texts.push_back(element.at("type") == "button" ? element.at("text") : element);
            if (element.contains("url")) button_urls.push_back(element.at("url"));
        }
        for (const auto& text : texts) {
            CHECK(text.at("type") == "plain_text");
            if (text.at("text") == hostile_message().alerts[0].title) title_shown = true;
        }
    }
    CHECK(title_shown);
    CHECK(button_urls == std::vector<std::string>{"https://example.org/x", "https://signalmon.example.org/briefs/b1"});
}

TEST_CASE("mattermost: attachments with colour; Markdown fields escaped, no mention or link from a feed") {
    config::WebhookChannel channel{.url = "https://mm.example.org/hooks/x",
                                   .format = config::WebhookFormat::mattermost};
    const auto body = nlohmann::json::parse(alert::render_webhook(hostile_message(), channel, "", {}, 0).body);
    const auto& attachment = body.at("attachments").at(0);
    CHECK(attachment.at("color") == "#b42318");
    CHECK(attachment.at("pretext") == "**KILL · evidence against the thesis**");
    CHECK(attachment.at("title_link") == "https://example.org/x");
    CHECK(markdown_inert(attachment.at("text").get<std::string>().substr(0, 60)));
    for (const auto& field : attachment.at("fields")) CHECK(markdown_inert(field.at("value").get<std::string>()));
    // The summary and the says are escaped; the matched word is bold, with its own text escaped.
    const std::string text = attachment.at("text");
    CHECK(text.find("\\@here \\_it\\_ \\`code\\` \\<\\@123456\\> \\~\\~gone\\~\\~") != std::string::npos);
    CHECK(text.find("\\<\\!everyone\\> says \\*this\\*") != std::string::npos);
    CHECK(text.find("a \\<http\\:\\/\\/evil\\.example\\|**click**\\> b") != std::string::npos);
}

TEST_CASE("discord: an embed per alert, Markdown escaped, no mentions parsed") {
    config::WebhookChannel channel{.url = "https://discord.example.org/api/webhooks/1/x",
                                   .format = config::WebhookFormat::discord};
    const auto body = nlohmann::json::parse(alert::render_webhook(hostile_message(), channel, "", {}, 0).body);
    CHECK(body.at("allowed_mentions").at("parse").empty());
    CHECK_FALSE(body.contains("content"));
    const auto& embed = body.at("embeds").at(0);
    CHECK(embed.at("color") == 0xb42318);
    CHECK(embed.at("url") == "https://example.org/x");
    CHECK(embed.at("timestamp") == "2026-09-21T14:13:20Z");
    CHECK(embed.at("author").at("name").get<std::string>().starts_with("KILL · evidence against the thesis"));
    CHECK(markdown_inert(embed.at("title").get<std::string>()));
    CHECK(embed.at("title").get<std::string>().find("\\@everyone") != std::string::npos);
    CHECK(embed.at("description").get<std::string>().find("\\@here \\_it\\_") != std::string::npos);

    // A digest shows at most five embeds, within Discord's 6000 characters.
    alert::Message digest = hostile_message();
    digest.digest = true;
    digest.alerts.resize(8, digest.alerts[0]);
    const auto many = nlohmann::json::parse(alert::render_webhook(digest, channel, "", {}, 0).body);
    CHECK(many.at("embeds").size() == 5);
    CHECK(many.at("content") == "signalmon digest: 8 alerts, the first 5 shown");
    std::vector<std::pair<std::string, std::string>> strings;
    collect_strings(many.at("embeds"), "", strings);
    std::size_t total = 0;
    for (const auto& [key, value] : strings) {
        if (key != "url" && key != "timestamp") total += value.size();
    }
    CHECK(total <= 6000);
}

TEST_CASE("ntfy: title by brief, kind as an emoji tag and a word, click URL, a ledger action") {
    config::WebhookChannel channel{.url = "https://ntfy.example.org/alerts", .format = config::WebhookFormat::ntfy};
    config::AlertsConfig settings;
    settings.public_url = "https://signalmon.example.org";
    const auto body = nlohmann::json::parse(alert::render_webhook(sample_message(), channel, "", settings, 0).body);
    CHECK(body.at("title") == "[kill] Brief one: Title with \"quotes\" and ünïcode");
    CHECK(body.at("tags") == nlohmann::json({"x", "kill", "b1"}));
    CHECK(body.at("click") == "https://example.org/x");
    CHECK(body.at("actions").at(0).at("url") == "https://signalmon.example.org/briefs/b1");
    CHECK_FALSE(body.contains("markdown"));  // ntfy shows the message as plain text
    alert::Message hostile = hostile_message();
    hostile.alerts[0].link = "javascript:alert(1)";
    const auto refused = nlohmann::json::parse(alert::render_webhook(hostile, channel, "", {}, 0).body);
    CHECK_FALSE(refused.contains("click"));
}
