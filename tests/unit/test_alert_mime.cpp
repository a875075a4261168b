// Tests for src/alert/mime.cpp and src/alert/email.cpp: header safety, RFC 2047, base64, MIME layout.
#include <doctest/doctest.h>

#include <set>

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
    const std::string mail = alert::render_email(message, channel, {}, 1'790'000'000);

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

    const alert::EmailParts parts = alert::email_parts(message, {});
    CHECK(parts.html.find("<script>") == std::string::npos);
    CHECK(parts.html.find("&lt;script&gt;") != std::string::npos);
    CHECK(parts.html.find("href=\"https://example.org/story?a=1&amp;b=2\"") != std::string::npos);
    CHECK(parts.html.find("Procurement &lt;requires&gt; open weights") != std::string::npos);
    CHECK(parts.text.find("* Procurement <requires> open weights (procurement-demands-open-weights, confirm +5)") !=
          std::string::npos);
    CHECK(parts.text.find("Matched: tender, open weights") != std::string::npos);
    CHECK(mail.ends_with("--=_signalmon_0123456789abcdef0123456789abcdef--\r\n"));
}

TEST_CASE("a digest groups alerts by brief and kind") {
    alert::Alert kill = sample_alert("Second");
    kill.kind = "kill";
    alert::Message message{
        .idempotency_key = "k", .digest = true, .alerts = {sample_alert("First"), kill, sample_alert("Third")}};
    const alert::EmailParts parts = alert::email_parts(message, {});
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

TEST_CASE("one alert's e-mail: subject by brief title, kind in words and colour, summary, marks, source, ledger") {
    alert::Alert alert = sample_alert("Ministry tenders for open-weight models");
    alert.summary = "The ministry asks for open weights in every bid.";
    alert.published = 1'784'116'800;  // 2026-07-15T12:00:00Z
    const alert::Message message{.idempotency_key = "k", .digest = false, .alerts = {alert}};
    config::AlertsConfig settings;
    settings.public_url = "https://signalmon.example.org/desk";
    settings.time_zone =
        config::TimeZone::load("Europe/Berlin", std::filesystem::path(SIGNALMON_TEST_DATA) / "tz").value();

    const alert::EmailParts parts = alert::email_parts(message, settings);
    CHECK(parts.subject == "[confirm] Open weights as a governance hedge: Ministry tenders for open-weight models");
    CHECK(parts.html.find(">CONFIRM</span>") != std::string::npos);
    CHECK(parts.html.find("evidence for the thesis") != std::string::npos);
    CHECK(parts.html.find("background:#1a7f37") != std::string::npos);
    CHECK(parts.html.find("<p data-part=\"summary\" style=\"margin:8px 0\">The ministry asks for open weights in every "
                          "bid.</p>") != std::string::npos);
    // The snippet is escaped, and its matched words are marked (escaped too).
    CHECK(parts.html.find("a <mark style=\"background:#fff0a0;font-weight:bold\">tender</mark> &amp; &lt;b&gt;<mark "
                          "style=\"background:#fff0a0;font-weight:bold\">open weights</mark>&lt;/b&gt;") !=
          std::string::npos);
    CHECK(parts.html.find("wire, published 2026-07-15 14:00 CEST") != std::string::npos);
    CHECK(parts.html.find("href=\"https://signalmon.example.org/desk/briefs/rdm-065-open-weights\"") !=
          std::string::npos);

    CHECK(parts.text.starts_with("CONFIRM: evidence for the thesis\nBrief: Open weights as a governance hedge\n"));
    CHECK(parts.text.find("The ministry asks for open weights in every bid.") != std::string::npos);
    CHECK(parts.text.find("\"a *tender* & <b>*open weights*</b>\"") != std::string::npos);
    CHECK(parts.text.find("wire, published 2026-07-15 14:00 CEST") != std::string::npos);
    CHECK(parts.text.find("Ledger: https://signalmon.example.org/desk/briefs/rdm-065-open-weights") !=
          std::string::npos);

    // Without a public URL there is no ledger link; a brief without a title is named by its id.
    alert::Message untitled = message;
    untitled.alerts[0].brief_title.clear();
    const alert::EmailParts plain = alert::email_parts(untitled, {});
    CHECK(plain.subject == "[confirm] rdm-065-open-weights: Ministry tenders for open-weight models");
    CHECK(plain.html.find("data-part=\"ledger\"") == std::string::npos);
    CHECK(plain.text.find("Ledger:") == std::string::npos);
    CHECK(plain.text.find("wire, published 2026-07-15 12:00 UTC") != std::string::npos);
}

TEST_CASE("kill and watch are labelled in words, each in its own colour") {
    alert::Alert kill = sample_alert("t");
    kill.kind = "kill";
    const auto kill_parts = alert::email_parts({.idempotency_key = "k", .digest = false, .alerts = {kill}}, {});
    CHECK(kill_parts.html.find(">KILL</span>") != std::string::npos);
    CHECK(kill_parts.html.find("evidence against the thesis") != std::string::npos);
    CHECK(kill_parts.html.find("background:#b42318") != std::string::npos);
    alert::Alert watch = sample_alert("t");
    watch.kind = "watch";
    const auto watch_parts = alert::email_parts({.idempotency_key = "k", .digest = false, .alerts = {watch}}, {});
    CHECK(watch_parts.html.find(">WATCH</span>") != std::string::npos);
    CHECK(watch_parts.text.starts_with("WATCH: worth watching\n"));
}

TEST_CASE("hostile feed text cannot put markup into the HTML part") {
    alert::Alert alert = sample_alert("<script>alert(1)</script><img src=x onerror=alert(2)>");
    alert.summary = "<iframe src=\"https://evil.example/\"></iframe> \"quoted\" & 'single'";
    alert.link = "javascript:alert(3)";
    alert.brief_title = "<b>brief</b>";
    alert.signals[0].terms = {"<img"};
    alert.signals[0].snippet = "x <img src=x onerror=alert(4)> y";
    const auto parts = alert::email_parts({.idempotency_key = "k", .digest = false, .alerts = {alert}}, {});
    for (const std::string_view tag : {"<script", "<img", "<iframe", "<b>", "javascript:"}) {
        CAPTURE(tag);
        CHECK(parts.html.find(tag) == std::string::npos);
    }
    CHECK(parts.html.find("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;") !=
          std::string::npos);
    CHECK(parts.html.find("x <mark style=\"background:#fff0a0;font-weight:bold\">&lt;img</mark> src=x") !=
          std::string::npos);
    // The only elements are the renderer's own.
    std::size_t at = 0;
    while ((at = parts.html.find('<', at)) != std::string::npos) {
        const std::string name = parts.html.substr(at + 1, parts.html.find_first_of(" >", at) - at - 1);
        CAPTURE(name);
        CHECK(std::set<std::string>{"!DOCTYPE", "html", "/html", "head", "/head", "meta", "title", "/title", "body",
                                    "/body",    "div",  "/div",  "p",    "/p",    "span", "/span", "h2",     "/h2",
                                    "ul",       "/ul",  "li",    "/li",  "br",    "mark", "/mark"}
                  .contains(name));
        ++at;
    }
}
