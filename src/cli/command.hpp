// signalctl's subcommands: each lives in its own file and is listed once in commands.cpp.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace signalmon::cli {

// Exit codes, part of signalctl's documented contract.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_failure = 1;      // the command ran and found a problem (e.g. bad rules)
inline constexpr int k_exit_usage = 2;        // bad command line
inline constexpr int k_exit_not_running = 3;  // status/reload/poll: signalmond does not answer

// Options every subcommand sees, parsed before the subcommand name.
struct GlobalOptions {
    std::string config_path = "feeds.yaml";
    bool utc = false;  // --utc: tables show UTC whatever feeds.yaml's `timezone` says
};

// args excludes the program and subcommand names.
using CommandFunction = int (*)(const GlobalOptions& global, std::span<const std::string_view> args);

struct Command {
    std::string_view name;
    std::string_view usage;    // one line: "hits [--since D] ..."
    std::string_view summary;  // one sentence
    CommandFunction run;
};

std::span<const Command> commands();

// Entry point of signalctl.
int run_signalctl(int argc, char** argv);

}  // namespace signalmon::cli
