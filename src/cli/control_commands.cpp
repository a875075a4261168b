// signalctl reload and signalctl poll [FEED]: ask the running daemon over its control socket.
#include <cstdio>

#include "cli/arguments.hpp"
#include "cli/daemon_control.hpp"

namespace signalmon::cli {
namespace {

// A reload compiles every rule; a poll waits for the cycle in flight and then its own.
constexpr std::chrono::seconds k_control_timeout{660};

// Sends the request; prints the daemon's error if it refused. nullopt carries the exit code.
std::expected<nlohmann::json, int> request(const GlobalOptions& global, const nlohmann::json& command) {
    const DaemonReply answer = ask_daemon(global, command, k_control_timeout);
    if (!answer.config) return std::unexpected(k_exit_failure);
    if (!answer.reply) return std::unexpected(report_unreachable(answer.reply.error()));
    if (!answer.reply->value("ok", false)) {
        std::fprintf(stderr, "signalctl: %s\n", answer.reply->value("error", std::string("refused")).c_str());
        return std::unexpected(k_exit_failure);
    }
    return *answer.reply;
}

}  // namespace

int run_reload(const GlobalOptions& global, std::span<const std::string_view> args) {
    constexpr std::string_view k_control_usage = "reload";
    if (!args.empty()) return usage_error("unexpected argument '" + std::string(args[0]) + "'", k_control_usage);
    const auto reply = request(global, {{"command", "reload"}});
    if (!reply) {
        std::fputs("signalctl: signalmond keeps running its previous config and rules\n", stderr);
        return reply.error();
    }
    std::printf("reloaded: %zu feeds, %zu briefs, rules %s (generation %llu)\n", reply->value("feeds", std::size_t{0}),
                reply->value("briefs", std::size_t{0}), reply->value("rules_hash", std::string()).c_str(),
                static_cast<unsigned long long>(reply->value("rules_generation", std::uint64_t{0})));
    return k_exit_ok;
}

int run_poll(const GlobalOptions& global, std::span<const std::string_view> args) {
    constexpr std::string_view k_control_usage = "poll [FEED]";
    if (args.size() > 1 || (!args.empty() && args[0].starts_with("-"))) {
        return usage_error("unexpected argument '" + std::string(args.back()) + "'", k_control_usage);
    }
    nlohmann::json command{{"command", "poll"}};
    if (!args.empty()) command["feed"] = std::string(args[0]);
    const auto reply = request(global, command);
    if (!reply) return reply.error();
    std::printf("polled %zu feeds (%zu not modified, %zu failed): %zu items, %zu new, %zu hits\n",
                reply->value("feeds_polled", std::size_t{0}), reply->value("not_modified", std::size_t{0}),
                reply->value("feeds_failed", std::size_t{0}), reply->value("items", std::size_t{0}),
                reply->value("new_items", std::size_t{0}), reply->value("hits", std::size_t{0}));
    return reply->value("feeds_failed", std::size_t{0}) == 0 ? k_exit_ok : k_exit_failure;
}

}  // namespace signalmon::cli
