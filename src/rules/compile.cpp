// Builds the two Hyperscan databases from the deduplicated pattern table; pattern id = Hyperscan id.
#include "rules/compile.hpp"

#include <vector>

namespace signalmon::rules {

namespace {

// The arrays hs_compile_*_multi take, for the patterns of one engine.
struct Batch {
    std::vector<const char*> expressions;
    std::vector<std::size_t> lengths;
    std::vector<unsigned> flags;
    std::vector<unsigned> ids;
    std::vector<std::uint32_t> patterns;  // RuleSet::patterns index of each expression
};

[[noreturn]] void reject(const RuleSet& rules, const Batch& batch, hs_compile_error_t* error) {
    std::string reason = error != nullptr && error->message != nullptr ? error->message : "unknown error";
    const int index = error != nullptr ? error->expression : -1;
    hs_free_compile_error(error);
    if (index >= 0 && static_cast<std::size_t>(index) < batch.patterns.size()) {
        const CompiledPattern& pattern = rules.patterns[batch.patterns[static_cast<std::size_t>(index)]];
        throw RuleError(to_string(pattern.where) + ": pattern '" + pattern.written +
                        "' is rejected by Hyperscan: " + reason);
    }
    // Not tied to one pattern (e.g. the whole set is too large): name the first file involved.
    const CompiledPattern& first = rules.patterns[batch.patterns.front()];
    throw RuleError(to_string(first.where) + ": the rules do not compile in Hyperscan: " + reason);
}

DatabasePtr compile_batch(const RuleSet& rules, const Batch& batch, PatternEngine engine) {
    if (batch.ids.empty()) {
        return nullptr;
    }
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    const auto count = static_cast<unsigned>(batch.ids.size());
    const hs_error_t status =
        engine == PatternEngine::literal
            ? hs_compile_lit_multi(batch.expressions.data(), batch.flags.data(), batch.ids.data(), batch.lengths.data(),
                                   count, HS_MODE_BLOCK, nullptr, &database, &error)
            : hs_compile_multi(batch.expressions.data(), batch.flags.data(), batch.ids.data(), count, HS_MODE_BLOCK,
                               nullptr, &database, &error);
    if (status != HS_SUCCESS) {
        reject(rules, batch, error);
    }
    return DatabasePtr(database);
}

// Regex matches are rare, so most fields need only a yes/no: without start-of-match tracking and
// with one report per pattern, Hyperscan scans the same regexes about three times faster.
DatabasePtr compile_filter(const Batch& regexes) {
    if (regexes.ids.empty()) {
        return nullptr;
    }
    std::vector<unsigned> flags = regexes.flags;
    for (unsigned& flag : flags) {
        flag = (flag & ~static_cast<unsigned>(HS_FLAG_SOM_LEFTMOST)) | HS_FLAG_SINGLEMATCH;
    }
    hs_database_t* database = nullptr;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(regexes.expressions.data(), flags.data(), regexes.ids.data(),
                         static_cast<unsigned>(regexes.ids.size()), HS_MODE_BLOCK, nullptr, &database,
                         &error) != HS_SUCCESS) {
        hs_free_compile_error(error);
        return nullptr;  // the exact database alone still matches correctly, only slower
    }
    return DatabasePtr(database);
}

std::size_t size_of(const hs_database_t* database) {
    std::size_t bytes = 0;
    if (database != nullptr && hs_database_size(database, &bytes) != HS_SUCCESS) {
        bytes = 0;
    }
    return bytes;
}

}  // namespace

std::vector<LiteralEntry> literal_entries(const RuleSet& rules) {
    std::vector<LiteralEntry> entries;
    entries.reserve(rules.patterns.size());
    for (std::size_t id = 0; id < rules.patterns.size(); ++id) {
        const PatternSpec& spec = rules.patterns[id].spec;
        if (spec.engine != PatternEngine::literal) continue;
        if (spec.variants.empty()) {
            entries.push_back({static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(spec.expression.size())});
        }
        for (const std::string& variant : spec.variants) {
            entries.push_back({static_cast<std::uint32_t>(id), static_cast<std::uint32_t>(variant.size())});
        }
    }
    return entries;
}

CompiledRules::CompiledRules(RuleSet rules, DatabasePtr literals, DatabasePtr regexes, DatabasePtr regex_filter)
    : m_rules(std::move(rules)),
      m_literals(std::move(literals)),
      m_regexes(std::move(regexes)),
      m_regex_filter(std::move(regex_filter)) {
    for (const CompiledPattern& pattern : m_rules.patterns) {
        m_literal_count += pattern.spec.engine == PatternEngine::literal ? 1 : 0;
    }
    m_literal_entries = literal_entries(m_rules);
}

const RuleSet& CompiledRules::rules() const { return m_rules; }

std::size_t CompiledRules::database_bytes() const {
    return size_of(m_literals.get()) + size_of(m_regexes.get()) + size_of(m_regex_filter.get());
}

std::shared_ptr<const CompiledRules> compile(RuleSet rules) {
    Batch literals;
    Batch regexes;
    for (std::size_t id = 0; id < rules.patterns.size(); ++id) {
        const PatternSpec& spec = rules.patterns[id].spec;
        if (spec.engine == PatternEngine::literal) continue;
        regexes.expressions.push_back(spec.expression.c_str());
        regexes.lengths.push_back(spec.expression.size());
        regexes.flags.push_back(spec.flags);
        regexes.ids.push_back(static_cast<unsigned>(id));
        regexes.patterns.push_back(static_cast<std::uint32_t>(id));
    }
    // Literal ids index literal_entries(); reject() maps them back through it to name the pattern.
    const std::vector<LiteralEntry> entries = literal_entries(rules);
    std::vector<std::size_t> next_variant(rules.patterns.size(), 0);
    for (std::size_t index = 0; index < entries.size(); ++index) {
        const PatternSpec& spec = rules.patterns[entries[index].pattern].spec;
        const std::string& text =
            spec.variants.empty() ? spec.expression : spec.variants[next_variant[entries[index].pattern]++];
        literals.expressions.push_back(text.c_str());
        literals.lengths.push_back(text.size());
        literals.flags.push_back(spec.flags);
        literals.ids.push_back(static_cast<unsigned>(index));
        literals.patterns.push_back(entries[index].pattern);
    }
    DatabasePtr literal_database = compile_batch(rules, literals, PatternEngine::literal);
    DatabasePtr regex_database = compile_batch(rules, regexes, PatternEngine::regex);
    DatabasePtr regex_filter = compile_filter(regexes);
    return std::make_shared<const CompiledRules>(std::move(rules), std::move(literal_database),
                                                 std::move(regex_database), std::move(regex_filter));
}

}  // namespace signalmon::rules
