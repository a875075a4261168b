// Serving stream-socket clients each on a thread of its own, with deadlines, so an idle or
// trickling client never delays another: shared by the control socket and the metrics endpoint.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace signalmon::app {

class SocketServer {
public:
    using Handler = std::function<void(int client)>;

    // Takes listen_fd (bound and listening) and accepts on it from its own thread; each client is
    // handed to handle on a new thread, at most max_clients at once (the next ones get busy_reply
    // and are closed). handle must return within a bounded time; the client is closed after it.
    // Throws std::runtime_error if the thread's stop descriptor cannot be made.
    SocketServer(int listen_fd, std::size_t max_clients, std::string busy_reply, Handler handle);
    ~SocketServer();  // stops accepting, then waits for every client being served
    SocketServer(const SocketServer&) = delete;
    SocketServer& operator=(const SocketServer&) = delete;

    // Stops accepting new clients; those being served carry on until the destructor waits for them.
    void stop();

private:
    void accept_clients();

    int m_listen_fd;
    int m_stop_fd = -1;
    std::size_t m_max_clients;
    std::string m_busy_reply;
    Handler m_handle;
    struct Client {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::vector<Client> m_clients;  // touched by the accepting thread only, then by the destructor
    std::thread m_thread;
};

// Reads until terminator has arrived (or the peer closes) within `within` in all, however the
// bytes trickle in. Returns everything read; nullopt on timeout, error, or more than max_bytes.
std::optional<std::string> read_until(int fd, std::string_view terminator, std::size_t max_bytes,
                                      std::chrono::milliseconds within);

bool write_all(int fd, std::string_view data);

// A send that blocks longer than this fails (SO_SNDTIMEO), so a client that never reads cannot
// hold its thread.
void set_send_timeout(int fd, std::chrono::seconds timeout);

}  // namespace signalmon::app
