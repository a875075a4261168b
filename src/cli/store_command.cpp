// signalctl store migrate --to postgresql://...: copies the configured SQLite store into an empty
// PostgreSQL database, after which feeds.yaml can name it with `store:`.
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>

#include "alert/secrets.hpp"
#include "cli/arguments.hpp"
#include "cli/command.hpp"
#include "config/config.hpp"
#include "store/copy.hpp"
#include "store/store.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_store_usage =
    "store migrate --to postgresql://HOST/DB [--password-env VAR | --password-file PATH]";

}  // namespace

int run_store(const GlobalOptions& global, std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, {}, {"--to", "--password-env", "--password-file"});
    if (!parsed) return usage_error(parsed.error(), k_store_usage);
    if (parsed->positionals.size() != 1 || parsed->positionals[0] != "migrate")
        return usage_error("expected 'store migrate'", k_store_usage);
    const auto url = parsed->value("--to");
    if (!url || !store::is_server_url(*url))
        return usage_error("--to wants a PostgreSQL URL (postgresql://host/database)", k_store_usage);
    if (parsed->value("--password-env") && parsed->value("--password-file"))
        return usage_error("give either --password-env or --password-file, not both", k_store_usage);
    try {
        const config::Config config = config::load_config(global.config_path);
        std::string password;
        std::optional<config::SecretRef> secret = config.store_password;
        if (const auto env = parsed->value("--password-env"))
            secret = config::SecretRef{config::SecretRef::Source::env, *env};
        if (const auto file = parsed->value("--password-file"))
            secret = config::SecretRef{config::SecretRef::Source::file, *file};
        if (secret) {
            auto resolved = alert::resolve_secret(*secret);
            if (!resolved) throw std::runtime_error("store password: " + resolved.error());
            password = std::move(*resolved);
        }
        if (!std::filesystem::exists(config.database_path())) {
            std::fprintf(stderr, "signalctl: no SQLite store at %s to migrate\n", config.database_path().c_str());
            return k_exit_failure;
        }
        for (const auto& [table, rows] : store::copy_sqlite_to_postgres(config.database_path(), *url, password)) {
            std::printf("%-22s %lld rows\n", table.c_str(), static_cast<long long>(rows));
        }
        std::printf("copied %s into %s; name it in feeds.yaml with 'store:' and restart signalmond\n",
                    config.database_path().c_str(), url->c_str());
        return k_exit_ok;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "signalctl: store migrate: %s\n", error.what());
        return k_exit_failure;
    }
}

}  // namespace signalmon::cli
