// Renders alerts (or a feed health alert) as one MIME e-mail: multipart/alternative with a plain-text part that reads
// well on a phone and an HTML part with the same content (the kind coloured and named, matched words
// marked), UTF-8 throughout, Message-ID derived from the idempotency key. Subject of one alert:
// "[confirm] Brief title: story title".
#pragma once

#include <string>

#include "alert/alert.hpp"
#include "config/alerts_config.hpp"

namespace signalmon::alert {

struct EmailParts {
    std::string subject;  // unencoded, one line
    std::string text;
    std::string html;
};

// settings gives the clock times are shown on and the web view's public URL (the ledger link).
EmailParts email_parts(const Message& message, const config::AlertsConfig& settings);

// The whole RFC 5322 message with CRLF line ends, ready for SMTP DATA.
std::string render_email(const Message& message, const config::EmailChannel& channel,
                         const config::AlertsConfig& settings, feed::UnixTime now);

// "<key@domain-of-from>": the same key always gives the same Message-ID.
std::string message_id(std::string_view idempotency_key, std::string_view from);

}  // namespace signalmon::alert
