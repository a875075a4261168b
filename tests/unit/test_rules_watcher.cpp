// Tests for rules/watcher: a burst of rule-file edits is reported once after the debounce period;
// non-rule files are ignored; nothing is reported without a change.
#include <doctest/doctest.h>

#include <poll.h>

#include <chrono>
#include <thread>

#include "rules/watcher.hpp"
#include "temp_dir.hpp"

using namespace signalmon;
using namespace std::chrono_literals;

namespace {

// Polls the watcher like the daemon loop does, for up to `limit`; counts the reported changes.
int changes_within(rules::RulesWatcher& watcher, std::chrono::milliseconds limit) {
    int changes = 0;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd descriptor{.fd = watcher.fd(), .events = POLLIN, .revents = 0};
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (::poll(&descriptor, 1, static_cast<int>(std::max<long>(left.count(), 0))) > 0 && watcher.changed())
            ++changes;
    }
    return changes;
}

}  // namespace

TEST_CASE("a burst of edits to rule files is one change, reported after the quiet period") {
    testing::TempDir dir;
    dir.write("a.yaml", "first");
    rules::RulesWatcher watcher(dir.path(), 150ms);
    CHECK(changes_within(watcher, 300ms) == 0);

    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 5; ++i) {
        dir.write("a.yaml", "edit " + std::to_string(i));
        std::this_thread::sleep_for(30ms);
    }
    dir.write("b.yaml", "new file");
    pollfd descriptor{.fd = watcher.fd(), .events = POLLIN, .revents = 0};
    bool reported = false;
    while (!reported && std::chrono::steady_clock::now() - start < 3s) {
        if (::poll(&descriptor, 1, 100) > 0) reported = watcher.changed();
    }
    CHECK(reported);
    // Not before the last edit (at ~150 ms) plus the debounce.
    CHECK(std::chrono::steady_clock::now() - start >= 280ms);
    CHECK(changes_within(watcher, 400ms) == 0);

    std::filesystem::rename(dir.path() / "b.yaml", dir.path() / "c.yaml");
    CHECK(changes_within(watcher, 600ms) == 1);
    std::filesystem::remove(dir.path() / "c.yaml");
    CHECK(changes_within(watcher, 600ms) == 1);
}

TEST_CASE("editor swap files and other files do not count as rule changes") {
    testing::TempDir dir;
    rules::RulesWatcher watcher(dir.path(), 50ms);
    dir.write(".a.yaml.swp", "swap");
    dir.write("notes.txt", "notes");
    dir.write("a.yaml~", "backup");
    CHECK(changes_within(watcher, 300ms) == 0);
}

TEST_CASE("watching a missing directory is an error") {
    CHECK_THROWS_AS(rules::RulesWatcher("/nonexistent/rules"), std::system_error);
}
