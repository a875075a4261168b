// When a failed delivery is tried again, and which failures are worth trying again at all.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "feed/item.hpp"

namespace signalmon::alert {

struct AttemptResult {
    enum class Outcome { delivered, retry, permanent } outcome = Outcome::delivered;
    std::string error;                                // empty when delivered; never holds a secret
    std::optional<std::chrono::seconds> retry_after;  // the receiver's wish, when it said one
};

// HTTP: 2xx delivered; 408, 429 and 5xx retried (Retry-After honoured); other statuses permanent.
AttemptResult classify_http(long status, std::string_view retry_after, feed::UnixTime now);

// SMTP's last reply code after a failed transfer: 4xx is transient, 5xx permanent (RFC 5321 4.2.1).
AttemptResult classify_smtp(long reply_code, std::string error);

// Retry-After as delta-seconds or an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, feed::UnixTime now);

// Delay before attempt number `attempt` + 1 (attempt counts failures so far, from 1):
// base·2^(attempt-1) capped at max, then "equal jitter": a uniformly random point in its upper
// half, so retries from many alerts spread out but never come sooner than half the backoff.
// unit_random is in [0, 1).
std::chrono::seconds backoff_delay(int attempt, std::chrono::seconds base, std::chrono::seconds max,
                                   double unit_random);

}  // namespace signalmon::alert
