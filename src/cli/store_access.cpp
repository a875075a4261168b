// Shared plumbing of the read-only signalctl subcommands.
#include "cli/store_access.hpp"

#include <cstdio>

#include "config/units.hpp"
#include "feed/date.hpp"

namespace signalmon::cli {

namespace {

std::optional<StoreContext> open_store(const GlobalOptions& global, store::Database::Mode mode) {
    try {
        config::Config config = config::load_config(global.config_path);
        const auto path = config.database_path();
        if (!std::filesystem::exists(path)) {
            std::fprintf(stderr, "signalctl: no store at %s yet: run signalmond --config %s first\n", path.c_str(),
                         global.config_path.c_str());
            return std::nullopt;
        }
        return StoreContext{std::move(config), store::Store(path, mode)};
    } catch (const std::exception& error) {
        std::fprintf(stderr, "signalctl: %s\n", error.what());
        return std::nullopt;
    }
}

}  // namespace

std::optional<StoreContext> open_store_read_only(const GlobalOptions& global) {
    return open_store(global, store::Database::Mode::read_only);
}

std::optional<StoreContext> open_store_read_write(const GlobalOptions& global) {
    return open_store(global, store::Database::Mode::read_write);
}

std::optional<feed::UnixTime> parse_since(std::string_view text, feed::UnixTime now) {
    if (const auto duration = config::parse_duration(text)) return now - duration->count();
    return feed::parse_date(text);
}

std::string csv_field(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string quoted = "\"";
    for (char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

}  // namespace signalmon::cli
