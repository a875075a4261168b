// The wire as the dispatcher sees it: one message on one channel, and what became of it. The
// dispatcher's tests answer through a fake; the daemon renders and sends with libcurl.
#pragma once

#include <string>

#include "alert/alert.hpp"
#include "alert/retry_policy.hpp"
#include "config/alerts_config.hpp"

namespace signalmon::alert {

class Sender {
public:
    Sender() = default;
    Sender(const Sender&) = delete;
    Sender& operator=(const Sender&) = delete;
    Sender(Sender&&) = delete;
    Sender& operator=(Sender&&) = delete;
    virtual ~Sender() = default;
    // secret is the channel's webhook signing key or SMTP password (empty when it has none).
    virtual AttemptResult send(const config::Channel& channel, const Message& message, const std::string& secret,
                               feed::UnixTime now) = 0;
};

// Renders the message for its channel (alert/email.hpp, alert/webhook.hpp) and sends it (alert/transport.hpp).
class NetworkSender final : public Sender {
public:
    // settings: what every rendering reads (time zone, the ledger's public URL).
    NetworkSender(std::string user_agent, config::AlertsConfig settings)
        : m_user_agent(std::move(user_agent)), m_settings(std::move(settings)) {}
    AttemptResult send(const config::Channel& channel, const Message& message, const std::string& secret,
                       feed::UnixTime now) override;

private:
    std::string m_user_agent;
    config::AlertsConfig m_settings;
};

}  // namespace signalmon::alert
