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
    // Rate-limited to a few pings per period, so calling it often (after every feed) is cheap.
    void watchdog();

    // How often watchdog() must be called, if systemd asked for it (WatchdogSec=): half the limit.
    std::optional<std::chrono::milliseconds> watchdog_period() const { return m_watchdog_period; }

private:
    void send(const std::string& message);

    std::optional<std::chrono::milliseconds> m_watchdog_period;
    std::chrono::steady_clock::time_point m_last_watchdog{};
};

}  // namespace signalmon::app
