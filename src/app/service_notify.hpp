// The systemd notification protocol (sd_notify): readiness, status, reload, stop and watchdog.
// Every call does nothing when the daemon does not run under systemd (no NOTIFY_SOCKET).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace signalmon::app {

class ServiceNotifier {
public:
    ServiceNotifier();

    void ready(std::string_view status);
    void status(std::string_view status);
    void reloading();
    void stopping();
    void watchdog();

    // How often watchdog() must be called, if systemd asked for it (WatchdogSec=): half the limit.
    std::optional<std::chrono::milliseconds> watchdog_period() const { return m_watchdog_period; }

private:
    void send(const std::string& message);

    std::optional<std::chrono::milliseconds> m_watchdog_period;
};

}  // namespace signalmon::app
