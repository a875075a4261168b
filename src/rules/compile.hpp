// Compiles a RuleSet into Hyperscan databases: caseless literals for phrases, a second database
// for regexes (and a fast filter in front of it). CONTRACT (app-facing, keep): CompiledRules::rules(), compile().
#pragma once

#include <hs/hs.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "rules/rule_set.hpp"

namespace signalmon::rules {

struct DatabaseDeleter {
    void operator()(hs_database_t* database) const { hs_free_database(database); }
};
using DatabasePtr = std::unique_ptr<hs_database_t, DatabaseDeleter>;

// One literal of the literal database (its Hyperscan id is its index): a pattern's expression or
// one of its variants, with its length, since literals are scanned without start-of-match tracking.
struct LiteralEntry {
    std::uint32_t pattern = 0;  // RuleSet::patterns index
    std::uint32_t length = 0;
};

// The literals of the rules in database order: every literal pattern's forms, in pattern order.
std::vector<LiteralEntry> literal_entries(const RuleSet& rules);

// Immutable once built, so one instance is shared by every Matcher on every thread.
class CompiledRules {
public:
    CompiledRules(RuleSet rules, DatabasePtr literals, DatabasePtr regexes, DatabasePtr regex_filter);

    const RuleSet& rules() const;
    // Null when the rules have no pattern of that engine.
    const hs_database_t* literal_database() const { return m_literals.get(); }
    const hs_database_t* regex_database() const { return m_regexes.get(); }
    // The regexes again without start-of-match tracking, stopping at the first match: about three
    // times faster, it tells whether a field needs the regex database at all. Null when there are
    // no regexes (or Hyperscan would not build it; then every field gets the regex database).
    const hs_database_t* regex_filter_database() const { return m_regex_filter.get(); }
    std::size_t literal_count() const { return m_literal_count; }
    // Literal database id → pattern and length.
    const std::vector<LiteralEntry>& literals() const { return m_literal_entries; }
    std::size_t regex_count() const { return m_rules.patterns.size() - m_literal_count; }
    std::size_t database_bytes() const;  // hs_database_size of every database

private:
    RuleSet m_rules;
    DatabasePtr m_literals;
    DatabasePtr m_regexes;
    DatabasePtr m_regex_filter;
    std::size_t m_literal_count = 0;
    std::vector<LiteralEntry> m_literal_entries;
};

// Throws RuleError (FILE:LINE:COL naming the pattern and Hyperscan's reason) if a pattern is rejected.
std::shared_ptr<const CompiledRules> compile(RuleSet rules);

}  // namespace signalmon::rules
