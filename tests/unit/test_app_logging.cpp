// journald priority prefixes for each spdlog level.
#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include "app/logging.hpp"

using signalmon::app::journal_priority_prefix;

TEST_CASE("journald priority prefixes follow syslog levels") {
    CHECK(journal_priority_prefix(spdlog::level::critical) == "<2>");
    CHECK(journal_priority_prefix(spdlog::level::err) == "<3>");
    CHECK(journal_priority_prefix(spdlog::level::warn) == "<4>");
    CHECK(journal_priority_prefix(spdlog::level::info) == "<6>");
    CHECK(journal_priority_prefix(spdlog::level::debug) == "<7>");
    CHECK(journal_priority_prefix(spdlog::level::trace) == "<7>");
}
