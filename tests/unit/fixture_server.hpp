// Runs tests/servers/fixture_http_server.py as a child process on 127.0.0.1 for the length of a test.
#pragma once

#include <sys/types.h>
#include <string>
#include <string_view>

namespace signalmon::testing {

class FixtureServer {
public:
    FixtureServer();  // throws std::runtime_error when the server does not come up
    ~FixtureServer();
    FixtureServer(const FixtureServer&) = delete;
    FixtureServer& operator=(const FixtureServer&) = delete;

    std::string url(std::string_view path) const;
    // The body of GET path, read over a plain socket so that checks never depend on the code under test.
    std::string get(std::string_view path) const;

private:
    pid_t m_pid = -1;
    int m_port = 0;
};

}  // namespace signalmon::testing
