// Writing Atom documents from hit stories.
#include "web/atom.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "alert/crypto.hpp"
#include "feed/date.hpp"
#include "score/evaluate.hpp"
#include "web/html.hpp"

namespace signalmon::web {
namespace {

std::string entry_summary(const HitStory& story) {
    std::string text;
    for (const std::string& kind : story.kinds) {
        const auto parsed = rules::kind_named(kind);
        text += (text.empty() ? "" : ", ") + kind + " " + std::to_string(story.scores[score::kind_index(*parsed)]);
    }
    for (const store::HitRow& row : story.signals) {
        text += "\n" + row.signal + " (" + row.kind + "): " + row.snippet;
    }
    return text;
}

}  // namespace

std::string urn_uuid(std::string_view name) {
    std::string hex = alert::sha256_hex(name).substr(0, 32);
    hex[12] = '8';                                                    // version 8: custom
    hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) % 4];  // the RFC variant
    return fmt::format("urn:uuid:{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                       hex.substr(16, 4), hex.substr(20));
}

feed::UnixTime atom_updated(std::span<const HitStory> stories) {
    feed::UnixTime newest = 0;
    for (const HitStory& story : stories) {
        for (const store::HitRow& row : story.signals) newest = std::max(newest, row.found_at);
    }
    return newest;
}

std::string atom_feed(const AtomFeed& feed, std::span<const HitStory> stories) {
    std::string xml = fmt::format(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
        "  <id>{}</id>\n  <title>{}</title>\n  <updated>{}</updated>\n"
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n"
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n"
        "  <author><name>signalmon</name></author>\n  <generator version=\"{}\">signalmon</generator>\n",
        urn_uuid("signalmon feed\n" + feed.key), escape(feed.title), feed::format_rfc3339(atom_updated(stories)),
        escape(feed.self_url), escape(feed.page_url), SIGNALMON_VERSION);
    for (const HitStory& story : stories) {
        const store::HitRow& hit = story.first();
        std::string kinds;
        for (const std::string& kind : story.kinds) kinds += (kinds.empty() ? "" : ", ") + kind;
        xml +=
            fmt::format("  <entry>\n    <id>{}</id>\n    <title>[{}] {}: {}</title>\n    <updated>{}</updated>\n",
                        urn_uuid("signalmon hit\n" + hit.brief + "\n" + hit.feed + "\n" + hit.item_key), escape(kinds),
                        escape(hit.brief), escape(hit.title), feed::format_rfc3339(atom_updated(std::span(&story, 1))));
        if (hit.published) xml += fmt::format("    <published>{}</published>\n", feed::format_rfc3339(*hit.published));
        // An entry without content needs an alternate link: the story's, else the page of hits.
        const std::string href = safe_href(hit.link);
        xml += fmt::format("    <link rel=\"alternate\" href=\"{}\"/>\n", href.empty() ? escape(feed.page_url) : href);
        for (const std::string& kind : story.kinds) xml += fmt::format("    <category term=\"{}\"/>\n", kind);
        xml += fmt::format("    <summary type=\"text\">{}</summary>\n  </entry>\n", escape(entry_summary(story)));
    }
    return xml + "</feed>\n";
}

}  // namespace signalmon::web
