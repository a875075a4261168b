// Control socket server (its own thread) and client; the loop does the real work of a request.
#include "app/control_socket.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace signalmon::app {
namespace {

constexpr std::size_t k_max_request_bytes = 64 * 1024;
// A client has this long, in all, to send its request line: an idle or trickling client is cut off
// and never delays another (each client has its own thread).
constexpr std::chrono::seconds k_request_deadline{2};
// Clients served at once; more are told the daemon is busy rather than left waiting.
constexpr std::size_t k_max_clients = 32;
// A poll request waits for the cycle in flight and then its own; a reload compiles every rule.
constexpr std::chrono::seconds k_loop_reply_timeout{600};

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor() {
        if (m_fd >= 0) ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd;
};

std::string system_error(std::string_view what) { return std::string(what) + ": " + std::strerror(errno); }

std::expected<sockaddr_un, std::string> socket_address(const std::filesystem::path& path) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string text = path.string();
    if (text.size() >= sizeof address.sun_path) {
        return std::unexpected("control socket path " + text + " is longer than " +
                               std::to_string(sizeof address.sun_path - 1) + " bytes");
    }
    std::memcpy(address.sun_path, text.c_str(), text.size() + 1);
    return address;
}

void set_timeout(int fd, int option, std::chrono::seconds timeout) {
    const timeval value{.tv_sec = static_cast<time_t>(timeout.count()), .tv_usec = 0};
    ::setsockopt(fd, SOL_SOCKET, option, &value, sizeof value);
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

// Reads up to the first newline (or the peer closing) within `within` in all, however the bytes
// trickle in; nullopt on timeout, error or overflow.
std::optional<std::string> read_line(int fd, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    std::string line;
    char buffer[4096];
    while (line.find('\n') == std::string::npos) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd readable{.fd = fd, .events = POLLIN, .revents = 0};
        if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) == 0) return std::nullopt;
        const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return std::nullopt;
        if (got == 0) break;
        line.append(buffer, static_cast<std::size_t>(got));
        if (line.size() > k_max_request_bytes) return std::nullopt;
    }
    line.resize(std::min(line.size(), line.find('\n')));
    return line;
}

nlohmann::json failure(std::string_view error) { return {{"ok", false}, {"error", error}}; }

}  // namespace

ControlServer::ControlServer(std::filesystem::path path, std::function<nlohmann::json()> status)
    : m_path(std::move(path)), m_status(std::move(status)) {
    const auto address = socket_address(m_path);
    if (!address) throw std::runtime_error(address.error());
    std::filesystem::create_directories(m_path.parent_path());
    if (std::filesystem::is_socket(m_path)) {
        FileDescriptor probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof *address) == 0) {
            throw std::runtime_error("another signalmond already answers on " + m_path.string());
        }
        std::filesystem::remove(m_path);  // left by a daemon that did not exit cleanly
    }
    FileDescriptor listener(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (listener.get() < 0) throw std::runtime_error(system_error("control socket"));
    if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0) {
        throw std::runtime_error(system_error("control socket " + m_path.string()));
    }
    // Group members may operate the daemon (the service's group); others may not.
    ::chmod(m_path.c_str(), 0660);
    if (::listen(listener.get(), 16) != 0) throw std::runtime_error(system_error("control socket listen"));
    m_wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    m_stop_fd = ::eventfd(0, EFD_CLOEXEC);
    if (m_wake_fd < 0 || m_stop_fd < 0) throw std::runtime_error(system_error("eventfd"));
    m_listen_fd = listener.release();
    m_thread = std::thread([this] { serve(); });
    spdlog::info("control socket {}", m_path.string());
}

ControlServer::~ControlServer() {
    const std::uint64_t one = 1;
    if (::write(m_stop_fd, &one, sizeof one) != sizeof one) spdlog::warn("control socket: cannot stop its thread");
    m_thread.join();
    {
        const std::lock_guard lock(m_mutex);
        m_queue.clear();  // waiting clients learn that the daemon is stopping (broken promise)
    }
    for (Client& client : m_clients) client.thread.join();  // each ends within k_request_deadline
    ::close(m_listen_fd);
    ::close(m_wake_fd);
    ::close(m_stop_fd);
    std::error_code ignored;
    std::filesystem::remove(m_path, ignored);
}

std::vector<std::unique_ptr<ControlRequest>> ControlServer::take_requests() {
    std::uint64_t count = 0;
    while (::read(m_wake_fd, &count, sizeof count) > 0) {
    }
    const std::lock_guard lock(m_mutex);
    std::vector<std::unique_ptr<ControlRequest>> requests;
    while (!m_queue.empty()) {
        requests.push_back(std::move(m_queue.front()));
        m_queue.pop_front();
    }
    return requests;
}

void ControlServer::serve() {
    std::array<pollfd, 2> descriptors{pollfd{.fd = m_listen_fd, .events = POLLIN, .revents = 0},
                                      pollfd{.fd = m_stop_fd, .events = POLLIN, .revents = 0}};
    while (true) {
        if (::poll(descriptors.data(), descriptors.size(), -1) < 0) {
            if (errno == EINTR) continue;
            spdlog::error("control socket: {}", system_error("poll"));
            return;
        }
        if (descriptors[1].revents != 0) return;
        if (descriptors[0].revents == 0) continue;
        auto client = std::make_shared<FileDescriptor>(::accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
        if (client->get() < 0) continue;
        std::erase_if(m_clients, [](Client& served) {
            if (!served.done->load()) return false;
            served.thread.join();
            return true;
        });
        if (m_clients.size() >= k_max_clients) {
            set_timeout(client->get(), SO_SNDTIMEO, k_request_deadline);
            write_all(client->get(), failure("busy: too many control clients at once").dump() + "\n");
            continue;
        }
        auto done = std::make_shared<std::atomic<bool>>(false);
        m_clients.push_back({std::thread([this, client, done] {
                                 answer(client->get());
                                 done->store(true);
                             }),
                             done});
    }
}

void ControlServer::answer(int client) {
    set_timeout(client, SO_SNDTIMEO, k_request_deadline);
    nlohmann::json reply;
    const auto line = read_line(client, k_request_deadline);
    const auto request = line ? nlohmann::json::parse(*line, nullptr, false) : nlohmann::json();
    if (!request.is_object() || !request.contains("command") || !request["command"].is_string()) {
        reply = failure("expected one JSON object with a \"command\" on one line");
    } else if (request["command"] == "status") {
        reply = m_status();
    } else {
        auto queued = std::make_unique<ControlRequest>();
        queued->command = request;
        auto future = queued->reply.get_future();
        {
            const std::lock_guard lock(m_mutex);
            m_queue.push_back(std::move(queued));
        }
        const std::uint64_t one = 1;
        if (::write(m_wake_fd, &one, sizeof one) != sizeof one) spdlog::warn("control socket: cannot wake the loop");
        // Only this client waits: the loop answers once its cycle ends; status stays answerable.
        if (future.wait_for(k_loop_reply_timeout) != std::future_status::ready) {
            reply = failure("the daemon did not answer in time");
        } else {
            try {
                reply = future.get();
            } catch (const std::future_error&) {
                reply = failure("the daemon is stopping");
            }
        }
    }
    write_all(client, reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

std::filesystem::path control_socket_path(const config::Config& config) {
    if (!config.control_socket.empty()) return config.control_socket;
    if (const char* runtime = std::getenv("RUNTIME_DIRECTORY"); runtime != nullptr && *runtime != '\0') {
        // RuntimeDirectory= may list several; the first is ours.
        const std::string_view directories(runtime);
        return std::filesystem::path(std::string(directories.substr(0, directories.find(':')))) / "control.sock";
    }
    return config.state_dir / "control.sock";
}

std::expected<nlohmann::json, std::string> control_request(const std::filesystem::path& socket,
                                                           const nlohmann::json& request,
                                                           std::chrono::seconds timeout) {
    const auto address = socket_address(socket);
    if (!address) return std::unexpected(address.error());
    const FileDescriptor fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) return std::unexpected(system_error("socket"));
    if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0) {
        const bool absent = errno == ENOENT || errno == ECONNREFUSED;
        return std::unexpected(absent ? "signalmond is not running (nothing answers on " + socket.string() + ")"
                                      : system_error("cannot connect to " + socket.string()));
    }
    set_timeout(fd.get(), SO_SNDTIMEO, timeout);
    if (!write_all(fd.get(), request.dump() + "\n")) return std::unexpected(system_error("send"));
    const auto line = read_line(fd.get(), timeout);
    if (!line || line->empty()) return std::unexpected("no answer from signalmond on " + socket.string());
    auto reply = nlohmann::json::parse(*line, nullptr, false);
    if (!reply.is_object()) return std::unexpected("unreadable answer from signalmond: " + *line);
    return reply;
}

}  // namespace signalmon::app
