// Compiles a RuleSet into Hyperscan databases: caseless literals for phrases, a second database
// for regexes. CONTRACT (app-facing, keep): CompiledRules::rules(), compile().
#pragma once

#include <memory>

#include "rules/rule_set.hpp"

namespace signalmon::rules {

class CompiledRules {
public:
    const RuleSet& rules() const;
    // ... databases, pattern id → owners: designed by the rules module
};

// Throws RuleError (FILE:LINE:COL naming the pattern and Hyperscan's reason) if a pattern is rejected.
std::shared_ptr<const CompiledRules> compile(RuleSet rules);

}  // namespace signalmon::rules
