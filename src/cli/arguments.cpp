// Argument parsing for signalctl subcommands.
#include "cli/arguments.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "cli/command.hpp"
#include "text/did_you_mean.hpp"

namespace signalmon::cli {

std::optional<std::string> Arguments::value(std::string_view name) const {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
}

std::expected<Arguments, std::string> parse_arguments(std::span<const std::string_view> args,
                                                      std::initializer_list<std::string_view> flags,
                                                      std::initializer_list<std::string_view> valued) {
    Arguments parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        // Short options ("-o") are spelled out in `valued` or `flags` like long ones.
        const bool known_short =
            arg.size() == 2 && arg[0] == '-' &&
            (std::ranges::find(valued, arg) != valued.end() || std::ranges::find(flags, arg) != flags.end());
        if ((!arg.starts_with("--") && !known_short) || arg == "-") {
            parsed.positionals.emplace_back(arg);
            continue;
        }
        std::optional<std::string_view> inline_value;
        if (const auto equals = arg.find('='); equals != std::string_view::npos) {
            inline_value = arg.substr(equals + 1);
            arg = arg.substr(0, equals);
        }
        if (std::ranges::find(flags, arg) != flags.end() && !inline_value) {
            parsed.flags.emplace(arg);
        } else if (std::ranges::find(valued, arg) != valued.end()) {
            if (!inline_value && i + 1 >= args.size())
                return std::unexpected("option " + std::string(arg) + " needs a value");
            parsed.values[std::string(arg)] = std::string(inline_value ? *inline_value : args[++i]);
        } else {
            std::vector<std::string_view> known(flags);
            known.insert(known.end(), valued.begin(), valued.end());
            return std::unexpected("unknown option '" + std::string(arg) + "'" + text::did_you_mean(arg, known));
        }
    }
    return parsed;
}

int usage_error(std::string_view message, std::string_view usage) {
    std::fprintf(stderr, "signalctl: %.*s\nusage: signalctl %.*s\n", static_cast<int>(message.size()), message.data(),
                 static_cast<int>(usage.size()), usage.data());
    return k_exit_usage;
}

bool known_id(std::string_view what, std::string_view id, std::span<const std::string> known) {
    if (std::ranges::find(known, id) != known.end()) return true;
    const std::vector<std::string_view> candidates(known.begin(), known.end());
    std::string listed;
    for (const std::string& name : known) listed += (listed.empty() ? "" : ", ") + name;
    std::fprintf(stderr, "signalctl: unknown %.*s '%.*s'%s; known %.*ss: %s\n", static_cast<int>(what.size()),
                 what.data(), static_cast<int>(id.size()), id.data(), text::did_you_mean(id, candidates).c_str(),
                 static_cast<int>(what.size()), what.data(), listed.empty() ? "none" : listed.c_str());
    return false;
}

}  // namespace signalmon::cli
