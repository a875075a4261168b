// signalctl feeds: each configured feed's polling state from the store; import/export as OPML 2.0.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/arguments.hpp"
#include "cli/opml.hpp"
#include "cli/store_access.hpp"
#include "feed/date.hpp"
#include "text/controls.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_feeds_usage = "feeds [--failing] [--json] | feeds import FILE.opml | feeds export";

std::string status_of(const std::optional<store::FeedState>& state) {
    if (!state || !state->last_poll) return "new";
    return state->consecutive_failures > 0 ? "failing" : "ok";
}

std::string time_or_dash(const std::optional<feed::UnixTime>& time) { return time ? feed::format_rfc3339(*time) : "-"; }

nlohmann::json feed_json(const config::FeedSpec& feed, const store::FeedState& shown, const std::string& status) {
    nlohmann::json object{{"id", feed.id},
                          {"url", feed.url},
                          {"status", status},
                          {"consecutive_failures", shown.consecutive_failures},
                          {"items", shown.item_count},
                          {"not_modified", shown.not_modified_count},
                          {"bytes_saved", shown.bytes_saved},
                          {"health_alert", shown.health_alerted}};
    if (!feed.source.empty()) object["source"] = feed.source;
    if (!shown.title.empty()) object["title"] = shown.title;
    if (shown.last_poll) object["last_poll"] = feed::format_rfc3339(*shown.last_poll);
    if (shown.last_success) object["last_success"] = feed::format_rfc3339(*shown.last_success);
    if (!shown.last_error.empty()) object["last_error"] = shown.last_error;
    if (shown.next_poll) object["next_poll"] = feed::format_rfc3339(*shown.next_poll);
    if (!shown.redirect_url.empty()) object["moved_to"] = shown.redirect_url;
    return object;
}

int run_status(const GlobalOptions& global, const Arguments& arguments) {
    auto context = open_store_read_only(global);
    if (!context) return k_exit_failure;
    const bool json = arguments.has("--json");
    nlohmann::json array = nlohmann::json::array();
    if (!json) {
        std::printf("%-24s %-8s %-20s %-20s %5s %7s %6s %10s  %s\n", "FEED", "STATUS", "LAST SUCCESS", "NEXT POLL",
                    "FAILS", "ITEMS", "304S", "SAVED", "LAST ERROR");
    }
    for (const config::FeedSpec& feed : context->config.feeds) {
        const auto read = context->store.feed_state(feed.id);
        if (!read) {
            std::fprintf(stderr, "signalctl feeds: %s\n", read.error().c_str());
            return k_exit_failure;
        }
        const std::optional<store::FeedState>& state = *read;
        const std::string status = status_of(state);
        if (arguments.has("--failing") && status != "failing") continue;
        // A moved URL in the store belongs to the old config URL once feeds.yaml names another.
        store::FeedState shown = state.value_or(store::FeedState{.id = feed.id, .url = feed.url});
        if (shown.url != feed.url) shown.redirect_url.clear();
        if (json) {
            array.push_back(feed_json(feed, shown, status));
            continue;
        }
        std::string error = shown.last_error;
        if (!shown.redirect_url.empty()) {
            std::string moved = "moved to " + shown.redirect_url;
            if (!error.empty()) moved.append("; ").append(error);
            error = std::move(moved);
        }
        std::printf("%-24s %-8s %-20s %-20s %5lld %7lld %6lld %10lld  %s\n", feed.id.c_str(), status.c_str(),
                    time_or_dash(shown.last_success).c_str(), time_or_dash(shown.next_poll).c_str(),
                    static_cast<long long>(shown.consecutive_failures), static_cast<long long>(shown.item_count),
                    static_cast<long long>(shown.not_modified_count), static_cast<long long>(shown.bytes_saved),
                    text::without_controls(error).c_str());
    }
    if (json) std::puts(array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return k_exit_ok;
}

// Prints the feeds.yaml entries for the file's subscriptions that are not configured yet.
int run_import(const GlobalOptions& global, const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "signalctl feeds import: cannot read %s\n", file.c_str());
        return k_exit_failure;
    }
    std::ostringstream xml;
    xml << in.rdbuf();
    const auto subscriptions = read_opml(xml.str());
    if (!subscriptions) {
        std::fprintf(stderr, "signalctl feeds import: %s: %s\n", file.c_str(), subscriptions.error().c_str());
        return k_exit_failure;
    }
    const config::Config config = config::load_config(global.config_path);
    const std::string yaml = feeds_yaml_for(*subscriptions, config.feeds);
    std::fputs(yaml.c_str(), stdout);
    std::fprintf(stderr,
                 "%zu subscriptions in %s; the new ones are printed above, ready to append under 'feeds:' in %s\n",
                 subscriptions->size(), file.c_str(), config.path.c_str());
    return k_exit_ok;
}

}  // namespace

int run_feeds(const GlobalOptions& global, std::span<const std::string_view> args) {
    if (!args.empty() && args[0] == "import") {
        if (args.size() != 2) return usage_error("feeds import needs exactly one OPML file", k_feeds_usage);
        return run_import(global, std::string(args[1]));
    }
    if (!args.empty() && args[0] == "export") {
        if (args.size() != 1) return usage_error("feeds export takes no arguments", k_feeds_usage);
        std::fputs(write_opml(config::load_config(global.config_path).feeds).c_str(), stdout);
        return k_exit_ok;
    }
    const auto parsed = parse_arguments(args, {"--failing", "--json"}, {});
    if (!parsed) return usage_error(parsed.error(), k_feeds_usage);
    if (!parsed->positionals.empty())
        return usage_error("unexpected argument '" + parsed->positionals[0] + "'", k_feeds_usage);
    return run_status(global, *parsed);
}

}  // namespace signalmon::cli
