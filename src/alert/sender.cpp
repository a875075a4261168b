// Delivery over the network.
#include "alert/sender.hpp"

#include "alert/email.hpp"
#include "alert/transport.hpp"
#include "alert/webhook.hpp"

namespace signalmon::alert {

AttemptResult NetworkSender::send(const config::Channel& channel, const Message& message, const std::string& secret,
                                  feed::UnixTime now) {
    if (channel.type == config::Channel::Type::email) {
        return send_smtp(channel.email, secret, render_email(message, channel.email, m_settings, now), channel.timeout);
    }
    return post_http(render_webhook(message, channel.webhook, secret, m_settings, now), m_user_agent, channel.timeout);
}

}  // namespace signalmon::alert
