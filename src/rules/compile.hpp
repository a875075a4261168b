// Compiles a RuleSet into Hyperscan databases: caseless literals for phrases, a second database
// for regexes. CONTRACT (app-facing, keep): CompiledRules::rules(), compile().
#pragma once

#include <hs/hs.h>

#include <cstddef>
#include <memory>

#include "rules/rule_set.hpp"

namespace signalmon::rules {

struct DatabaseDeleter {
    void operator()(hs_database_t* database) const { hs_free_database(database); }
};
using DatabasePtr = std::unique_ptr<hs_database_t, DatabaseDeleter>;

// Immutable once built, so one instance is shared by every Matcher on every thread.
class CompiledRules {
public:
    CompiledRules(RuleSet rules, DatabasePtr literals, DatabasePtr regexes);

    const RuleSet& rules() const;
    // Null when the rules have no pattern of that engine.
    const hs_database_t* literal_database() const { return m_literals.get(); }
    const hs_database_t* regex_database() const { return m_regexes.get(); }
    std::size_t literal_count() const { return m_literal_count; }
    std::size_t regex_count() const { return m_rules.patterns.size() - m_literal_count; }
    std::size_t database_bytes() const;  // hs_database_size of both databases

private:
    RuleSet m_rules;
    DatabasePtr m_literals;
    DatabasePtr m_regexes;
    std::size_t m_literal_count = 0;
};

// Throws RuleError (FILE:LINE:COL naming the pattern and Hyperscan's reason) if a pattern is rejected.
std::shared_ptr<const CompiledRules> compile(RuleSet rules);

}  // namespace signalmon::rules
