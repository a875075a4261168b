// The daemon's HTTP endpoint (metrics, health, the web view, Atom feeds): GET and HEAD only, one
// request per connection, each client on its own thread with a read deadline (app/socket_server),
// so a slow or idle client cannot delay a scrape or a page.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/socket_server.hpp"
#include "web/http.hpp"

namespace signalmon::app {

class HttpServer {
public:
    // Answers a request it serves, nullopt for one it does not (the next handler is asked; 404 if none).
    using Handler = std::function<std::optional<web::HttpResponse>(const web::HttpRequest&)>;

    // Throws std::runtime_error naming setting if HOST:PORT cannot be bound (a startup error).
    HttpServer(const std::string& listen, std::vector<Handler> handlers, std::string_view setting);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

private:
    std::unique_ptr<SocketServer> m_server;
};

}  // namespace signalmon::app
