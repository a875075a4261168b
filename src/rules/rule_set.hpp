// Rules as data: the briefs loaded from rules/*.yaml, each with its weighted signals and patterns.
// CONTRACT (app-facing, keep): RuleError, Kind/kind_name, Brief{id,title,source,threshold,signals},
// Signal{id,kind,weight,says}, RuleSet{briefs}, load_rules_dir(). Other members are free to design.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::rules {

enum class Kind { watch, confirm, kill };
std::string_view kind_name(Kind kind);  // "watch", "confirm", "kill"

// A startup error in a rule file; what() is "FILE:LINE:COL: message" (1-based line and column).
class RuleError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Signal {
    std::string id;
    Kind kind = Kind::watch;
    int weight = 1;
    std::string says;
    // ... groups, near, unless, fields: designed by the rules module
};

struct Brief {
    std::string id;
    std::string title;
    std::string source;
    int threshold = 1;
    std::vector<Signal> signals;
    std::filesystem::path file;
};

struct RuleSet {
    std::vector<Brief> briefs;
    // ... the deduplicated pattern table: designed by the rules module
};

// Loads and validates every *.yaml in dir (sorted by name). Throws RuleError on the first problem.
RuleSet load_rules_dir(const std::filesystem::path& dir);

}  // namespace signalmon::rules
