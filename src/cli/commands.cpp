// The table of signalctl subcommands and the top-level argument handling.
#include "cli/command.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <vector>

namespace signalmon::cli {

int run_brief(const GlobalOptions&, std::span<const std::string_view>);
int run_eval(const GlobalOptions&, std::span<const std::string_view>);
int run_feeds(const GlobalOptions&, std::span<const std::string_view>);
int run_hits(const GlobalOptions&, std::span<const std::string_view>);
int run_ledger(const GlobalOptions&, std::span<const std::string_view>);
int run_match(const GlobalOptions&, std::span<const std::string_view>);
int run_parse(const GlobalOptions&, std::span<const std::string_view>);
int run_poll(const GlobalOptions&, std::span<const std::string_view>);
int run_reload(const GlobalOptions&, std::span<const std::string_view>);
int run_replay(const GlobalOptions&, std::span<const std::string_view>);
int run_rules(const GlobalOptions&, std::span<const std::string_view>);
int run_status(const GlobalOptions&, std::span<const std::string_view>);
int run_version(const GlobalOptions&, std::span<const std::string_view>);
int run_alerts(const GlobalOptions&, std::span<const std::string_view>);
int run_store(const GlobalOptions&, std::span<const std::string_view>);

namespace {

constexpr std::array k_commands{
    Command{
        "hits",
        "hits [--since 24h|7d|RFC3339] [--brief ID] [--kind K] [--min-score N] [--limit N] [--json|--csv] [--explain]",
        "list stored hits, newest first", run_hits},
    Command{"ledger", "ledger [--brief ID] [--since 90d|RFC3339] [--by day|week|month] [--json|--csv]",
            "per brief and period: distinct stories of confirm, kill and watch evidence, the strongest, the balance",
            run_ledger},
    Command{"feeds", "feeds [--failing] [--json] | feeds import FILE.opml | feeds export",
            "show each feed's polling state; OPML 2.0 import (prints feeds.yaml entries) and export", run_feeds},
    Command{"rules", "rules check [DIR] [--calibrate] [--background PATH] [--noise-budget SHARE]",
            "validate and compile the rule files in DIR (default: the config's rules_dir), run their examples and "
            "with --calibrate each signal's rate on the store's items or the background corpus",
            run_rules},
    Command{"match", "match [--brief ID] [--feed ID] [--rules DIR] [--json] FILE|URL|-",
            "explain how the live rules score a feed file, URL or text on stdin (the store is not touched)", run_match},
    Command{"replay", "replay [--since 30d|RFC3339] [--brief ID] [--dry-run] [--alert] [--rules DIR] [--json]",
            "re-score stored items with the current rules: record new hits as replayed, list retracted ones",
            run_replay},
    Command{"brief",
            "brief import BRIEF.txt [-o rules/NAME.yaml] [--force] [--rules DIR] [--background PATH] [--noise-budget "
            "SHARE]",
            "compile a Daily Brief into a calibrated draft rule file (every signal marked draft: true)", run_brief},
    Command{"eval", "eval [--draft] [--rules DIR] [--background PATH] [--verbose] CASES.yaml|DIR...",
            "recall by kind, look-alike and background alarms of the rules (or of drafts) on labelled stories",
            run_eval},
    Command{"parse", "parse FILE|- [--base-url URL] [--json]", "show the items signalmon reads from a feed file",
            run_parse},
    Command{"status", "status [--json]", "the running daemon's state (exit 3 and the store's view if it is down)",
            run_status},
    Command{"reload", "reload", "make the daemon reload feeds.yaml and rules (it keeps the old ones if bad)",
            run_reload},
    Command{"poll", "poll [FEED]", "make the daemon poll FEED (default: every feed) now and report", run_poll},
    Command{"alerts", "alerts [--pending|--failed|--sent] [--limit N] [--json] | alerts retry ID|--all-failed",
            "show the alert outbox; requeue failed alerts", run_alerts},
    Command{"store", "store migrate --to postgresql://HOST/DB [--password-env VAR | --password-file PATH]",
            "copy the SQLite store into an empty PostgreSQL database", run_store},
    Command{"version", "version", "print the version", run_version},
};

void print_usage(std::FILE* out) {
    std::fputs("usage: signalctl [--config FILE] COMMAND [ARGS]\n\ncommands:\n", out);
    for (const Command& command : k_commands) {
        std::fprintf(out, "  %-44.*s\n      %.*s\n", static_cast<int>(command.usage.size()), command.usage.data(),
                     static_cast<int>(command.summary.size()), command.summary.data());
    }
    std::fputs(
        "\noptions:\n  --config FILE   feeds.yaml to read (default: ./feeds.yaml if it exists, else\n"
        "                  " SIGNALMON_INSTALLED_CONFIG
        ", the installed service's)\n"
        "  --utc           show times in UTC, not in feeds.yaml's timezone (also after COMMAND)\n"
        "  --version       print the version\n  --help          print this help\n"
        "\nexit status: 0 ok; 1 the command failed (bad rules, a refused reload, a failed poll);\n"
        "2 bad command line; 3 signalmond is not running (status, reload, poll).\n",
        out);
}

}  // namespace

std::span<const Command> commands() { return k_commands; }

int run_signalctl(int argc, char** argv) {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    GlobalOptions global;
    // --utc is read wherever it stands, so `signalctl hits --utc` works as well as `signalctl --utc hits`.
    global.utc = std::erase(args, "--utc") > 0;
    // An operator on a server runs plain `signalctl status`; a developer runs it in a checkout.
    if (!std::filesystem::exists(global.config_path) && std::filesystem::exists(SIGNALMON_INSTALLED_CONFIG)) {
        global.config_path = SIGNALMON_INSTALLED_CONFIG;
    }
    std::size_t next = 0;
    while (next < args.size() && args[next].starts_with("--")) {
        if (args[next] == "--help") {
            print_usage(stdout);
            return k_exit_ok;
        }
        if (args[next] == "--version") {
            return run_version(global, {});
        }
        if (args[next] == "--config" && next + 1 < args.size()) {
            global.config_path = std::string(args[next + 1]);
            next += 2;
            continue;
        }
        std::fprintf(stderr, "signalctl: unknown option '%.*s'\n", static_cast<int>(args[next].size()),
                     args[next].data());
        print_usage(stderr);
        return k_exit_usage;
    }
    if (next == args.size()) {
        print_usage(stderr);
        return k_exit_usage;
    }
    for (const Command& command : k_commands) {
        if (command.name != args[next]) continue;
        // `signalctl CMD --help` (or -h) anywhere after the command: its usage and summary, exit 0,
        // before the command reads its arguments (`rules check --help` is not a directory).
        const auto rest = std::span(args).subspan(next + 1);
        if (std::ranges::any_of(rest, [](std::string_view arg) { return arg == "--help" || arg == "-h"; })) {
            std::printf("usage: signalctl %.*s\n\n%.*s\n", static_cast<int>(command.usage.size()), command.usage.data(),
                        static_cast<int>(command.summary.size()), command.summary.data());
            return k_exit_ok;
        }
        try {
            return command.run(global, std::span(args).subspan(next + 1));
        } catch (const std::exception& error) {
            std::fprintf(stderr, "signalctl %.*s: %s\n", static_cast<int>(command.name.size()), command.name.data(),
                         error.what());
            return k_exit_failure;
        }
    }
    std::fprintf(stderr, "signalctl: unknown command '%.*s' (see signalctl --help)\n",
                 static_cast<int>(args[next].size()), args[next].data());
    return k_exit_usage;
}

}  // namespace signalmon::cli
