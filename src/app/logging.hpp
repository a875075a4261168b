// Log setup for signalmond: spdlog to stderr, with journald priority prefixes under systemd.
#pragma once

#include <string>
#include <string_view>

namespace signalmon::app {

// "<3>" for errors … "<7>" for debug: the prefix journald reads as the line's priority.
std::string_view journal_priority_prefix(int spdlog_level);

// Whether stderr goes to the journal (JOURNAL_STREAM is set).
bool journal_logging();

// Under systemd (JOURNAL_STREAM set) lines carry a priority prefix and no timestamp (the journal
// adds its own); elsewhere they start with an ISO 8601 time and the level name.
void setup_logging(bool verbose);

}  // namespace signalmon::app
