// The compiled-database cache: Hyperscan databases serialized into state_dir, so a restart with
// unchanged rules loads them instead of compiling. A file that fails any check is rebuilt, never used.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "rules/compile.hpp"

namespace signalmon::rules {

enum class CacheOutcome {
    loaded,    // a valid cache file matched the rules: nothing was compiled
    compiled,  // no cache file for these rules yet: compiled, then cached
    rebuilt,   // a cache file was there but corrupt or mismatched: discarded, compiled, cached again
};
std::string_view cache_outcome_name(CacheOutcome outcome);  // "loaded", "compiled", "rebuilt"

struct CachedRules {
    std::shared_ptr<const CompiledRules> compiled;
    CacheOutcome outcome = CacheOutcome::compiled;
    std::filesystem::path file;  // the cache file for these rules
    std::string problem;         // rebuilt: why the old file was discarded; else a cache write failure, if any
    double seconds = 0;          // compiling or loading, whichever happened
};

// Hex key of everything the databases depend on: the deduplicated pattern table (engine, flags,
// expression, order), the Hyperscan version, the platform it tunes for, and the file format.
std::string database_key(const RuleSet& rules);

// Loads the databases for rules from cache_dir if a valid file is there, else compiles (throwing
// RuleError like compile()) and writes the file, removing stale cache files. Failing to write the
// cache is logged and returned in problem, never fatal. Logs which of the three happened.
CachedRules compile_cached(RuleSet rules, const std::filesystem::path& cache_dir);

}  // namespace signalmon::rules
