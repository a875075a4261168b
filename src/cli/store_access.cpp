// Shared plumbing of the read-only signalctl subcommands.
#include "cli/store_access.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

#include "app/store_open.hpp"
#include "cli/rules_access.hpp"
#include "config/units.hpp"
#include "feed/date.hpp"
#include "rules/rule_set.hpp"

namespace signalmon::cli {

namespace {

// "-3", "+2", "-0.5": a signed decimal number, which a spreadsheet reads as a value, not a formula.
bool is_number(std::string_view value) {
    value.remove_prefix(value.starts_with('-') || value.starts_with('+') ? 1 : 0);
    const bool has_digit = value.find_first_of("0123456789") != std::string_view::npos;
    return has_digit && value.find_first_not_of("0123456789.") == std::string_view::npos &&
           value.find('.') == value.rfind('.');
}

std::optional<StoreContext> open_store(const GlobalOptions& global, store::OpenMode mode) {
    try {
        config::Config config = config::load_config(global.config_path);
        const auto path = config.database_path();
        if (config.store_url.empty() && !std::filesystem::exists(path)) {
            std::fprintf(stderr, "signalctl: no store at %s yet: run signalmond --config %s first\n", path.c_str(),
                         global.config_path.c_str());
            return std::nullopt;
        }
        auto store = app::open_configured_store(config, mode);
        return StoreContext{std::move(config), std::move(store)};
    } catch (const std::exception& error) {
        std::fprintf(stderr, "signalctl: %s\n", error.what());
        return std::nullopt;
    }
}

}  // namespace

std::optional<StoreContext> open_store_read_only(const GlobalOptions& global) {
    return open_store(global, store::OpenMode::read_only);
}

std::optional<StoreContext> open_store_read_write(const GlobalOptions& global) {
    return open_store(global, store::OpenMode::read_write);
}

std::optional<feed::UnixTime> parse_since(std::string_view text, feed::UnixTime now) {
    if (const auto duration = config::parse_duration(text)) return now - duration->count();
    return feed::parse_date(text);
}

std::string csv_field(std::string_view value) {
    // A spreadsheet runs a cell starting with = + - @ (or a tab or CR before one) as a formula,
    // such as =HYPERLINK(...) in a feed's title: a leading quote makes it text (OWASP's advice).
    // Numbers such as a negative score stay numbers.
    std::string guarded;
    if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos &&
        !is_number(value)) {
        guarded = "'" + std::string(value);
        value = guarded;
    }
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

const config::TimeZone& display_zone(const GlobalOptions& global, const config::Config& config) {
    static const config::TimeZone k_utc;
    return global.utc ? k_utc : config.time_zone;
}

std::vector<std::string> known_briefs(StoreContext& context) {
    std::vector<std::string> briefs = context.store->hit_briefs();
    try {
        std::ranges::copy(brief_ids(rules::load_rules_dir(context.config.rules_dir)), std::back_inserter(briefs));
    } catch (const std::exception&) {
        // Broken rules do not stop reading hits; the store still knows the briefs that matched.
    }
    std::ranges::sort(briefs);
    const auto [first, last] = std::ranges::unique(briefs);
    briefs.erase(first, last);
    return briefs;
}

}  // namespace signalmon::cli
