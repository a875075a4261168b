// signalctl feeds: each configured feed's polling state from the store.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "cli/arguments.hpp"
#include "cli/store_access.hpp"
#include "feed/date.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_usage = "feeds [--failing] [--json]";

std::string status_of(const std::optional<store::FeedState>& state) {
    if (!state || !state->last_poll) return "new";
    return state->consecutive_failures > 0 ? "failing" : "ok";
}

std::string time_or_dash(const std::optional<feed::UnixTime>& time) {
    return time ? feed::format_rfc3339(*time) : "-";
}

}  // namespace

int run_feeds(const GlobalOptions& global, std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, {"--failing", "--json"}, {});
    if (!parsed) return usage_error(parsed.error(), k_usage);
    if (!parsed->positionals.empty()) return usage_error("unexpected argument '" + parsed->positionals[0] + "'", k_usage);
    auto context = open_store_read_only(global);
    if (!context) return k_exit_failure;

    nlohmann::json array = nlohmann::json::array();
    if (!parsed->has("--json")) {
        std::printf("%-24s %-8s %-20s %5s %7s %6s  %s\n", "FEED", "STATUS", "LAST SUCCESS", "FAILS", "ITEMS", "304S",
                    "LAST ERROR");
    }
    for (const config::FeedSpec& feed : context->config.feeds) {
        const auto state = context->store.feed_state(feed.id);
        const std::string status = status_of(state);
        if (parsed->has("--failing") && status != "failing") continue;
        const store::FeedState shown = state.value_or(store::FeedState{.id = feed.id, .url = feed.url});
        if (parsed->has("--json")) {
            nlohmann::json object{{"id", feed.id}, {"url", feed.url}, {"status", status},
                                  {"consecutive_failures", shown.consecutive_failures},
                                  {"items", shown.item_count}, {"not_modified", shown.not_modified_count}};
            if (!shown.title.empty()) object["title"] = shown.title;
            if (shown.last_poll) object["last_poll"] = feed::format_rfc3339(*shown.last_poll);
            if (shown.last_success) object["last_success"] = feed::format_rfc3339(*shown.last_success);
            if (!shown.last_error.empty()) object["last_error"] = shown.last_error;
            array.push_back(std::move(object));
        } else {
            std::printf("%-24s %-8s %-20s %5lld %7lld %6lld  %s\n", feed.id.c_str(), status.c_str(),
                        time_or_dash(shown.last_success).c_str(), static_cast<long long>(shown.consecutive_failures),
                        static_cast<long long>(shown.item_count), static_cast<long long>(shown.not_modified_count),
                        shown.last_error.c_str());
        }
    }
    if (parsed->has("--json")) std::puts(array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return k_exit_ok;
}

}  // namespace signalmon::cli
