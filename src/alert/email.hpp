// Renders alerts (or a feed health alert) as one MIME e-mail: multipart/alternative with a plain-text part that reads
// well on a phone and an HTML part, UTF-8 throughout, Message-ID derived from the idempotency key.
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

EmailParts email_parts(const Message& message);

// The whole RFC 5322 message with CRLF line ends, ready for SMTP DATA.
std::string render_email(const Message& message, const config::EmailChannel& channel, feed::UnixTime now);

// "<key@domain-of-from>": the same key always gives the same Message-ID.
std::string message_id(std::string_view idempotency_key, std::string_view from);

}  // namespace signalmon::alert
