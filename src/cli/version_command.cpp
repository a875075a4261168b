// signalctl version: the version of signalmon and of the Hyperscan it was built with.
#include <hs/hs.h>

#include <cstdio>

#include "cli/command.hpp"

namespace signalmon::cli {

int run_version(const GlobalOptions&, std::span<const std::string_view>) {
    std::printf("signalctl %s (Hyperscan %s)\n", SIGNALMON_VERSION, hs_version());
    return k_exit_ok;
}

}  // namespace signalmon::cli
