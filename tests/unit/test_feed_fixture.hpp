// Shared by the feed tests: reads a file from tests/data/feed.
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <string>

namespace signalmon::feed::test {

inline std::string read_fixture(const std::string& name) {
    const std::string path = std::string(SIGNALMON_TEST_DATA) + "/feed/" + name;
    std::FILE* file = std::fopen(path.c_str(), "rb");
    REQUIRE_MESSAGE(file != nullptr, "missing fixture " << path);
    std::string contents;
    char buffer[65536];
    for (std::size_t got = 0; (got = std::fread(buffer, 1, sizeof buffer, file)) > 0;) {
        contents.append(buffer, got);
    }
    std::fclose(file);
    return contents;
}

}  // namespace signalmon::feed::test
