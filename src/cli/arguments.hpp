// Command-line parsing shared by the signalctl subcommands: flags, --name VALUE options, positionals.
#pragma once

#include <expected>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::cli {

struct Arguments {
    std::set<std::string, std::less<>> flags;
    std::map<std::string, std::string, std::less<>> values;
    std::vector<std::string> positionals;

    bool has(std::string_view flag) const { return flags.contains(flag); }
    std::optional<std::string> value(std::string_view name) const;
};

// flags take no value ("--json"); valued options take the next word or "=VALUE" ("--since 24h").
// The error names the offending word, ready to print after "signalctl COMMAND: ".
std::expected<Arguments, std::string> parse_arguments(std::span<const std::string_view> args,
                                                      std::initializer_list<std::string_view> flags,
                                                      std::initializer_list<std::string_view> valued);

// Prints "signalctl: MESSAGE\nusage: signalctl USAGE" to stderr and returns k_exit_usage.
int usage_error(std::string_view message, std::string_view usage);

// For --brief, --feed and --kind: true when id is one of known. Otherwise prints
// "signalctl: unknown brief 'x' (did you mean 'y'?); known briefs: a, b" to stderr and the caller
// exits k_exit_failure, so a typo never reads as "0 hits".
bool known_id(std::string_view what, std::string_view id, std::span<const std::string> known);

}  // namespace signalmon::cli
