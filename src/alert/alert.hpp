// What one alert says, frozen when the hit is stored (so a later rule edit cannot change a queued
// alert), and the messages the dispatcher delivers: one alert, or a digest of several.
#pragma once

#include <nlohmann/json.hpp>

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

struct Alert {
    std::string brief_id;
    std::string brief_title;
    std::string kind;  // of the heaviest signal; kill before confirm before watch on a tie
    int score = 0;
    int threshold = 0;
    std::string feed;
    std::string item_key;
    std::string title;
    std::string link;
    std::optional<feed::UnixTime> published;
    feed::UnixTime found_at = 0;
    std::vector<AlertSignal> signals;
};

// brief may be null when the rules no longer know the verdict's brief.
Alert make_alert(const rules::Brief* brief, std::string_view feed_id, const feed::Item& item,
                 const score::Verdict& verdict, feed::UnixTime found_at);

nlohmann::json to_json(const Alert& alert);
Alert alert_from_json(const nlohmann::json& json);  // throws nlohmann::json::exception on a bad document

struct Message {
    std::string idempotency_key;
    bool digest = false;
    std::vector<Alert> alerts;  // one unless digest
};

// Stable per (channel, feed, item, brief): the same alert always gets the same key, across retries
// and restarts, so a receiver can drop repeats. 32 hex characters.
std::string idempotency_key(std::string_view channel, std::string_view feed_id, std::string_view item_key,
                            std::string_view brief_id);
// A digest's key follows from its channel and the outbox ids of its members.
std::string digest_key(std::string_view channel, const std::vector<std::int64_t>& member_ids);

// Text for the sender's side of an alert: "confirm · brief-id · score 7: Title".
std::string one_line_summary(const Alert& alert);

}  // namespace signalmon::alert
