// The daemon's control socket: a Unix stream socket speaking one JSON object per line each way.
// Requests: {"command":"status"}, {"command":"reload"}, {"command":"poll","feed":"ID"} (feed optional).
// Replies carry "ok": true|false and, when false, "error".
#pragma once

#include <atomic>
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
#include <thread>
#include <vector>

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
    void serve();
    void answer(int client);

    std::filesystem::path m_path;
    std::function<nlohmann::json()> m_status;
    int m_listen_fd = -1;
    int m_wake_fd = -1;
    int m_stop_fd = -1;
    std::mutex m_mutex;
    std::deque<std::unique_ptr<ControlRequest>> m_queue;
    std::thread m_thread;
    // One thread per client being served, so an idle client never keeps `status` from answering.
    // Only the serving thread touches the list (and the destructor, after it has joined).
    struct Client {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::vector<Client> m_clients;
};

// control_socket from the config; else $RUNTIME_DIRECTORY/control.sock under systemd; else
// state_dir/control.sock.
std::filesystem::path control_socket_path(const config::Config& config);

// Sends one request and waits up to timeout for the reply. The error says why in a sentence.
std::expected<nlohmann::json, std::string> control_request(const std::filesystem::path& socket,
                                                           const nlohmann::json& request, std::chrono::seconds timeout);

}  // namespace signalmon::app
