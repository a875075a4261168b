// Sends one rendered message over the wire with libcurl: an HTTP POST or an SMTP transaction.
#pragma once

#include <chrono>
#include <string>

#include "alert/retry_policy.hpp"
#include "alert/webhook.hpp"
#include "config/alerts_config.hpp"

namespace signalmon::alert {

AttemptResult post_http(const HttpRequest& request, const std::string& user_agent, std::chrono::seconds timeout);

// password is empty when the channel logs in without one (or does not log in).
AttemptResult send_smtp(const config::EmailChannel& channel, const std::string& password, const std::string& message,
                        std::chrono::seconds timeout);

}  // namespace signalmon::alert
