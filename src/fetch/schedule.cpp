// The polling schedule policy: pure functions of the policy, what the server said, and a random draw.
#include "fetch/schedule.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>

#include "feed/date.hpp"

namespace signalmon::fetch {
namespace {

constexpr Seconds k_max_retry_after{std::chrono::hours(24)};

std::optional<std::int64_t> whole_number(std::string_view text) {
    text = text::trim_ascii_space(text);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

Seconds scaled(Seconds delay, double factor) {
    return Seconds(static_cast<std::int64_t>(std::llround(static_cast<double>(delay.count()) * factor)));
}

double unit(double random01) { return std::clamp(random01, 0.0, 1.0); }

}  // namespace

Seconds success_delay(const SchedulePolicy& policy, const FreshnessHints& hints, double random01) {
    Seconds delay = policy.interval;
    for (const auto& hint : {hints.max_age, hints.expires, hints.ttl, hints.update_period}) {
        if (hint) delay = std::max(delay, *hint);
    }
    delay = std::clamp(delay, policy.min_interval, std::max(policy.min_interval, policy.max_interval));
    // Jitter only lengthens, so a server's lower bound is still honoured; it spreads feeds that
    // share an interval so they do not all come due in the same second.
    return scaled(delay, 1.0 + policy.jitter * unit(random01));
}

Seconds failure_delay(const SchedulePolicy& policy, std::int64_t consecutive_failures,
                      std::optional<Seconds> retry_after, double random01) {
    const Seconds base = std::max(policy.interval, policy.min_interval);
    const Seconds ceiling = std::max(policy.backoff_max, policy.min_interval);
    Seconds delay = base;
    for (std::int64_t n = 1; n < consecutive_failures && delay < ceiling; ++n) delay *= 2;
    delay = std::min(delay, ceiling);
    // Jitter shortens here, so the ceiling stays a ceiling while a crowd of failing feeds spreads out.
    delay = std::max(policy.min_interval, scaled(delay, 1.0 - policy.jitter * unit(random01)));
    if (retry_after) delay = std::max(delay, std::min(*retry_after, k_max_retry_after));
    return delay;
}

std::optional<Seconds> parse_retry_after(std::string_view value, std::int64_t now) {
    if (const auto seconds = whole_number(value)) return Seconds(*seconds);
    const auto when = feed::parse_date(text::trim_ascii_space(value));
    if (!when) return std::nullopt;
    return Seconds(std::max<std::int64_t>(*when - now, 0));
}

std::optional<Seconds> parse_max_age(std::string_view cache_control) {
    std::optional<Seconds> max_age;
    std::string_view rest = cache_control;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string directive = text::ascii_lowercase(text::trim_ascii_space(rest.substr(0, comma)));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (directive == "no-cache" || directive == "no-store") return std::nullopt;
        if (directive.starts_with("max-age=")) {
            std::string_view number = std::string_view(directive).substr(8);
            if (number.size() >= 2 && number.front() == '"' && number.back() == '"')
                number = number.substr(1, number.size() - 2);
            if (const auto seconds = whole_number(number)) max_age = Seconds(*seconds);
        }
    }
    return max_age;
}

std::optional<Seconds> parse_expires(std::string_view expires, std::string_view date, std::int64_t now) {
    const auto until = feed::parse_date(text::trim_ascii_space(expires));
    if (!until) return std::nullopt;
    const auto reference = feed::parse_date(text::trim_ascii_space(date)).value_or(now);
    if (*until <= reference) return std::nullopt;
    return Seconds(*until - reference);
}

std::optional<Seconds> requested_pause(const FetchError& error, std::int64_t now) {
    if ((error.status == 429 || error.status == 503) && !error.retry_after.empty()) {
        if (const auto pause = parse_retry_after(error.retry_after, now)) return pause;
    }
    if (error.rate_limited) return k_rate_limit_pause;
    return std::nullopt;
}

std::optional<std::string> health_problem(const HealthFacts& facts, std::int64_t now, Seconds after) {
    const auto hours = [](std::int64_t seconds) { return std::to_string(seconds / 3600) + " h"; };
    if (facts.first_failure && now - *facts.first_failure >= after.count()) {
        return "failing for " + hours(now - *facts.first_failure) + ": " + facts.last_error;
    }
    const auto quiet_since = facts.last_new_item ? facts.last_new_item : facts.tracked_since;
    if (!facts.first_failure && quiet_since && now - *quiet_since >= after.count()) {
        return "silent for " + hours(now - *quiet_since) + ": no new items";
    }
    return std::nullopt;
}

}  // namespace signalmon::fetch
