// What every alert format shares about how an alert reads: the kind labelled in words and
// coloured, the subject line, times on the reader's clock, the ledger link, matched words marked.
// E-mail and each chat format only lay these out.
#pragma once

#include <string>
#include <string_view>

#include "alert/alert.hpp"
#include "config/alerts_config.hpp"

namespace signalmon::alert {

// A kind as readers see it: the colour never carries the meaning alone.
struct KindStyle {
    std::string_view label;    // "CONFIRM"
    std::string_view meaning;  // "evidence for the thesis"
    std::string_view colour;   // "#1a7f37": a background that white text reads on
    std::string_view emoji;    // an ntfy tag that shows as an emoji
};

const KindStyle& kind_style(std::string_view kind);

// "[confirm] Brief title: story title", the brief's id when it has no title.
std::string alert_subject(const Alert& alert);

// "Brief title" or the id.
std::string brief_name(const Alert& alert);

// "wire, published 2026-11-30 14:05 CET" (found_at when the story has no date).
std::string source_and_time(const Alert& alert, const config::AlertsConfig& settings);

// PUBLIC_URL/briefs/ID, the brief's ledger page in the web view; empty without a public_url.
std::string ledger_url(const Alert& alert, const config::AlertsConfig& settings);

// http(s) links only: a feed's javascript: or data: link is never made clickable.
bool is_web_link(std::string_view link);

// The snippet with its matched words between open and close; every other piece of the snippet
// and the words themselves pass through escape (identity for plain text).
std::string marked_snippet(const AlertSignal& signal, std::string_view open, std::string_view close,
                           std::string (*escape)(std::string_view));

}  // namespace signalmon::alert
