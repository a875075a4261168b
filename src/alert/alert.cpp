// Alert content: built from a verdict, stored as JSON in the outbox, read back for delivery.
#include "alert/alert.hpp"

#include <algorithm>

#include "alert/crypto.hpp"
#include "feed/date.hpp"
#include "text/utf8.hpp"

namespace signalmon::alert {
namespace {

int kind_rank(rules::Kind kind) {
    switch (kind) {
        case rules::Kind::kill: return 2;
        case rules::Kind::confirm: return 1;
        case rules::Kind::watch: return 0;
    }
    return 0;
}

// The largest whole unit, so a subject stays short: "2 d", "5 h", "12 min", "3 s".
std::string rough_duration(feed::UnixTime seconds) {
    if (seconds >= 86'400) return std::to_string(seconds / 86'400) + " d";
    if (seconds >= 3'600) return std::to_string(seconds / 3'600) + " h";
    if (seconds >= 60) return std::to_string(seconds / 60) + " min";
    return std::to_string(std::max<feed::UnixTime>(seconds, 0)) + " s";
}

}  // namespace

Alert make_alert(const rules::Brief* brief, std::string_view feed_id, const feed::Item& item,
                 const score::Verdict& verdict, feed::UnixTime found_at) {
    Alert alert;
    alert.brief_id = verdict.brief_id;
    alert.brief_title = brief ? brief->title : "";
    alert.score = verdict.top_score();
    alert.threshold = verdict.threshold;
    alert.scores = verdict.scores;
    alert.feed = std::string(feed_id);
    alert.item_key = item.key;
    alert.title = item.title;
    alert.link = item.link;
    alert.summary = text::truncate_utf8(item.summary, k_alert_summary_bytes);
    if (alert.summary.size() < item.summary.size()) alert.summary += "…";
    alert.published = item.published;
    alert.found_at = found_at;
    const score::SignalHit* strongest = nullptr;
    for (const score::SignalHit& hit : verdict.hits) {
        if (!strongest || hit.weight > strongest->weight ||
            (hit.weight == strongest->weight && kind_rank(hit.kind) > kind_rank(strongest->kind))) {
            strongest = &hit;
        }
        AlertSignal signal{.id = hit.signal_id,
                           .kind = std::string(rules::kind_name(hit.kind)),
                           .weight = hit.weight,
                           .says = {},
                           .terms = hit.terms,
                           .snippet = hit.snippet};
        if (brief) {
            const auto found = std::ranges::find(brief->signals, hit.signal_id, &rules::Signal::id);
            if (found != brief->signals.end()) signal.says = found->says;
        }
        alert.signals.push_back(std::move(signal));
    }
    // The alert's kind is its strongest alerting kind, so a kill story is never labelled by a
    // weaker watch signal beside it.
    alert.kind = strongest ? std::string(rules::kind_name(strongest->kind)) : "watch";
    for (const rules::Kind kind : {rules::Kind::watch, rules::Kind::confirm, rules::Kind::kill}) {
        if (verdict.alerting_for(kind) && verdict.score(kind) == alert.score) alert.kind = rules::kind_name(kind);
    }
    return alert;
}

nlohmann::json to_json(const Alert& alert) {
    nlohmann::json signals = nlohmann::json::array();
    for (const AlertSignal& signal : alert.signals) {
        signals.push_back({{"id", signal.id},
                           {"kind", signal.kind},
                           {"weight", signal.weight},
                           {"says", signal.says},
                           {"terms", signal.terms},
                           {"snippet", signal.snippet}});
    }
    nlohmann::json json{
        {"brief", {{"id", alert.brief_id}, {"title", alert.brief_title}}},
        {"kind", alert.kind},
        {"score", alert.score},
        {"scores",
         {{"confirm", alert.scores[score::kind_index(rules::Kind::confirm)]},
          {"kill", alert.scores[score::kind_index(rules::Kind::kill)]},
          {"watch", alert.scores[score::kind_index(rules::Kind::watch)]}}},
        {"threshold", alert.threshold},
        {"feed", alert.feed},
        {"item_id", alert.item_key},
        {"title", alert.title},
        {"link", alert.link},
        {"summary", alert.summary},
        {"found_at", feed::format_rfc3339(alert.found_at)},
        {"signals", std::move(signals)},
    };
    if (alert.published) json["published"] = feed::format_rfc3339(*alert.published);
    return json;
}

Alert alert_from_json(const nlohmann::json& json) {
    Alert alert;
    alert.brief_id = json.at("brief").at("id").get<std::string>();
    alert.brief_title = json.at("brief").at("title").get<std::string>();
    alert.kind = json.at("kind").get<std::string>();
    alert.score = json.at("score").get<int>();
    alert.threshold = json.at("threshold").get<int>();
    if (const auto scores = json.find("scores"); scores != json.end()) {  // absent in rows queued before 0.3
        for (const rules::Kind kind : {rules::Kind::confirm, rules::Kind::kill, rules::Kind::watch}) {
            alert.scores[score::kind_index(kind)] = scores->value(std::string(rules::kind_name(kind)), 0);
        }
    }
    alert.feed = json.at("feed").get<std::string>();
    alert.item_key = json.at("item_id").get<std::string>();
    alert.title = json.at("title").get<std::string>();
    alert.link = json.at("link").get<std::string>();
    alert.summary = json.value("summary", "");  // absent in rows queued before alerts carried it
    alert.found_at = feed::parse_date(json.at("found_at").get<std::string>()).value_or(0);
    if (json.contains("published")) alert.published = feed::parse_date(json.at("published").get<std::string>());
    for (const auto& signal : json.at("signals")) {
        alert.signals.push_back(AlertSignal{.id = signal.at("id").get<std::string>(),
                                            .kind = signal.at("kind").get<std::string>(),
                                            .weight = signal.at("weight").get<int>(),
                                            .says = signal.at("says").get<std::string>(),
                                            .terms = signal.at("terms").get<std::vector<std::string>>(),
                                            .snippet = signal.at("snippet").get<std::string>()});
    }
    return alert;
}

nlohmann::json to_json(const HealthAlert& health) {
    nlohmann::json json{
        {"feed", health.feed},
        {"url", health.url},
        {"problem", health.problem},
        {"detail", health.detail},
        {"since", feed::format_rfc3339(health.since)},
        {"detected_at", feed::format_rfc3339(health.detected_at)},
        {"last_error", health.last_error},
        {"consecutive_failures", health.consecutive_failures},
    };
    if (health.last_success) json["last_success"] = feed::format_rfc3339(*health.last_success);
    return json;
}

HealthAlert health_from_json(const nlohmann::json& json) {
    HealthAlert health;
    health.feed = json.at("feed").get<std::string>();
    health.url = json.at("url").get<std::string>();
    health.problem = json.at("problem").get<std::string>();
    health.detail = json.at("detail").get<std::string>();
    health.since = feed::parse_date(json.at("since").get<std::string>()).value_or(0);
    health.detected_at = feed::parse_date(json.at("detected_at").get<std::string>()).value_or(0);
    health.last_error = json.at("last_error").get<std::string>();
    health.consecutive_failures = json.at("consecutive_failures").get<std::int64_t>();
    if (json.contains("last_success"))
        health.last_success = feed::parse_date(json.at("last_success").get<std::string>());
    return health;
}

std::string idempotency_key(std::string_view channel, std::string_view feed_id, std::string_view item_key,
                            std::string_view brief_id) {
    // NUL separators: no field can contain one, so distinct tuples never hash the same text.
    std::string text;
    for (std::string_view part : {channel, feed_id, item_key, brief_id}) {
        text += part;
        text += '\0';
    }
    return sha256_hex(text).substr(0, 32);
}

std::string digest_key(std::string_view channel, const std::vector<std::int64_t>& member_ids) {
    std::string text = "digest";
    text += '\0';
    text += channel;
    for (std::int64_t id : member_ids) text += '\0' + std::to_string(id);
    return sha256_hex(text).substr(0, 32);
}

std::string health_key(std::string_view channel, std::string_view feed_id, feed::UnixTime episode_start) {
    std::string text = "health";
    for (std::string_view part : {channel, feed_id}) {
        text += '\0';
        text += part;
    }
    text += '\0' + std::to_string(episode_start);
    return sha256_hex(text).substr(0, 32);
}

std::string one_line_summary(const Alert& alert) {
    return alert.kind + " · " + alert.brief_id + " · score " + std::to_string(alert.score) + ": " + alert.title;
}

std::string one_line_summary(const HealthAlert& health) {
    return "feed " + health.feed + " " + health.problem + " for " + rough_duration(health.detected_at - health.since);
}

}  // namespace signalmon::alert
