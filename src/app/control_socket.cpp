// Control socket server (each client on its own thread) and client; the loop does the real work of a request.
#include "app/control_socket.hpp"

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
// Clients served at once (each on its own thread); more are told the daemon is busy.
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

// The first line a client sends (without its newline), or nullopt (see read_until).
std::optional<std::string> read_line(int fd, std::chrono::milliseconds within) {
    auto line = read_until(fd, "\n", k_max_request_bytes, within);
    if (line) line->resize(std::min(line->size(), line->find('\n')));
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
    if (m_wake_fd < 0) throw std::runtime_error(system_error("eventfd"));
    m_server = std::make_unique<SocketServer>(listener.release(), k_max_clients,
                                              failure("busy: too many control clients at once").dump() + "\n",
                                              [this](int client) { answer(client); });
    spdlog::info("control socket {}", m_path.string());
}

ControlServer::~ControlServer() {
    m_server->stop();
    {
        const std::lock_guard lock(m_mutex);
        m_queue.clear();  // waiting clients learn that the daemon is stopping (broken promise)
    }
    m_server.reset();  // each client thread ends within k_request_deadline once it has its reply
    ::close(m_wake_fd);
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

void ControlServer::answer(int client) {
    set_send_timeout(client, k_request_deadline);
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
    set_send_timeout(fd.get(), timeout);
    if (!write_all(fd.get(), request.dump() + "\n")) return std::unexpected(system_error("send"));
    const auto line = read_line(fd.get(), timeout);
    if (!line || line->empty()) return std::unexpected("no answer from signalmond on " + socket.string());
    auto reply = nlohmann::json::parse(*line, nullptr, false);
    if (!reply.is_object()) return std::unexpected("unreadable answer from signalmond: " + *line);
    return reply;
}

}  // namespace signalmon::app
