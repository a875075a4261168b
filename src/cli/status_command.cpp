// signalctl status: the running daemon's state over its control socket; from the store alone
// (and exit status 3) when it does not answer.
#include <cstdio>

#include "cli/arguments.hpp"
#include "cli/daemon_control.hpp"
#include "cli/store_access.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_status_usage = "status [--json]";
constexpr std::chrono::seconds k_status_timeout{10};

std::string text(const nlohmann::json& object, const char* key) {
    if (!object.contains(key)) return "-";
    return object[key].is_string() ? object[key].get<std::string>() : object[key].dump();
}

std::string duration_text(std::int64_t seconds) {
    const auto days = seconds / 86400;
    const auto hours = seconds % 86400 / 3600;
    const auto minutes = seconds % 3600 / 60;
    if (days > 0) return std::to_string(days) + "d " + std::to_string(hours) + "h";
    if (hours > 0) return std::to_string(hours) + "h " + std::to_string(minutes) + "m";
    return std::to_string(minutes) + "m " + std::to_string(seconds % 60) + "s";
}

// Who the daemon is among those sharing the store: its lanes, whether it leads, the others alive.
void print_instance(const nlohmann::json& instance) {
    const auto& lanes = instance["lanes"];
    const std::string held =
        lanes.is_array() ? std::to_string(lanes.size()) + " lanes leased" : text(instance, "lanes");
    std::printf("instance   %s, %s%s\n", text(instance, "id").c_str(), held.c_str(),
                instance.value("leader", false) ? ", leads retention and digests" : "");
    if (lanes.is_array() && !lanes.empty()) {
        std::string line;
        for (const auto& lane : lanes) line += (line.empty() ? "" : ", ") + lane.get<std::string>();
        std::printf("lanes      %s\n", line.c_str());
    }
    if (!instance.contains("instances")) return;
    for (const auto& other : instance["instances"]) {
        const bool same_rules = other.value("rules_hash", "") == instance.value("rules_hash", "");
        std::printf("sharing    %s, seen %s%s\n", text(other, "id").c_str(), text(other, "seen_at").c_str(),
                    same_rules ? "" : (", OTHER RULES " + text(other, "rules_hash")).c_str());
    }
}

void print_running(const nlohmann::json& status) {
    const auto& feeds = status["feeds"];
    std::printf("signalmond %s running, pid %s, up %s\n", text(status, "version").c_str(), text(status, "pid").c_str(),
                duration_text(status.value("uptime_seconds", std::int64_t{0})).c_str());
    std::printf("config     %s\n", text(status, "config").c_str());
    std::printf("rules      %s briefs, hash %s, generation %s\n", text(status, "briefs").c_str(),
                text(status, "rules_hash").c_str(), text(status, "rules_generation").c_str());
    if (status.contains("last_reload")) {
        const auto& reload = status["last_reload"];
        if (reload.value("ok", false)) {
            std::printf("reload     ok at %s\n", text(reload, "at").c_str());
        } else {
            std::printf("reload     FAILED at %s: %s\n", text(reload, "at").c_str(), text(reload, "error").c_str());
        }
    } else {
        std::puts("reload     none since start");
    }
    std::printf("feeds      %s configured: %s ok, %s failing, %s not polled yet\n", text(feeds, "configured").c_str(),
                text(feeds, "ok").c_str(), text(feeds, "failing").c_str(), text(feeds, "new").c_str());
    std::printf("hits       %s stored\n", text(status, "hits").c_str());
    if (status.contains("instance")) print_instance(status["instance"]);
    if (status.contains("store_fault")) {
        const auto& fault = status["store_fault"];
        std::printf("store      FAULT since %s, polling paused: %s\n", text(fault, "since").c_str(),
                    text(fault, "error").c_str());
    }
    if (status.contains("outbox")) {
        std::string line;
        for (const auto& [state, count] : status["outbox"].items()) {
            line += (line.empty() ? "" : ", ") + state + " " + count.dump();
        }
        std::printf("outbox     %s\n", line.c_str());
    }
    std::printf("next poll  %s\n", text(status, "next_poll").c_str());
    if (status.contains("metrics")) std::printf("metrics    %s\n", text(status, "metrics").c_str());
}

// The daemon is down: say so, then what the store still tells.
int print_stopped(const GlobalOptions& global, const std::string& why, bool json) {
    auto context = open_store_read_only(global);
    nlohmann::json summary{{"running", false}, {"error", why}};
    if (context) {
        std::size_t ok = 0;
        std::size_t failing = 0;
        for (const auto& feed : context->config.feeds) {
            // A feed whose state cannot be read counts as neither: this is a summary for a stopped daemon.
            const auto state = context->store->feed_state(feed.id).value_or(std::nullopt);
            if (state && state->last_poll) ++(state->consecutive_failures > 0 ? failing : ok);
        }
        summary["feeds"] = {{"configured", context->config.feeds.size()}, {"ok", ok}, {"failing", failing}};
        if (const auto totals = context->store->totals()) summary["hits"] = totals->hits;
    }
    if (json) {
        std::puts(summary.dump(2).c_str());
    } else {
        std::printf("signalmond not running: %s\n", why.c_str());
        if (context) {
            std::printf("store      %s\n", context->config.store_location().c_str());
            std::printf("feeds      %s configured: %s ok, %s failing at their last poll\n",
                        text(summary["feeds"], "configured").c_str(), text(summary["feeds"], "ok").c_str(),
                        text(summary["feeds"], "failing").c_str());
            std::printf("hits       %s stored\n", text(summary, "hits").c_str());
        }
    }
    return k_exit_not_running;
}

}  // namespace

int run_status(const GlobalOptions& global, std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, {"--json"}, {});
    if (!parsed) return usage_error(parsed.error(), k_status_usage);
    if (!parsed->positionals.empty())
        return usage_error("unexpected argument '" + parsed->positionals[0] + "'", k_status_usage);
    const DaemonReply answer = ask_daemon(global, {{"command", "status"}}, k_status_timeout);
    if (!answer.config) return k_exit_failure;
    if (!answer.reply) return print_stopped(global, answer.reply.error(), parsed->has("--json"));
    if (parsed->has("--json")) {
        nlohmann::json status = *answer.reply;
        status.erase("ok");
        status["running"] = true;
        std::puts(status.dump(2).c_str());
    } else {
        print_running(*answer.reply);
    }
    return k_exit_ok;
}

}  // namespace signalmon::cli
