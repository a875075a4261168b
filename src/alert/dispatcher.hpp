// Works off the alert outbox: folds held alerts into digests, enforces each channel's rate limit,
// delivers, and records every attempt; failures back off and retry until max_age, then go dead.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "alert/alert.hpp"
#include "alert/retry_policy.hpp"
#include "alert/sender.hpp"
#include "config/alerts_config.hpp"
#include "store/store.hpp"

namespace signalmon::alert {

struct DeliveryStats {
    std::size_t sent = 0;
    std::size_t retrying = 0;  // attempted and failed, or waiting behind a failing channel
    std::size_t failed = 0;
    std::size_t held = 0;     // over a rate limit: waiting to be folded into a digest (a health alert: for room)
    std::size_t digests = 0;  // digests built
};

class Dispatcher {
public:
    // Reads every channel's secret now, so a missing one stops the daemon at startup.
    // Throws std::runtime_error naming the channel and where the secret should be.
    Dispatcher(config::AlertsConfig config, store::Store& store, std::unique_ptr<Sender> sender);
    // Sends over the network (NetworkSender).
    Dispatcher(const config::AlertsConfig& config, std::string user_agent, store::Store& store);

    // Sends everything due at now. A failing channel never holds up the others.
    // fold_digests: false on a daemon that does not lead (one instance among several folds held
    // alerts into digests, app/leases.hpp); the others deliver what is due.
    DeliveryStats deliver_due(feed::UnixTime now, bool fold_digests = true);

    // When deliver_due next has work (a retry, a digest, a held alert); nullopt when the outbox is idle.
    std::optional<feed::UnixTime> next_wake();

private:
    void build_digests(feed::UnixTime now, DeliveryStats& stats);
    // paused: channels that failed transiently in this pass, and when to try them again. Returns
    // false when the attempt's outcome could not be recorded: the pass must stop there.
    bool deliver(const store::OutboxRow& row, feed::UnixTime now, std::map<std::string, feed::UnixTime>& paused,
                 DeliveryStats& stats);
    // Records an attempt's outcome, or keeps it to record later if the store refuses (a held lock,
    // a full disk): the row is still pending there, so until then nothing more is sent.
    bool record_attempt(const store::OutboxRow& row, std::string_view status, feed::UnixTime now,
                        feed::UnixTime not_before, std::string_view error);
    // Records the kept outcomes once their backoff has passed; true when none is left.
    bool record_kept(feed::UnixTime now);
    // Sets when to try recording again, by the retry backoff over the store's failures in a row.
    std::chrono::seconds back_off_recording(feed::UnixTime now);
    // The time the channel may send again, or nullopt if it may send now.
    std::optional<feed::UnixTime> rate_limited_until(const config::Channel& channel, feed::UnixTime now);

    config::AlertsConfig m_config;
    store::Store& m_store;
    std::unique_ptr<Sender> m_sender;
    std::map<std::string, std::string> m_secrets;  // by channel id
    std::mt19937_64 m_random{std::random_device{}()};

    // Attempts made but not recorded yet. Their rows still look pending in the store; sending
    // them again would deliver twice, so they wait here and the store is tried after a backoff.
    struct UnrecordedAttempt {
        std::int64_t id;
        std::string status;
        feed::UnixTime attempted_at;
        feed::UnixTime not_before;
        std::string error;
    };
    std::vector<UnrecordedAttempt> m_unrecorded;
    int m_record_failures = 0;
    feed::UnixTime m_record_retry_at = 0;
};

// The message an outbox row delivers; throws nlohmann::json::exception on a damaged payload.
Message message_from_row(const store::OutboxRow& row);

}  // namespace signalmon::alert
