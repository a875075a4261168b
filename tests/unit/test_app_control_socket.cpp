// The control socket: status answered by the server thread, other commands handed to the loop
// and their replies carried back; permissions, a second daemon, a stale socket, a daemon down.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "app/control_socket.hpp"
#include "temp_dir.hpp"

using namespace signalmon;
using testing::TempDir;

namespace {

nlohmann::json status_reply() { return {{"ok", true}, {"pid", 42}}; }

// Plays the scheduler loop: waits for queued requests and answers each with its command echoed.
void answer_one(app::ControlServer& server) {
    pollfd descriptor{.fd = server.wake_fd(), .events = POLLIN, .revents = 0};
    REQUIRE(::poll(&descriptor, 1, 5000) == 1);
    for (auto& request : server.take_requests()) {
        request->reply.set_value({{"ok", true}, {"did", request->command["command"]}});
    }
}

}  // namespace

TEST_CASE("control socket: status, a queued command, bad input, mode 0660, cleanup") {
    TempDir dir;
    const auto path = dir.path() / "run" / "control.sock";
    {
        app::ControlServer server(path, status_reply);
        struct stat info {};
        REQUIRE(::stat(path.c_str(), &info) == 0);
        CHECK((info.st_mode & 0777) == 0660);

        const auto status = app::control_request(path, {{"command", "status"}}, std::chrono::seconds(5));
        REQUIRE(status);
        CHECK((*status)["pid"] == 42);

        std::thread loop([&server] { answer_one(server); });
        const auto reloaded = app::control_request(path, {{"command", "reload"}}, std::chrono::seconds(5));
        loop.join();
        REQUIRE(reloaded);
        CHECK((*reloaded)["did"] == "reload");

        const auto bad = app::control_request(path, {{"no_command", 1}}, std::chrono::seconds(5));
        REQUIRE(bad);
        CHECK((*bad)["ok"] == false);

        CHECK_THROWS_WITH_AS(app::ControlServer(path, status_reply), doctest::Contains("already answers"),
                             std::runtime_error);
    }
    CHECK_FALSE(std::filesystem::exists(path));
    const auto down = app::control_request(path, {{"command", "status"}}, std::chrono::seconds(5));
    REQUIRE_FALSE(down);
    CHECK(down.error().find("signalmond is not running") != std::string::npos);
}

TEST_CASE("control socket: a stale socket file is replaced; a request pending at stop is told so") {
    TempDir dir;
    const auto path = dir.path() / "control.sock";
    { app::ControlServer first(path, status_reply); }
    // Leave a socket file behind with nothing listening, as after a crash.
    {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        ::close(fd);
    }
    REQUIRE(std::filesystem::is_socket(path));
    std::optional<std::expected<nlohmann::json, std::string>> pending;
    {
        app::ControlServer server(path, status_reply);
        std::thread client([&] {
            pending = app::control_request(path, {{"command", "poll"}}, std::chrono::seconds(5));
        });
        pollfd descriptor{.fd = server.wake_fd(), .events = POLLIN, .revents = 0};
        REQUIRE(::poll(&descriptor, 1, 5000) == 1);
        auto requests = server.take_requests();
        REQUIRE(requests.size() == 1);
        requests.clear();  // the loop stops without answering
        client.join();
    }
    REQUIRE(pending.has_value());
    REQUIRE(pending->has_value());
    CHECK((**pending)["error"] == "the daemon is stopping");
}

TEST_CASE("control socket path: config, then RUNTIME_DIRECTORY, then state_dir") {
    config::Config config;
    config.state_dir = "/var/lib/signalmon";
    ::unsetenv("RUNTIME_DIRECTORY");
    CHECK(app::control_socket_path(config) == "/var/lib/signalmon/control.sock");
    ::setenv("RUNTIME_DIRECTORY", "/run/signalmon:/run/other", 1);
    CHECK(app::control_socket_path(config) == "/run/signalmon/control.sock");
    config.control_socket = "/tmp/x.sock";
    CHECK(app::control_socket_path(config) == "/tmp/x.sock");
    ::unsetenv("RUNTIME_DIRECTORY");
}

TEST_CASE("control socket: idle and trickling clients neither block status nor a queued command") {
    TempDir dir;
    const auto path = dir.path() / "control.sock";
    app::ControlServer server(path, status_reply);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    std::vector<int> idle;
    for (int i = 0; i < 3; ++i) {
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        REQUIRE(::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
        if (i == 2) REQUIRE(::send(fd, "{\"comm", 6, 0) == 6);  // half a request, never finished
        idle.push_back(fd);
    }
    const auto started = std::chrono::steady_clock::now();
    const auto status = app::control_request(path, {{"command", "status"}}, std::chrono::seconds(1));
    REQUIRE(status);
    CHECK((*status)["pid"] == 42);
    std::thread loop([&server] { answer_one(server); });
    const auto polled = app::control_request(path, {{"command", "poll"}}, std::chrono::seconds(1));
    loop.join();
    REQUIRE(polled);
    CHECK((*polled)["did"] == "poll");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(1));

    // The idle clients are cut off after the request deadline (2 s) with an error reply.
    char reply[256] = {};
    pollfd readable{.fd = idle[0], .events = POLLIN, .revents = 0};
    REQUIRE(::poll(&readable, 1, 4000) == 1);
    CHECK(std::string(reply, static_cast<std::size_t>(::recv(idle[0], reply, sizeof reply - 1, 0)))
              .find("\"ok\":false") != std::string::npos);
    for (const int fd : idle) ::close(fd);
}
