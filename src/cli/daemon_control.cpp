// Control socket client plumbing for signalctl.
#include "cli/daemon_control.hpp"

#include <cstdio>

#include "app/control_socket.hpp"

namespace signalmon::cli {

DaemonReply ask_daemon(const GlobalOptions& global, const nlohmann::json& request, std::chrono::seconds timeout) {
    DaemonReply result;
    try {
        result.config = config::load_config(global.config_path);
    } catch (const std::exception& error) {
        std::fprintf(stderr, "signalctl: %s\n", error.what());
        return result;
    }
    result.reply = app::control_request(app::control_socket_path(*result.config), request, timeout);
    return result;
}

int report_unreachable(const std::string& error) {
    std::fprintf(stderr, "signalctl: %s\n", error.c_str());
    return k_exit_not_running;
}

}  // namespace signalmon::cli
