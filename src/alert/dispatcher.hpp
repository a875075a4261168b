// Works off the alert outbox: folds held alerts into digests, enforces each channel's rate limit,
// delivers, and records every attempt; failures back off and retry until max_age, then go dead.
#pragma once

#include <map>
#include <optional>
#include <random>
#include <string>

#include "alert/alert.hpp"
#include "alert/retry_policy.hpp"
#include "config/alerts_config.hpp"
#include "store/store.hpp"

namespace signalmon::alert {

struct DeliveryStats {
    std::size_t sent = 0;
    std::size_t retrying = 0;  // attempted and failed, or waiting behind a failing channel
    std::size_t failed = 0;
    std::size_t held = 0;     // over a rate limit, waiting to be folded into a digest
    std::size_t digests = 0;  // digests built
};

class Dispatcher {
public:
    // Reads every channel's secret now, so a missing one stops the daemon at startup.
    // Throws std::runtime_error naming the channel and where the secret should be.
    Dispatcher(config::AlertsConfig config, std::string user_agent, store::Store& store);

    // Sends everything due at now. A failing channel never holds up the others.
    DeliveryStats deliver_due(feed::UnixTime now);

    // When deliver_due next has work (a retry, a digest, a held alert); nullopt when the outbox is idle.
    std::optional<feed::UnixTime> next_wake();

private:
    void build_digests(feed::UnixTime now, DeliveryStats& stats);
    // paused: channels that failed transiently in this pass, and when to try them again.
    void deliver(const store::OutboxRow& row, feed::UnixTime now, std::map<std::string, feed::UnixTime>& paused,
                 DeliveryStats& stats);
    AttemptResult attempt(const config::Channel& channel, const Message& message, feed::UnixTime now);
    // The time the channel may send again, or nullopt if it may send now.
    std::optional<feed::UnixTime> rate_limited_until(const config::Channel& channel, feed::UnixTime now);

    config::AlertsConfig m_config;
    std::string m_user_agent;
    store::Store& m_store;
    std::map<std::string, std::string> m_secrets;  // by channel id
    std::mt19937_64 m_random{std::random_device{}()};
};

// The message an outbox row delivers; throws nlohmann::json::exception on a damaged payload.
Message message_from_row(const store::OutboxRow& row);

}  // namespace signalmon::alert
