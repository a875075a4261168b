// The daemon's control socket: a Unix stream socket speaking one JSON object per line each way.
// Requests: {"command":"status"}, {"command":"reload"}, {"command":"poll","feed":"ID"} (feed optional).
// Replies carry "ok": true|false and, when false, "error".
#pragma once

#include <chrono>
#include <deque>
#include <expected>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/socket_server.hpp"
#include "config/config.hpp"

namespace signalmon::app {

// A request the scheduler loop must carry out (reload, poll); the control thread waits for reply.
struct ControlRequest {
    nlohmann::json command;
    std::promise<nlohmann::json> reply;
};

class ControlServer {
public:
    // Answers status requests itself (status must be safe to call from another thread) and queues
    // the rest for the loop. Throws std::runtime_error if the socket cannot be made, or if another
    // daemon already answers on it.
    ControlServer(std::filesystem::path path, std::function<nlohmann::json()> status);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Readable while requests wait in the queue: poll() it alongside the loop's other descriptors.
    int wake_fd() const { return m_wake_fd; }
    std::vector<std::unique_ptr<ControlRequest>> take_requests();
    const std::filesystem::path& path() const { return m_path; }

private:
    void answer(int client);

    std::filesystem::path m_path;
    std::function<nlohmann::json()> m_status;
    int m_wake_fd = -1;
    std::mutex m_mutex;
    std::deque<std::unique_ptr<ControlRequest>> m_queue;
    std::unique_ptr<SocketServer> m_server;  // last: its threads use the members above
};

// control_socket from the config; else $RUNTIME_DIRECTORY/control.sock under systemd; else
// state_dir/control.sock.
std::filesystem::path control_socket_path(const config::Config& config);

// Sends one request and waits up to timeout for the reply. The error says why in a sentence.
std::expected<nlohmann::json, std::string> control_request(const std::filesystem::path& socket,
                                                           const nlohmann::json& request, std::chrono::seconds timeout);

}  // namespace signalmon::app
