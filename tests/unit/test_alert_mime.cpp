// Tests for src/alert/mime.cpp and src/alert/email.cpp: header safety, RFC 2047, base64, MIME layout.
#include <doctest/doctest.h>

#include "alert/email.hpp"
#include "alert/mime.hpp"

using namespace signalmon;

namespace {

alert::Alert sample_alert(std::string title) {
    alert::Alert alert;
    alert.brief_id = "rdm-065-open-weights";
    alert.brief_title = "Open weights as a governance hedge";
    alert.kind = "confirm";
    alert.score = 7;
    alert.threshold = 5;
    alert.feed = "wire";
    alert.item_key = "item-1";
    alert.title = std::move(title);
    alert.link = "https://example.org/story?a=1&b=2";
    alert.found_at = 1'790'000'000;
    alert.signals.push_back({.id = "procurement-demands-open-weights",
                             .kind = "confirm",
                             .weight = 5,
                             .says = "Procurement <requires> open weights",
                             .terms = {"tender", "open weights"},
                             .snippet = "a tender & <b>open weights</b>"});
    return alert;
}

// Decodes one "=?UTF-8?B?...?=" word; the test's own small base64 decoder.
std::string decode_word(std::string_view word) {
    REQUIRE(word.starts_with("=?UTF-8?B?"));
    REQUIRE(word.ends_with("?="));
    const std::string_view b64 = word.substr(10, word.size() - 12);
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    unsigned int buffer = 0;
    int bits = 0;
    for (char c : b64) {
        if (c == '=') break;
        buffer = (buffer << 6) | static_cast<unsigned int>(alphabet.find(c));
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("header_text removes line breaks and control characters and collapses spaces") {
    CHECK(alert::header_text("Bad\r\nBcc: victim@example.org") == "Bad Bcc: victim@example.org");
    CHECK(alert::header_text("  a \t\t b\n") == "a b");
    CHECK(alert::header_text("x\x01y") == "x y");
}

TEST_CASE("header_text cuts long text on a UTF-8 character boundary") {
    const std::string text = std::string(10, 'a') + "é€xyz";  // 10 + 2 + 3 + 3 bytes
    const std::string cut = alert::header_text(text, 16);
    CHECK(cut == std::string(10, 'a') + "é...");
}

TEST_CASE("plain ASCII header values pass through; non-ASCII becomes RFC 2047 words of at most 75 characters") {
    CHECK(alert::encode_header_value("Subject", "Plain subject") == "Plain subject");
    CHECK(alert::encode_header_value("Subject", "looks =?like?= a word").starts_with("=?UTF-8?B?"));

    const std::string title =
        "Zürich tender: ÖFFENTLICHE Ausschreibung für offene Gewichte — €5M, 日本語のテキストも含む";
    const std::string encoded = alert::encode_header_value("Subject", title);
    std::string decoded;
    std::size_t start = 0;
    while (start < encoded.size()) {
        std::size_t end = encoded.find("\r\n ", start);
        if (end == std::string::npos) end = encoded.size();
        const std::string word = encoded.substr(start, end - start);
        CHECK(word.size() <= 75);
        decoded += decode_word(word);  // each word decodes alone: no character is split across words
        start = end + 3;
    }
    CHECK(decoded == title);
}

TEST_CASE("base64 matches RFC 4648 test vectors and wraps at 76 characters") {
    CHECK(alert::base64("") == "");
    CHECK(alert::base64("f") == "Zg==");
    CHECK(alert::base64("fo") == "Zm8=");
    CHECK(alert::base64("foo") == "Zm9v");
    CHECK(alert::base64("foobar") == "Zm9vYmFy");
    const std::string lines = alert::base64_lines(std::string(100, 'x'));
    CHECK(lines.find("\r\n") == 76);
    CHECK(lines.ends_with("\r\n"));
}

TEST_CASE("dates are RFC 5322 in UTC") { CHECK(alert::rfc5322_date(0) == "Thu, 01 Jan 1970 00:00:00 +0000"); }

TEST_CASE("html_escape escapes the five special characters") {
    CHECK(alert::html_escape("<a href=\"x\">Tom & Jerry's</a>") ==
          "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

TEST_CASE("a hostile title gives one safe Subject header and an escaped HTML part") {
    alert::Message message{.idempotency_key = "0123456789abcdef0123456789abcdef",
                           .digest = false,
                           .alerts = {sample_alert("Tender\r\nBcc: evil@example.org <script>alert(1)</script> für")}};
    config::EmailChannel channel;
    channel.from = "signalmon <alerts@example.org>";
    channel.to = {"analyst@example.org", "desk@example.org"};
    const std::string mail = alert::render_email(message, channel, 1'790'000'000);

    const std::string headers = mail.substr(0, mail.find("\r\n\r\n"));
    CHECK(headers.find("\nBcc:") == std::string::npos);
    CHECK(headers.find("Subject: =?UTF-8?B?") != std::string::npos);
    CHECK(headers.find("Message-ID: <0123456789abcdef0123456789abcdef@example.org>") != std::string::npos);
    CHECK(headers.find("Date: Mon, 21 Sep 2026 14:13:20 +0000") != std::string::npos);
    CHECK(headers.find("To: analyst@example.org, desk@example.org") != std::string::npos);
    CHECK(headers.find(
              "Content-Type: multipart/alternative; boundary=\"=_signalmon_0123456789abcdef0123456789abcdef\"") !=
          std::string::npos);
    // Every header line is a field or a folded continuation; none starts with feed text.
    std::size_t line_start = 0;
    while (line_start < headers.size()) {
        const std::size_t end = std::min(headers.find("\r\n", line_start), headers.size());
        const std::string line = headers.substr(line_start, end - line_start);
        CHECK((line.starts_with(" ") || line.find(": ") != std::string::npos));
        CHECK(line.size() <= 998);
        line_start = end + 2;
    }

    const alert::EmailParts parts = alert::email_parts(message);
    CHECK(parts.html.find("<script>") == std::string::npos);
    CHECK(parts.html.find("&lt;script&gt;") != std::string::npos);
    CHECK(parts.html.find("href=\"https://example.org/story?a=1&amp;b=2\"") != std::string::npos);
    CHECK(parts.html.find("Procurement &lt;requires&gt; open weights") != std::string::npos);
    CHECK(parts.text.find("Says: Procurement <requires> open weights") != std::string::npos);
    CHECK(parts.text.find("Matched: tender, open weights") != std::string::npos);
    CHECK(mail.ends_with("--=_signalmon_0123456789abcdef0123456789abcdef--\r\n"));
}

TEST_CASE("a digest groups alerts by brief and kind") {
    alert::Alert kill = sample_alert("Second");
    kill.kind = "kill";
    alert::Message message{
        .idempotency_key = "k", .digest = true, .alerts = {sample_alert("First"), kill, sample_alert("Third")}};
    const alert::EmailParts parts = alert::email_parts(message);
    CHECK(parts.subject == "[signalmon] digest: 3 alerts for 1 brief");
    const auto confirm_at = parts.text.find("--- CONFIRM (2) ---");
    const auto kill_at = parts.text.find("--- KILL (1) ---");
    CHECK(confirm_at != std::string::npos);
    CHECK(kill_at != std::string::npos);
    CHECK(parts.text.find("First") < kill_at);
    CHECK(parts.text.find("Third") < kill_at);
}

TEST_CASE("Message-ID falls back to a reserved domain when from has none") {
    CHECK(alert::message_id("abc", "alerts@example.org") == "<abc@example.org>");
    CHECK(alert::message_id("abc", "Name <x@mail.example.org>") == "<abc@mail.example.org>");
    CHECK(alert::message_id("abc", "nobody") == "<abc@signalmon.invalid>");
}
