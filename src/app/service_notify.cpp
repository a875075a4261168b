// sd_notify wrappers; libsystemd does the socket work and ignores calls outside systemd.
#include "app/service_notify.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include <ctime>

namespace signalmon::app {
namespace {

std::uint64_t monotonic_microseconds() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000u + static_cast<std::uint64_t>(now.tv_nsec) / 1000u;
}

// STATUS= is one line: a newline would start a new assignment.
std::string one_line(std::string_view text) {
    std::string line(text);
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return line;
}

}  // namespace

ServiceNotifier::ServiceNotifier() {
    std::uint64_t limit_us = 0;
    if (sd_watchdog_enabled(0, &limit_us) > 0 && limit_us > 0) {
        m_watchdog_period = std::chrono::milliseconds(limit_us / 2000u);
    }
}

void ServiceNotifier::ready(std::string_view status) { send("READY=1\nSTATUS=" + one_line(status)); }

void ServiceNotifier::status(std::string_view status) { send("STATUS=" + one_line(status)); }

// systemd ≥ 253 checks MONOTONIC_USEC against its own clock to pair this with the reload request.
void ServiceNotifier::reloading() {
    send("RELOADING=1\nSTATUS=reloading\nMONOTONIC_USEC=" + std::to_string(monotonic_microseconds()));
}

void ServiceNotifier::stopping() { send("STOPPING=1\nSTATUS=stopping"); }

void ServiceNotifier::watchdog() {
    if (!m_watchdog_period) return;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_last_watchdog < *m_watchdog_period / 2) return;
    m_last_watchdog = now;
    send("WATCHDOG=1");
}

void ServiceNotifier::send(const std::string& message) {
    if (const int result = sd_notify(0, message.c_str()); result < 0) {
        spdlog::debug("sd_notify failed: error {}", -result);
    }
}

}  // namespace signalmon::app
