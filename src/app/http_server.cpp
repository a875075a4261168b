// Listening on HOST:PORT and answering each connection's one request through the handlers.
#include "app/http_server.hpp"

#include <netdb.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace signalmon::app {
namespace {

constexpr std::size_t k_max_request_head_bytes = 8 * 1024;
// A client sends its request at once; a client still sending after this is cut off.
constexpr std::chrono::seconds k_http_deadline{2};
constexpr std::size_t k_max_http_clients = 64;

// One request per connection, read within the deadline whatever the client does: a slowloris
// holds only its own thread, and only that long.
void answer_request(int client, const std::vector<HttpServer::Handler>& handlers) {
    set_send_timeout(client, k_http_deadline);
    const auto head = read_until(client, "\r\n\r\n", k_max_request_head_bytes, k_http_deadline);
    if (!head) return;
    const auto request = web::parse_request(*head);
    if (!request) {
        write_all(client, web::serialize(web::plain_response(400, "bad request\n")));
        return;
    }
    const bool head_only = request->method == "HEAD";
    if (request->method != "GET" && !head_only) {
        write_all(client, web::serialize(web::plain_response(405, "GET only\n")));
        return;
    }
    web::HttpResponse response = web::plain_response(404, "not found\n");
    try {
        for (const HttpServer::Handler& handler : handlers) {
            if (auto answered = handler(*request)) {
                response = std::move(*answered);
                break;
            }
        }
    } catch (const std::exception& error) {
        // A store that cannot be read right now (locked, mid-migration) fails this page only.
        spdlog::warn("http {}: {}", request->path, error.what());
        response = web::plain_response(503, "temporarily unavailable\n");
    }
    write_all(client, web::serialize(response, !head_only));
}

// A listening socket on HOST:PORT (HOST may be [v6]), or -1. SO_REUSEADDR only: SO_REUSEPORT would
// let a second daemon share the port silently.
int listen_on(const std::string& listen) {
    const auto colon = listen.rfind(':');
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    const std::string port = listen.substr(colon + 1);  // checked by load_config: 1..65535
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.empty() ? nullptr : host.c_str(), port.c_str(), &hints, &found) != 0) return -1;
    int fd = -1;
    for (const addrinfo* address = found; address != nullptr && fd < 0; address = address->ai_next) {
        fd = ::socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
        if (fd < 0) continue;
        const int yes = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        if (::bind(fd, address->ai_addr, address->ai_addrlen) != 0 || ::listen(fd, 64) != 0) {
            ::close(fd);
            fd = -1;
        }
    }
    ::freeaddrinfo(found);
    return fd;
}

}  // namespace

HttpServer::HttpServer(const std::string& listen, std::vector<Handler> handlers, std::string_view setting) {
    const int fd = listen_on(listen);
    if (fd < 0) {
        throw std::runtime_error(std::string(setting) + ": cannot listen on " + listen +
                                 " (in use, or not a local address?)");
    }
    m_server = std::make_unique<SocketServer>(
        fd, k_max_http_clients, web::serialize(web::plain_response(503, "busy\n")),
        [handlers = std::move(handlers)](int client) { answer_request(client, handlers); });
}

HttpServer::~HttpServer() = default;

}  // namespace signalmon::app
