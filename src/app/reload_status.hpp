// What the daemon knows about its rules for `signalctl status`: the active rules' hash and how
// the last reload (SIGHUP, `signalctl reload` or a rules_dir edit) went.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace signalmon::app {

struct ReloadStatus {
    std::string rules_hash;  // rules::RuleSet::content_hash of the rules in use
    std::size_t draft_signals = 0;
    std::optional<std::chrono::system_clock::time_point> last_reload;  // absent: none since start
    std::string last_trigger;  // "SIGHUP", "rules_dir change", ...
    bool last_ok = true;
    std::string last_message;  // "loaded 2 briefs, 9 signals" or the error, "FILE:LINE:COL: message"
};

}  // namespace signalmon::app
