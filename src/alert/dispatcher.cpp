// The outbox dispatcher.
#include "alert/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "alert/secrets.hpp"

namespace signalmon::alert {
namespace {

constexpr std::int64_t k_batch = 50;

}  // namespace

Message message_from_row(const store::OutboxRow& row) {
    Message message{.idempotency_key = row.idempotency_key, .digest = row.digest, .alerts = {}, .health = {}};
    const nlohmann::json payload = nlohmann::json::parse(row.payload);
    if (row.kind == "health") {
        message.health = health_from_json(payload);
    } else if (row.digest) {
        for (const auto& alert : payload.at("alerts")) message.alerts.push_back(alert_from_json(alert));
    } else {
        message.alerts.push_back(alert_from_json(payload));
    }
    return message;
}

Dispatcher::Dispatcher(const config::AlertsConfig& config, std::string user_agent, store::Store& store)
    : Dispatcher(config, store, std::make_unique<NetworkSender>(std::move(user_agent), config)) {}

Dispatcher::Dispatcher(config::AlertsConfig config, store::Store& store, std::unique_ptr<Sender> sender)
    : m_config(std::move(config)), m_store(store), m_sender(std::move(sender)) {
    for (const config::Channel& channel : m_config.channels) {
        const auto& ref =
            channel.type == config::Channel::Type::email ? channel.email.password : channel.webhook.secret;
        if (!ref) continue;
        auto secret = resolve_secret(*ref);
        if (!secret) throw std::runtime_error("alert channel '" + channel.id + "': " + secret.error());
        m_secrets.emplace(channel.id, std::move(*secret));
    }
}

std::optional<feed::UnixTime> Dispatcher::rate_limited_until(const config::Channel& channel, feed::UnixTime now) {
    if (channel.rate_limit.count == 0) return std::nullopt;
    const auto [count, oldest] = m_store.sent_since(channel.id, now - channel.rate_limit.per.count());
    if (count < channel.rate_limit.count || !oldest) return std::nullopt;
    return *oldest + channel.rate_limit.per.count();
}

void Dispatcher::build_digests(feed::UnixTime now, DeliveryStats& stats) {
    for (const std::string& channel_id : m_store.channels_with_due_held(now)) {
        const config::Channel* channel = m_config.channel(channel_id);
        const auto members = m_store.due_held(channel_id, now);
        if (!channel) {
            for (const auto& row : members)
                m_store.outbox_attempted(row.id, "failed", now, row.not_before,
                                         "channel '" + channel_id + "' is no longer configured");
            stats.failed += members.size();
            continue;
        }
        if (const auto until = rate_limited_until(*channel, now)) {
            m_store.outbox_delay_held(channel_id, *until);
            continue;
        }
        nlohmann::json alerts = nlohmann::json::array();
        std::vector<std::int64_t> ids;
        for (const auto& row : members) {
            ids.push_back(row.id);
            alerts.push_back(nlohmann::json::parse(row.payload, nullptr, false));
        }
        const std::string key = digest_key(channel_id, ids);
        const std::string summary =
            "digest of " + std::to_string(ids.size()) + (ids.size() == 1 ? " alert" : " alerts");
        const nlohmann::json payload{{"alerts", std::move(alerts)}};
        const auto digest_id = m_store.create_digest(
            channel_id, key, summary, payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), ids, now);
        spdlog::info("alerts: folded {} held alerts for channel {} into digest #{}", ids.size(), channel_id, digest_id);
        ++stats.digests;
    }
}

bool Dispatcher::deliver(const store::OutboxRow& row, feed::UnixTime now, std::map<std::string, feed::UnixTime>& paused,
                         DeliveryStats& stats) {
    const config::Channel* channel = m_config.channel(row.channel);
    if (!channel) {
        m_store.outbox_attempted(row.id, "failed", now, row.not_before,
                                 "channel '" + row.channel + "' is no longer configured");
        ++stats.failed;
        return true;
    }
    // A digest is built only when the channel has room, so only single alerts are held back here.
    // A digest carries hit alerts only: a health alert waits for room and then goes alone.
    if (!row.digest) {
        if (const auto until = rate_limited_until(*channel, now)) {
            if (row.kind == "health") {
                m_store.outbox_defer(row.id, *until);
            } else {
                m_store.outbox_hold(row.id, *until, "over the rate limit: goes in the next digest");
            }
            ++stats.held;
            return true;
        }
    }
    // One timeout per failing channel per pass, not one per queued alert: the rest wait with it.
    if (const auto until = paused.find(row.channel); until != paused.end()) {
        m_store.outbox_defer(row.id, until->second);
        ++stats.retrying;
        return true;
    }
    Message message;
    try {
        message = message_from_row(row);
    } catch (const nlohmann::json::exception& error) {
        m_store.outbox_attempted(row.id, "failed", now, row.not_before,
                                 std::string("unreadable payload: ") + error.what());
        ++stats.failed;
        return true;
    }
    const auto secret = m_secrets.find(channel->id);
    const AttemptResult result =
        m_sender->send(*channel, message, secret == m_secrets.end() ? std::string() : secret->second, now);
    const auto attempts = row.attempts + 1;
    switch (result.outcome) {
        case AttemptResult::Outcome::delivered:
            spdlog::info("alerts: #{} delivered to {} (key {}, attempt {})", row.id, row.channel, row.idempotency_key,
                         attempts);
            ++stats.sent;
            return record_attempt(row, "sent", now, row.not_before, "");
        case AttemptResult::Outcome::retry: {
            const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
            auto delay = backoff_delay(static_cast<int>(attempts), m_config.retry_base, m_config.retry_max, unit);
            // A Retry-After longer than the backoff is the receiver pausing the channel: obeyed up to
            // max_age however long it asks, and the alert waits it out rather than dying of it (the
            // other alerts of the channel wait with it, through `paused`).
            const bool receiver_pause = result.retry_after && *result.retry_after > delay;
            if (receiver_pause) delay = std::min(*result.retry_after, m_config.max_age);
            const feed::UnixTime next = now + delay.count();
            if (!receiver_pause && next - row.queued_at > m_config.max_age.count()) {
                const std::string error = "gave up after " + std::to_string(attempts) + " attempts: " + result.error;
                spdlog::error("alerts: #{} to {} is dead: {}", row.id, row.channel, error);
                ++stats.failed;
                return record_attempt(row, "failed", now, row.not_before, error);
            }
            paused.emplace(row.channel, next);
            spdlog::warn("alerts: #{} to {} failed ({}), retry in {}s", row.id, row.channel, result.error,
                         delay.count());
            ++stats.retrying;
            return record_attempt(row, "pending", now, next, result.error);
        }
        case AttemptResult::Outcome::permanent:
            spdlog::error("alerts: #{} to {} failed permanently: {}", row.id, row.channel, result.error);
            ++stats.failed;
            return record_attempt(row, "failed", now, row.not_before, result.error);
    }
    return true;
}

bool Dispatcher::record_attempt(const store::OutboxRow& row, std::string_view status, feed::UnixTime now,
                                feed::UnixTime not_before, std::string_view error) {
    try {
        m_store.outbox_attempted(row.id, status, now, not_before, error);
        return true;
    } catch (const store::StoreError& failure) {
        m_unrecorded.push_back({row.id, std::string(status), now, not_before, std::string(error)});
        const auto delay = back_off_recording(now);
        spdlog::error(
            "alerts: #{} to {} was attempted ({}) but the store cannot record it: {}; nothing is sent until "
            "it can (next try in {}s)",
            row.id, row.channel, status, failure.what(), delay.count());
        return false;
    }
}

std::chrono::seconds Dispatcher::back_off_recording(feed::UnixTime now) {
    const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
    const auto delay = backoff_delay(++m_record_failures, m_config.retry_base, m_config.retry_max, unit);
    m_record_retry_at = now + delay.count();
    return delay;
}

bool Dispatcher::record_kept(feed::UnixTime now) {
    if (m_unrecorded.empty()) return true;
    if (now < m_record_retry_at) return false;
    while (!m_unrecorded.empty()) {
        const UnrecordedAttempt& kept = m_unrecorded.front();
        try {
            m_store.outbox_attempted(kept.id, kept.status, kept.attempted_at, kept.not_before, kept.error);
        } catch (const store::StoreError& failure) {
            const auto delay = back_off_recording(now);
            spdlog::warn("alerts: still cannot record #{}: {} (next try in {}s)", kept.id, failure.what(),
                         delay.count());
            return false;
        }
        spdlog::info("alerts: #{} recorded as {} after the store refused it", kept.id, kept.status);
        m_unrecorded.erase(m_unrecorded.begin());
    }
    m_record_failures = 0;
    return true;
}

DeliveryStats Dispatcher::deliver_due(feed::UnixTime now, bool fold_digests) {
    DeliveryStats stats;
    if (!record_kept(now)) return stats;
    try {
        if (fold_digests) build_digests(now, stats);
        std::map<std::string, feed::UnixTime> paused;
        // Every row handled leaves the due set (sent, failed, held or retried later), so this ends;
        // a row whose attempt could not be recorded stays due, so the pass stops at it.
        for (auto rows = m_store.due_outbox(now, k_batch); !rows.empty(); rows = m_store.due_outbox(now, k_batch)) {
            for (const store::OutboxRow& row : rows) {
                if (!deliver(row, now, paused, stats)) return stats;
            }
        }
    } catch (const std::exception& error) {
        spdlog::error("alerts: outbox: {} (delivery resumes on the next turn)", error.what());
    }
    return stats;
}

std::optional<feed::UnixTime> Dispatcher::next_wake() {
    if (!m_unrecorded.empty()) return m_record_retry_at;
    try {
        return m_store.next_outbox_time();
    } catch (const std::exception& error) {
        spdlog::error("alerts: outbox: {}", error.what());
        return std::nullopt;
    }
}

}  // namespace signalmon::alert
