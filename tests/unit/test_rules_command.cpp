// Tests for `signalctl rules check`: exit codes on good rules, bad rules and bad usage.
#include <doctest/doctest.h>

#include <array>
#include <string>

#include "cli/command.hpp"

namespace signalmon::cli {
int run_rules(const GlobalOptions&, std::span<const std::string_view>);
}

using namespace signalmon::cli;

TEST_CASE("rules check exits 0 on good rules, 1 on bad rules, 2 on bad usage") {
    const std::string data = SIGNALMON_TEST_DATA;
    const std::string good = data + "/rules/good";
    const std::string duplicated = data + "/rules/dup_briefs";
    const GlobalOptions global;
    CHECK(run_rules(global, std::array<std::string_view, 2>{"check", good}) == k_exit_ok);
    CHECK(run_rules(global, std::array<std::string_view, 2>{"check", duplicated}) == k_exit_failure);
    CHECK(run_rules(global, std::array<std::string_view, 1>{"lint"}) == k_exit_usage);
    CHECK(run_rules(global, {}) == k_exit_usage);
}
