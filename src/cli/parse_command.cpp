// signalctl parse: shows what the daemon sees in one feed file, as a listing or as JSON.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/command.hpp"
#include "cli/input.hpp"
#include "feed/date.hpp"
#include "feed/parse.hpp"
#include "feed/url.hpp"

namespace signalmon::cli {

namespace {

constexpr std::string_view k_parse_usage = "usage: signalctl parse FILE|- [--base-url URL] [--json]\n";

void set_if_present(nlohmann::ordered_json& object, const char* key, const std::string& value) {
    if (!value.empty()) {
        object[key] = value;
    }
}

void set_if_present(nlohmann::ordered_json& object, const char* key, const std::optional<feed::UnixTime>& time) {
    if (time) {
        object[key] = feed::format_rfc3339(*time);
    }
}

nlohmann::ordered_json to_json(const feed::Feed& parsed) {
    nlohmann::ordered_json out;
    out["format"] = feed::format_name(parsed.format);
    set_if_present(out, "title", parsed.title);
    set_if_present(out, "link", parsed.link);
    set_if_present(out, "source", parsed.source);  // the source adapter that read it
    out["items"] = nlohmann::ordered_json::array();
    for (const feed::Item& item : parsed.items) {
        nlohmann::ordered_json entry;
        set_if_present(entry, "id", item.key);
        set_if_present(entry, "title", item.title);
        set_if_present(entry, "link", item.link);
        set_if_present(entry, "published", item.published);
        set_if_present(entry, "updated", item.updated);
        set_if_present(entry, "author", item.author);
        if (!item.categories.empty()) {
            entry["categories"] = item.categories;
        }
        set_if_present(entry, "summary", item.summary);
        set_if_present(entry, "content", item.content);
        if (!item.fields.empty()) {
            entry["fields"] = item.fields;  // what rules' `where:` filters see
        }
        out["items"].push_back(std::move(entry));
    }
    if (!parsed.warnings.empty()) {
        out["warnings"] = parsed.warnings;
    }
    return out;
}

void print_listing(const feed::Feed& parsed) {
    std::printf("%.*s feed: %s\n", static_cast<int>(feed::format_name(parsed.format).size()),
                feed::format_name(parsed.format).data(), parsed.title.c_str());
    if (!parsed.link.empty()) {
        std::printf("link: %s\n", parsed.link.c_str());
    }
    std::printf("%zu items\n", parsed.items.size());
    for (const feed::Item& item : parsed.items) {
        const auto when = item.published ? item.published : item.updated;
        std::printf("\n%s  %s\n  %s\n", when ? feed::format_rfc3339(*when).c_str() : "(no date)           ",
                    item.title.empty() ? "(untitled)" : item.title.c_str(),
                    item.link.empty() ? item.key.c_str() : item.link.c_str());
    }
}

}  // namespace

int run_parse(const GlobalOptions&, std::span<const std::string_view> args) {
    std::optional<std::string> path;
    std::optional<std::string> base_url;
    bool json = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--json") {
            json = true;
        } else if (args[i] == "--base-url" && i + 1 < args.size()) {
            base_url = std::string(args[++i]);
        } else if (!path && (args[i] == "-" || !args[i].starts_with("-"))) {
            path = std::string(args[i]);
        } else {
            std::fprintf(stderr, "signalctl parse: unexpected argument '%.*s'\n%.*s", static_cast<int>(args[i].size()),
                         args[i].data(), static_cast<int>(k_parse_usage.size()), k_parse_usage.data());
            return k_exit_usage;
        }
    }
    if (!path) {
        std::fprintf(stderr, "%.*s", static_cast<int>(k_parse_usage.size()), k_parse_usage.data());
        return k_exit_usage;
    }
    const std::optional<std::string> bytes = read_input(*path);
    if (!bytes) {
        std::fprintf(stderr, "signalctl parse: cannot read %s\n", path->c_str());
        return k_exit_failure;
    }
    feed::ParseOptions options;
    if (base_url) {
        options.base_url = *base_url;
    } else if (*path != "-") {
        std::error_code error;
        const std::filesystem::path absolute = std::filesystem::absolute(*path, error);
        options.base_url = feed::file_url(error ? *path : absolute.string());
    }
    const auto parsed = feed::parse(*bytes, options);
    if (!parsed) {
        std::fprintf(stderr, "signalctl parse: %s: %s\n", path->c_str(), parsed.error().message.c_str());
        return k_exit_failure;
    }
    for (const std::string& warning : parsed->warnings) {
        std::fprintf(stderr, "signalctl parse: %s: warning: %s\n", path->c_str(), warning.c_str());
    }
    if (json) {
        // Parsed text is valid UTF-8 already; replace keeps a stray byte from ever aborting output.
        std::puts(to_json(*parsed).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    } else {
        print_listing(*parsed);
    }
    return k_exit_ok;
}

}  // namespace signalmon::cli
