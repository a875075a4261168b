// sd_notify messages as systemd would receive them on NOTIFY_SOCKET, and silence without it.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "app/service_notify.hpp"
#include "temp_dir.hpp"

using signalmon::app::ServiceNotifier;
using signalmon::testing::TempDir;

namespace {

// The receiving end of NOTIFY_SOCKET, bound for the life of one test.
class NotifySocket {
public:
    explicit NotifySocket(const std::filesystem::path& path) : m_fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        REQUIRE(::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        const timeval timeout{.tv_sec = 0, .tv_usec = 200'000};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~NotifySocket() { ::close(m_fd); }
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    // The next datagram, or "" after 200 ms of silence.
    std::string next() {
        char buffer[4096];
        const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, 0);
        return got > 0 ? std::string(buffer, static_cast<std::size_t>(got)) : std::string();
    }

private:
    int m_fd;
};

// Sets environment variables for one scope, as systemd would for the service.
class ScopedEnvironment {
public:
    ScopedEnvironment(std::initializer_list<std::pair<const char*, std::string>> values) {
        for (const auto& [name, value] : values) {
            ::setenv(name, value.c_str(), 1);
            m_names.push_back(name);
        }
    }
    ~ScopedEnvironment() {
        for (const char* name : m_names) ::unsetenv(name);
    }
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    std::vector<const char*> m_names;
};

}  // namespace

TEST_CASE("sd_notify: READY with STATUS, RELOADING, STOPPING and a rate-limited WATCHDOG") {
    TempDir dir;
    const auto path = dir.path() / "notify.sock";
    NotifySocket socket(path);
    const ScopedEnvironment environment{{"NOTIFY_SOCKET", path.string()}, {"WATCHDOG_USEC", "2000000"}};
    ServiceNotifier notifier;
    REQUIRE(notifier.watchdog_period().has_value());
    CHECK(notifier.watchdog_period()->count() == 1000);

    notifier.ready("3 feeds\n(0 failing)");
    CHECK(socket.next() == "READY=1\nSTATUS=3 feeds (0 failing)");
    notifier.status("polling");
    CHECK(socket.next() == "STATUS=polling");
    notifier.reloading();
    const std::string reloading = socket.next();
    CHECK(reloading.starts_with("RELOADING=1\nSTATUS=reloading\nMONOTONIC_USEC="));
    notifier.watchdog();
    notifier.watchdog();  // too soon after the first: not sent
    notifier.stopping();
    CHECK(socket.next() == "WATCHDOG=1");
    CHECK(socket.next() == "STOPPING=1\nSTATUS=stopping");
    CHECK(socket.next().empty());
}

TEST_CASE("sd_notify without NOTIFY_SOCKET or WATCHDOG_USEC does nothing") {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ServiceNotifier notifier;
    CHECK_FALSE(notifier.watchdog_period().has_value());
    notifier.ready("x");
    notifier.watchdog();
    notifier.stopping();
}
