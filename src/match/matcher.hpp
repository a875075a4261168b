// Scans an Item's text fields against every brief at once. CONTRACT (app-facing, keep):
// Matcher(compiled), scan(item) -> MatchSet. One Matcher per thread (it owns Hyperscan scratch).
#pragma once

#include <hs/hs.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "feed/item.hpp"
#include "rules/compile.hpp"
#include "text/fold.hpp"

namespace signalmon::match {

// At most this many occurrences of one pattern are kept per field, so hostile text stays bounded.
inline constexpr std::uint32_t k_max_occurrences = 64;

// One match of one pattern in one field, in original-text byte offsets.
struct Occurrence {
    std::uint32_t pattern = 0;  // RuleSet::patterns index
    rules::Field field = rules::Field::title;
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    // Index of the word the match starts in, counted over the whole story; computed only for
    // patterns of a signal with `near` (the only reader), 0 for the others.
    std::uint32_t word = 0;
};

struct MatchSet {
    // Sorted by (pattern, field, begin); one entry per (pattern, field, begin).
    std::vector<Occurrence> occurrences;

    std::span<const Occurrence> of(std::uint32_t pattern) const;
};

// The text of one field of an item.
std::string_view field_text(const feed::Item& item, rules::Field field);

class Matcher {
public:
    explicit Matcher(std::shared_ptr<const rules::CompiledRules> compiled);
    MatchSet scan(const feed::Item& item);
    // The same into out (cleared first), so a caller scanning many items reuses one buffer.
    void scan(const feed::Item& item, MatchSet& out);

    const rules::CompiledRules& compiled() const { return *m_compiled; }
    const std::shared_ptr<const rules::CompiledRules>& compiled_rules() const { return m_compiled; }

    // Per-scan bookkeeping, public only so the Hyperscan callback can name it.
    struct Raw {  // a match in folded offsets
        std::uint32_t pattern;
        std::uint32_t begin;
        std::uint32_t end;
    };
    struct Kept {  // per pattern, in the current field
        std::uint32_t count = 0;
        std::uint32_t last = 0;  // index in m_raw of its latest match
    };

private:
    struct ScratchDeleter {
        void operator()(hs_scratch_t* scratch) const { hs_free_scratch(scratch); }
    };

    // Scans one field whose first word has index first_word; returns the field's word count when
    // words are counted at all (m_counts_words), else 0.
    std::uint32_t scan_field(rules::Field field, std::string_view text, std::uint32_t first_word, MatchSet& out);
    bool any_regex(std::string_view folded);  // per the filter database; true when there is none

    std::shared_ptr<const rules::CompiledRules> m_compiled;
    std::unique_ptr<hs_scratch_t, ScratchDeleter> m_scratch;
    std::vector<std::uint8_t> m_boundaries;  // indexed by pattern: the word boundaries it checks
    std::vector<bool> m_needs_word;          // indexed by pattern: it is in a group of a signal with `near`
    bool m_counts_words = false;             // some pattern needs words
    std::vector<Kept> m_kept;                // indexed by pattern
    std::vector<std::uint32_t> m_touched;    // patterns whose Kept is not zero
    std::vector<Raw> m_raw;
    text::FoldedText m_folded;  // reused by every field of every item
};

}  // namespace signalmon::match
