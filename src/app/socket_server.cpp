// The accepting thread and the per-client threads of SocketServer, and deadline-bounded reads.
#include "app/socket_server.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace signalmon::app {

SocketServer::SocketServer(int listen_fd, std::size_t max_clients, std::string busy_reply, Handler handle)
    : m_listen_fd(listen_fd),
      m_max_clients(max_clients),
      m_busy_reply(std::move(busy_reply)),
      m_handle(std::move(handle)) {
    m_stop_fd = ::eventfd(0, EFD_CLOEXEC);
    if (m_stop_fd < 0) {
        ::close(m_listen_fd);
        throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
    }
    m_thread = std::thread([this] { accept_clients(); });
}

SocketServer::~SocketServer() {
    stop();
    for (Client& client : m_clients) client.thread.join();
    ::close(m_stop_fd);
    ::close(m_listen_fd);
}

void SocketServer::stop() {
    if (!m_thread.joinable()) return;
    const std::uint64_t one = 1;
    if (::write(m_stop_fd, &one, sizeof one) != sizeof one) spdlog::warn("socket server: cannot stop its thread");
    m_thread.join();
}

void SocketServer::accept_clients() {
    std::array<pollfd, 2> descriptors{pollfd{.fd = m_listen_fd, .events = POLLIN, .revents = 0},
                                      pollfd{.fd = m_stop_fd, .events = POLLIN, .revents = 0}};
    while (true) {
        if (::poll(descriptors.data(), descriptors.size(), -1) < 0) {
            if (errno == EINTR) continue;
            spdlog::error("socket server: poll: {}", std::strerror(errno));
            return;
        }
        if (descriptors[1].revents != 0) return;
        if (descriptors[0].revents == 0) continue;
        const int client = ::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        std::erase_if(m_clients, [](Client& served) {
            if (!served.done->load()) return false;
            served.thread.join();
            return true;
        });
        if (m_clients.size() >= m_max_clients) {
            set_send_timeout(client, std::chrono::seconds(1));
            write_all(client, m_busy_reply);
            ::close(client);
            continue;
        }
        auto done = std::make_shared<std::atomic<bool>>(false);
        m_clients.push_back({std::thread([this, client, done] {
                                 m_handle(client);
                                 ::close(client);
                                 done->store(true);
                             }),
                             done});
    }
}

std::optional<std::string> read_until(int fd, std::string_view terminator, std::size_t max_bytes,
                                      std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    std::string data;
    char buffer[4096];
    while (data.find(terminator) == std::string::npos) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd readable{.fd = fd, .events = POLLIN, .revents = 0};
        if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) == 0) return std::nullopt;
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return std::nullopt;
        if (got == 0) break;
        data.append(buffer, static_cast<std::size_t>(got));
        if (data.size() > max_bytes) return std::nullopt;
    }
    return data;
}

bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t written = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

void set_send_timeout(int fd, std::chrono::seconds timeout) {
    const timeval value{.tv_sec = static_cast<time_t>(timeout.count()), .tv_usec = 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, sizeof value);
}

}  // namespace signalmon::app
