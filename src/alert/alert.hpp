// What one alert says, frozen when the hit is stored (so a later rule edit cannot change a queued
// alert), and the messages the dispatcher delivers: one alert, a digest of several, or a feed's
// health alert.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "feed/item.hpp"
#include "rules/rule_set.hpp"
#include "score/evaluate.hpp"

namespace signalmon::alert {

struct AlertSignal {
    std::string id;
    std::string kind;
    int weight = 0;
    std::string says;
    std::vector<std::string> terms;
    std::string snippet;
};

// A summary is a lede, not the article: an alert quotes this much of it.
inline constexpr std::size_t k_alert_summary_bytes = 600;

struct Alert {
    std::string brief_id;
    std::string brief_title;
    std::string kind;            // of the heaviest signal; kill before confirm before watch on a tie
    int score = 0;               // the score of the alert's kind
    score::KindScores scores{};  // confirm, kill and watch apart (webhook `scores`)
    int threshold = 0;
    std::string feed;
    std::string item_key;
    std::string title;
    std::string link;
    std::string summary;  // the story's summary, cut to k_alert_summary_bytes
    std::optional<feed::UnixTime> published;
    feed::UnixTime found_at = 0;
    std::vector<AlertSignal> signals;
};

// brief may be null when the rules no longer know the verdict's brief.
Alert make_alert(const rules::Brief* brief, std::string_view feed_id, const feed::Item& item,
                 const score::Verdict& verdict, feed::UnixTime found_at);

nlohmann::json to_json(const Alert& alert);
Alert alert_from_json(const nlohmann::json& json);  // throws nlohmann::json::exception on a bad document

// A feed failing or silent for longer than its health_alert_after: one per episode, frozen when raised.
struct HealthAlert {
    std::string feed;
    std::string url;
    std::string problem;       // "failing" or "silent"
    std::string detail;        // the sentence the health check gave
    feed::UnixTime since = 0;  // start of the episode: first failure, else last new item or first poll
    feed::UnixTime detected_at = 0;
    std::optional<feed::UnixTime> last_success;
    std::string last_error;
    std::int64_t consecutive_failures = 0;
};

nlohmann::json to_json(const HealthAlert& health);
HealthAlert health_from_json(const nlohmann::json& json);  // throws nlohmann::json::exception on a bad document

struct Message {
    std::string idempotency_key;
    bool digest = false;
    std::vector<Alert> alerts;  // one unless digest; empty for a health alert
    std::optional<HealthAlert> health;
};

// Stable per (channel, feed, item, brief): the same alert always gets the same key, across retries
// and restarts, so a receiver can drop repeats. 32 hex characters.
std::string idempotency_key(std::string_view channel, std::string_view feed_id, std::string_view item_key,
                            std::string_view brief_id);
// A digest's key follows from its channel and the outbox ids of its members.
std::string digest_key(std::string_view channel, const std::vector<std::int64_t>& member_ids);

// Stable per (channel, feed, episode start): a restart never raises an episode twice, and the
// next episode (after a recovery) gets a new key.
std::string health_key(std::string_view channel, std::string_view feed_id, feed::UnixTime episode_start);

// The outbox's one-line description of an alert (signalctl alerts): "confirm · brief-id · score 7: Title".
std::string one_line_summary(const Alert& alert);
// "feed wire failing for 2 d".
std::string one_line_summary(const HealthAlert& health);

}  // namespace signalmon::alert
