// Retry classification and exponential backoff with jitter.
#include "alert/retry_policy.hpp"

#include <algorithm>
#include <cmath>

#include "feed/date.hpp"

namespace signalmon::alert {

AttemptResult classify_http(long status, std::string_view retry_after, feed::UnixTime now) {
    if (status >= 200 && status < 300) return {};
    AttemptResult result{.outcome = AttemptResult::Outcome::permanent,
                         .error = "HTTP " + std::to_string(status),
                         .retry_after = std::nullopt};
    if (status == 408 || status == 429 || status >= 500) {
        result.outcome = AttemptResult::Outcome::retry;
        result.retry_after = parse_retry_after(retry_after, now);
    }
    return result;
}

AttemptResult classify_smtp(long reply_code, std::string error) {
    const bool permanent = reply_code >= 500 && reply_code < 600;
    if (reply_code > 0) error += " (SMTP " + std::to_string(reply_code) + ")";
    return {.outcome = permanent ? AttemptResult::Outcome::permanent : AttemptResult::Outcome::retry,
            .error = std::move(error),
            .retry_after = std::nullopt};
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, feed::UnixTime now) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r' || value.back() == '\n'))
        value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (std::ranges::all_of(value, [](char c) { return c >= '0' && c <= '9'; })) {
        if (value.size() > 9) return std::chrono::seconds(999'999'999);
        return std::chrono::seconds(std::stoll(std::string(value)));
    }
    const auto when = feed::parse_date(value);
    if (!when) return std::nullopt;
    return std::chrono::seconds(std::max<feed::UnixTime>(0, *when - now));
}

std::chrono::seconds backoff_delay(int attempt, std::chrono::seconds base, std::chrono::seconds max,
                                   double unit_random) {
    const double exponent = std::min(attempt - 1, 40);
    const double full =
        std::min(static_cast<double>(max.count()), static_cast<double>(base.count()) * std::pow(2.0, exponent));
    const double jittered = full / 2 + full / 2 * std::clamp(unit_random, 0.0, 1.0);
    return std::chrono::seconds(std::max<std::int64_t>(1, std::llround(jittered)));
}

}  // namespace signalmon::alert
