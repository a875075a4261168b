// Starts the Python fixture HTTP server with fork/exec, learns its port, and stops it afterwards.
#include "fixture_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

namespace signalmon::testing {
namespace {

constexpr int k_startup_timeout_ms = 10'000;

// libcurl honours http_proxy and friends; a test must reach 127.0.0.1 directly, never via a proxy.
void bypass_proxies_for_loopback() {
    for (const char* name : {"no_proxy", "NO_PROXY"}) {
        const char* current = std::getenv(name);
        std::string value = current != nullptr ? current : "";
        if (value.find("127.0.0.1") != std::string::npos) continue;
        value += value.empty() ? "127.0.0.1" : ",127.0.0.1";
        setenv(name, value.c_str(), 1);
    }
}

std::string read_first_line(int fd) {
    std::string line;
    char c = 0;
    while (line.find('\n') == std::string::npos) {
        pollfd ready{fd, POLLIN, 0};
        if (poll(&ready, 1, k_startup_timeout_ms) != 1 || read(fd, &c, 1) != 1) break;
        line += c;
    }
    return line;
}

}  // namespace

FixtureServer::FixtureServer() {
    bypass_proxies_for_loopback();
    const std::string script = SIGNALMON_SOURCE_DIR "/tests/servers/fixture_http_server.py";
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    m_pid = fork();
    if (m_pid < 0) throw std::runtime_error("fork failed");
    if (m_pid == 0) {
        // Only async-signal-safe calls between fork and exec: the test binary may have threads.
        dup2(out[1], STDOUT_FILENO);
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // a crashed test must not leave the server behind
        execlp("python3", "python3", script.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    close(out[1]);
    const std::string line = read_first_line(out[0]);
    close(out[0]);
    m_port = std::atoi(line.c_str());
    if (m_port <= 0) {
        kill(m_pid, SIGKILL);
        waitpid(m_pid, nullptr, 0);
        throw std::runtime_error("fixture server did not report a port: " + script);
    }
}

FixtureServer::~FixtureServer() {
    kill(m_pid, SIGTERM);
    waitpid(m_pid, nullptr, 0);
}

std::string FixtureServer::url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
}

std::string FixtureServer::get(std::string_view path) const {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error("socket failed");
    const timeval timeout{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(m_port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        throw std::runtime_error("cannot connect to the fixture server");
    }
    // HTTP/1.0: the server closes the connection after the answer, so end of stream ends the body.
    const std::string request = "GET " + std::string(path) + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    const bool sent = send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size());
    std::string response;
    char buffer[4096];
    for (ssize_t got = 0; sent && (got = recv(fd, buffer, sizeof buffer, 0)) > 0;) {
        response.append(buffer, static_cast<std::size_t>(got));
    }
    close(fd);
    const auto body = response.find("\r\n\r\n");
    if (body == std::string::npos) {
        throw std::runtime_error("no answer from the fixture server for " + std::string(path));
    }
    return response.substr(body + 4);
}

}  // namespace signalmon::testing
