// inotify for the events, a timerfd for the debounce, an epoll descriptor joining them.
#include "rules/watcher.hpp"

#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace signalmon::rules {

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::system_error(errno, std::generic_category(), what); }

// Editors' swap and backup files (".x.yaml.swp", "x.yaml~") are not rule files.
bool is_rule_file(std::string_view name) { return name.ends_with(".yaml") && !name.starts_with('.'); }

}  // namespace

RulesWatcher::RulesWatcher(const std::filesystem::path& dir, std::chrono::milliseconds debounce)
    : m_dir(dir), m_debounce(std::max(debounce, std::chrono::milliseconds(1))) {
    m_inotify = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    m_timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    if (m_inotify < 0 || m_timer < 0 || m_epoll < 0) {
        const int error = errno;
        close_all();
        errno = error;
        fail("cannot set up the rules watcher");
    }
    constexpr std::uint32_t k_events =
        IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB;
    epoll_event inotify_event{.events = EPOLLIN, .data = {.fd = m_inotify}};
    epoll_event timer_event{.events = EPOLLIN, .data = {.fd = m_timer}};
    if (inotify_add_watch(m_inotify, dir.c_str(), k_events) < 0 ||
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_inotify, &inotify_event) < 0 ||
        epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_timer, &timer_event) < 0) {
        const int error = errno;
        close_all();
        errno = error;
        fail("cannot watch " + dir.string());
    }
}

RulesWatcher::~RulesWatcher() { close_all(); }

void RulesWatcher::close_all() {
    for (int* descriptor : {&m_epoll, &m_timer, &m_inotify}) {
        if (*descriptor >= 0) ::close(*descriptor);
        *descriptor = -1;
    }
}

bool RulesWatcher::changed() {
    alignas(inotify_event) std::array<char, 4096> buffer{};
    bool relevant = false;
    for (ssize_t got = 0; (got = ::read(m_inotify, buffer.data(), buffer.size())) > 0;) {
        for (std::size_t at = 0; at < static_cast<std::size_t>(got);) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
            relevant = relevant || (event->len > 0 && is_rule_file(event->name)) || (event->mask & IN_Q_OVERFLOW) != 0;
            at += sizeof(inotify_event) + event->len;
        }
    }
    if (relevant) {
        // Each change restarts the quiet period.
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(m_debounce);
        const auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(m_debounce - seconds);
        const itimerspec due{.it_interval = {},
                             .it_value = {.tv_sec = seconds.count(), .tv_nsec = nanoseconds.count()}};
        timerfd_settime(m_timer, 0, &due, nullptr);
        return false;
    }
    std::uint64_t expirations = 0;
    return ::read(m_timer, &expirations, sizeof expirations) == sizeof expirations && expirations > 0;
}

}  // namespace signalmon::rules
