// Tests for src/app/state_lock.cpp: one holder per state directory, named to whoever comes second.
#include <doctest/doctest.h>
#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "app/state_lock.hpp"
#include "temp_dir.hpp"

using namespace signalmon;
using signalmon::testing::TempDir;

TEST_CASE("the state directory lock is exclusive, names its holder's PID, and is free again once released") {
    TempDir dir;
    const auto state = dir.path() / "state";
    std::optional<app::StateDirLock> first(std::in_place, state);
    std::ifstream written(first->path());
    std::stringstream pid;
    pid << written.rdbuf();
    CHECK(pid.str() == std::to_string(::getpid()) + "\n");

    // flock conflicts between two open descriptions even within one process, as between two daemons.
    const std::string expected = "another signalmond (pid " + std::to_string(::getpid()) + ") is working";
    CHECK_THROWS_WITH_AS(app::StateDirLock{state}, doctest::Contains(expected.c_str()), std::runtime_error);
    first.reset();
    CHECK_NOTHROW(app::StateDirLock{state});
}
