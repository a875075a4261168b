// signalctl feeds: each configured feed's polling state from the store; adding a feed by its page
// (feed discovery); import/export as OPML 2.0.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

#include "cli/arguments.hpp"
#include "cli/feeds_file.hpp"
#include "cli/input.hpp"
#include "cli/opml.hpp"
#include "cli/store_access.hpp"
#include "feed/date.hpp"
#include "feed/discover.hpp"
#include "feed/parse.hpp"
#include "text/controls.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_feeds_usage =
    "feeds [--failing] [--json] | feeds add URL|FILE [--pick N] [--write] | feeds import FILE.opml [--write] | "
    "feeds export";

std::string status_of(const std::optional<store::FeedState>& state) {
    if (!state || !state->last_poll) return "new";
    return state->consecutive_failures > 0 ? "failing" : "ok";
}

std::string time_or_dash(const std::optional<feed::UnixTime>& time, const config::TimeZone& zone) {
    return time ? zone.format(*time) : "-";
}

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
        std::printf("%-24s %-8s %-21s %-21s %5s %7s %6s %10s  %s\n", "FEED", "STATUS", "LAST SUCCESS", "NEXT POLL",
                    "FAILS", "ITEMS", "304S", "SAVED", "LAST ERROR");
    }
    for (const config::FeedSpec& feed : context->config.feeds) {
        const auto read = context->store->feed_state(feed.id);
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
        const config::TimeZone& zone = display_zone(global, context->config);
        std::printf("%-24s %-8s %-21s %-21s %5lld %7lld %6lld %10lld  %s\n", feed.id.c_str(), status.c_str(),
                    time_or_dash(shown.last_success, zone).c_str(), time_or_dash(shown.next_poll, zone).c_str(),
                    static_cast<long long>(shown.consecutive_failures), static_cast<long long>(shown.item_count),
                    static_cast<long long>(shown.not_modified_count), static_cast<long long>(shown.bytes_saved),
                    text::without_controls(error).c_str());
    }
    if (json) std::puts(array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return k_exit_ok;
}

// Prints the new feeds.yaml entries, or with --write adds them to the end of the `feeds:` list in
// the file itself, comments and order kept.
int emit_entries(const config::Config& config, const std::string& entries, bool write, std::string_view command) {
    if (entries.empty()) {
        std::fprintf(stderr, "signalctl %.*s: nothing new: every feed is configured already\n",
                     static_cast<int>(command.size()), command.data());
        return k_exit_ok;
    }
    if (!write) {
        std::fputs(entries.c_str(), stdout);
        std::fprintf(stderr, "ready to append under 'feeds:' in %s (or run again with --write)\n", config.path.c_str());
        return k_exit_ok;
    }
    const auto current = read_input(config.path);
    const auto edited = current ? add_feed_entries(*current, entries)
                                : std::expected<std::string, std::string>(std::unexpected("cannot read it"));
    const auto written = edited ? replace_file(config.path, *edited) : std::unexpected(edited.error());
    if (!written) {
        std::fprintf(stderr, "signalctl %.*s: %s: %s\n", static_cast<int>(command.size()), command.data(),
                     config.path.c_str(), written.error().c_str());
        return k_exit_failure;
    }
    std::fprintf(stderr, "added to %s:\n%s", config.path.c_str(), entries.c_str());
    return k_exit_ok;
}

int run_import(const GlobalOptions& global, const std::string& file, bool write) {
    const auto xml = read_input(file);
    if (!xml) {
        std::fprintf(stderr, "signalctl feeds import: cannot read %s\n", file.c_str());
        return k_exit_failure;
    }
    const auto subscriptions = read_opml(*xml);
    if (!subscriptions) {
        std::fprintf(stderr, "signalctl feeds import: %s: %s\n", file.c_str(), subscriptions.error().c_str());
        return k_exit_failure;
    }
    const config::Config config = config::load_config(global.config_path);
    std::fprintf(stderr, "%zu subscriptions in %s\n", subscriptions->size(), file.c_str());
    return emit_entries(config, feeds_yaml_for(*subscriptions, config.feeds), write, "feeds import");
}

// The feed at input itself, or the ones the page at input announces with <link rel="alternate">.
std::expected<std::vector<feed::FeedLink>, std::string> feeds_at(const std::string& input) {
    const auto document = read_document(input);
    if (!document) return std::unexpected(document.error());
    if (const auto parsed = feed::parse(document->body, document->options)) {
        // A file is configured by its absolute file:// URL, which holds wherever signalctl ran.
        const bool web = input.starts_with("http://") || input.starts_with("https://");
        return std::vector<feed::FeedLink>{
            {web ? input : document->options.base_url, parsed->title, std::string(feed::format_name(parsed->format))}};
    }
    auto links = feed::discover_feed_links(document->body, document->options.base_url);
    if (links.empty()) return std::unexpected(std::string("not a feed, and the page announces none"));
    return links;
}

int run_add(const GlobalOptions& global, const Arguments& arguments) {
    const std::string& input = arguments.positionals[0];
    const auto links = feeds_at(input);
    if (!links) {
        std::fprintf(stderr, "signalctl feeds add: %s: %s\n", input.c_str(), links.error().c_str());
        return k_exit_failure;
    }
    const std::optional<std::string> pick = arguments.value("--pick");
    std::size_t chosen = 0;
    if (pick) {
        chosen = std::strtoul(pick->c_str(), nullptr, 10);
        if (chosen < 1 || chosen > links->size())
            return usage_error("--pick takes 1 to " + std::to_string(links->size()), k_feeds_usage);
        --chosen;
    } else if (links->size() > 1) {
        std::fprintf(stderr, "signalctl feeds add: %s announces %zu feeds; choose one with --pick N:\n", input.c_str(),
                     links->size());
        for (std::size_t i = 0; i < links->size(); ++i) {
            const feed::FeedLink& link = (*links)[i];
            std::fprintf(stderr, "  %zu  %s  %s (%s)\n", i + 1, link.url.c_str(), link.title.c_str(),
                         link.type.c_str());
        }
        return k_exit_failure;
    }
    const feed::FeedLink& link = (*links)[chosen];
    const config::Config config = config::load_config(global.config_path);
    const std::string entries = feeds_yaml_for({{link.title, link.url, {}}}, config.feeds);
    return emit_entries(config, entries, arguments.has("--write"), "feeds add");
}

}  // namespace

int run_feeds(const GlobalOptions& global, std::span<const std::string_view> args) {
    if (!args.empty() && (args[0] == "import" || args[0] == "add")) {
        const auto parsed = parse_arguments(args.subspan(1), {"--write"}, {"--pick"});
        if (!parsed) return usage_error(parsed.error(), k_feeds_usage);
        if (parsed->positionals.size() != 1)
            return usage_error(args[0] == "add" ? "feeds add needs exactly one URL or file"
                                                : "feeds import needs exactly one OPML file",
                               k_feeds_usage);
        if (args[0] == "add") return run_add(global, *parsed);
        if (parsed->value("--pick")) return usage_error("--pick is for feeds add", k_feeds_usage);
        return run_import(global, parsed->positionals[0], parsed->has("--write"));
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
