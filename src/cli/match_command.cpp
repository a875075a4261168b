// signalctl match: runs the live rules on a feed file, a feed URL or plain text and explains the
// outcome per item and brief, near misses included. Never opens the store.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/arguments.hpp"
#include "cli/input.hpp"
#include "cli/rules_access.hpp"
#include "config/config.hpp"
#include "feed/parse.hpp"
#include "score/explain.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_match_usage = "match [--brief ID] [--feed ID] [--rules DIR] [--json] FILE|URL|-";

// Plain text is one item: its first non-empty line is the title, the rest the content.
feed::Item text_item(std::string_view text) {
    feed::Item item;
    const std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) return item;
    text.remove_prefix(start);
    const std::size_t newline = text.find('\n');
    item.title = std::string(text.substr(0, newline));
    while (!item.title.empty() && (item.title.back() == '\r' || item.title.back() == ' ')) item.title.pop_back();
    if (newline != std::string_view::npos) {
        const std::string_view rest = text.substr(newline + 1);
        const std::size_t first = rest.find_first_not_of(" \t\r\n");
        const std::size_t last = rest.find_last_not_of(" \t\r\n");
        if (first != std::string_view::npos) item.summary = std::string(rest.substr(first, last - first + 1));
    }
    return item;
}

std::expected<feed::Feed, std::string> read_feed(const std::string& input) {
    const auto document = read_document(input);
    if (!document) return std::unexpected(document.error());
    auto parsed = feed::parse(document->body, document->options);
    if (!parsed) return std::unexpected(parsed.error().message);
    return std::move(*parsed);
}

}  // namespace

int run_match(const GlobalOptions& global, std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, {"--json"}, {"--brief", "--feed", "--rules"});
    if (!parsed) return usage_error(parsed.error(), k_match_usage);
    if (parsed->positionals.size() != 1) return usage_error("give one FILE, URL or - (text on stdin)", k_match_usage);
    const std::string& input = parsed->positionals[0];
    const auto compiled = load_live_rules(global, parsed->value("--rules"));
    const std::string only_brief = parsed->value("--brief").value_or("");
    if (!only_brief.empty() && !known_id("brief", only_brief, brief_ids(compiled->rules()))) return k_exit_failure;

    std::vector<feed::Item> items;
    if (input == "-") {
        const auto text = read_input("-");
        if (!text) {
            std::fputs("signalctl match: cannot read stdin\n", stderr);
            return k_exit_failure;
        }
        items.push_back(text_item(*text));
    } else {
        auto feed = read_feed(input);
        if (!feed) {
            std::fprintf(stderr, "signalctl match: %s: %s\n", input.c_str(), feed.error().c_str());
            return k_exit_failure;
        }
        items = std::move(feed->items);
    }

    // --feed ID scores as if the items came from that feed of the config, so feeds:/tags: apply.
    score::ItemContext context;
    std::optional<config::Config> config;
    const auto feed_id = parsed->value("--feed");
    if (feed_id) {
        config = config::load_config(global.config_path);
        std::vector<std::string> feeds;
        feeds.reserve(config->feeds.size());
        for (const config::FeedSpec& spec : config->feeds) feeds.push_back(spec.id);
        if (!known_id("feed", *feed_id, feeds)) return k_exit_failure;
        context.feed_id = *feed_id;
        for (const config::FeedSpec& spec : config->feeds) {
            if (spec.id == *feed_id) context.feed_tags = spec.tags;
        }
    }

    match::Matcher matcher(compiled);
    nlohmann::ordered_json json = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto explained = score::explain(*compiled, items[i], matcher.scan(items[i]), context, only_brief);
        if (parsed->has("--json")) {
            json.push_back(score::explanation_json(items[i], explained));
        } else {
            std::fputs(((i == 0 ? "" : "\n") + score::format_explanation(items[i], explained)).c_str(), stdout);
        }
    }
    if (parsed->has("--json")) {
        std::puts(json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    }
    return k_exit_ok;
}

}  // namespace signalmon::cli
