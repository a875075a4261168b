// Scans an Item's text fields against every brief at once. CONTRACT (app-facing, keep):
// Matcher(compiled), scan(item) -> MatchSet. One Matcher per thread (it owns Hyperscan scratch).
#pragma once

#include <memory>

#include "feed/item.hpp"
#include "rules/compile.hpp"

namespace signalmon::match {

struct MatchSet {
    // ... occurrences of patterns per field with offsets: designed by the match module
};

class Matcher {
public:
    explicit Matcher(std::shared_ptr<const rules::CompiledRules> compiled);
    MatchSet scan(const feed::Item& item);
};

}  // namespace signalmon::match
