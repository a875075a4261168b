// The scan: fold each field, run the literal database, the regex database where its filter says a
// regex matches, check word boundaries, map offsets back.
#include "match/matcher.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "text/fold.hpp"

namespace signalmon::match {

namespace {

struct ScanState {
    const rules::RuleSet& rules;
    std::string_view text;
    std::vector<Matcher::Kept>& kept;
    std::vector<std::uint32_t>& touched;
    std::vector<Matcher::Raw>& raw;
};

bool word_at(std::string_view text, std::size_t at) {
    return at < text.size() && text::is_word_byte(static_cast<unsigned char>(text[at]));
}

int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int, void* context) {
    auto& state = *static_cast<ScanState*>(context);
    const rules::PatternSpec& spec = state.rules.patterns[id].spec;
    // Literals are scanned without start-of-match tracking: their length gives the start.
    const std::size_t begin = spec.engine == rules::PatternEngine::literal
                                  ? static_cast<std::size_t>(to) - spec.expression.size()
                                  : static_cast<std::size_t>(from);
    const auto end = static_cast<std::size_t>(to);
    if ((spec.check_left && begin > 0 && word_at(state.text, begin - 1)) ||
        (spec.check_right && word_at(state.text, end)) || begin == end) {
        return 0;
    }
    Matcher::Kept& kept = state.kept[id];
    // A regex reports every end for one start (/models?/); keep only the longest.
    if (kept.count > 0 && state.raw[kept.last].begin == begin) {
        Matcher::Raw& last = state.raw[kept.last];
        last.end = std::max(last.end, static_cast<std::uint32_t>(end));
        return 0;
    }
    if (kept.count >= k_max_occurrences) {
        return 0;
    }
    if (kept.count++ == 0) {
        state.touched.push_back(id);
    }
    kept.last = static_cast<std::uint32_t>(state.raw.size());
    state.raw.push_back({id, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
    return 0;
}

int stop_at_first(unsigned int, unsigned long long, unsigned long long, unsigned int, void* context) {
    *static_cast<bool*>(context) = true;
    return 1;  // one match answers the question: stop scanning
}

void allocate(hs_scratch_t*& scratch, const hs_database_t* database) {
    if (database != nullptr && hs_alloc_scratch(database, &scratch) != HS_SUCCESS) {
        throw std::runtime_error("cannot allocate Hyperscan scratch space");
    }
}

}  // namespace

std::span<const Occurrence> MatchSet::of(std::uint32_t pattern) const {
    const auto range = std::ranges::equal_range(occurrences, pattern, {}, &Occurrence::pattern);
    return {range.begin(), range.end()};
}

std::string_view field_text(const feed::Item& item, rules::Field field) {
    switch (field) {
        case rules::Field::title: return item.title;
        case rules::Field::summary: return item.summary;
        case rules::Field::content: return item.content;
    }
    return {};
}

Matcher::Matcher(std::shared_ptr<const rules::CompiledRules> compiled)
    : m_compiled(std::move(compiled)), m_kept(m_compiled->rules().patterns.size()) {
    hs_scratch_t* scratch = nullptr;
    allocate(scratch, m_compiled->literal_database());
    allocate(scratch, m_compiled->regex_database());
    allocate(scratch, m_compiled->regex_filter_database());
    m_scratch.reset(scratch);
}

MatchSet Matcher::scan(const feed::Item& item) {
    MatchSet out;
    scan(item, out);
    return out;
}

void Matcher::scan(const feed::Item& item, MatchSet& out) {
    out.occurrences.clear();
    for (const rules::Field field : rules::k_fields) {
        scan_field(field, field_text(item, field), out);
    }
    std::sort(out.occurrences.begin(), out.occurrences.end(), [](const Occurrence& a, const Occurrence& b) {
        return std::tie(a.pattern, a.field, a.begin) < std::tie(b.pattern, b.field, b.begin);
    });
}

bool Matcher::any_regex(std::string_view text) {
    const hs_database_t* filter = m_compiled->regex_filter_database();
    if (filter == nullptr) {
        return true;
    }
    bool found = false;
    hs_scan(filter, text.data(), static_cast<unsigned>(text.size()), 0, m_scratch.get(), stop_at_first, &found);
    return found;
}

void Matcher::scan_field(rules::Field field, std::string_view original, MatchSet& out) {
    if (original.empty() || !m_scratch) {
        return;
    }
    text::fold_into(original, m_folded);
    const text::FoldedText& folded = m_folded;
    if (folded.text.empty()) {
        return;
    }
    m_raw.clear();
    ScanState state{m_compiled->rules(), folded.text, m_kept, m_touched, m_raw};
    const auto length = static_cast<unsigned>(folded.text.size());
    if (const hs_database_t* literals = m_compiled->literal_database()) {
        hs_scan(literals, folded.text.data(), length, 0, m_scratch.get(), on_match, &state);
    }
    if (const hs_database_t* regexes = m_compiled->regex_database(); regexes != nullptr && any_regex(folded.text)) {
        hs_scan(regexes, folded.text.data(), length, 0, m_scratch.get(), on_match, &state);
    }
    for (const std::uint32_t id : m_touched) {
        m_kept[id] = {};
    }
    m_touched.clear();
    // Word index of each match: count the spaces (folded word separators) before its start.
    std::sort(m_raw.begin(), m_raw.end(), [](const Raw& a, const Raw& b) { return a.begin < b.begin; });
    std::uint32_t word = 0;
    std::size_t counted = 0;
    for (const Raw& raw : m_raw) {
        word +=
            static_cast<std::uint32_t>(std::count(folded.text.begin() + static_cast<std::ptrdiff_t>(counted),
                                                  folded.text.begin() + static_cast<std::ptrdiff_t>(raw.begin), ' '));
        counted = raw.begin;
        const text::SourceSpan span = folded.original(raw.begin, raw.end);
        out.occurrences.push_back({raw.pattern, field, span.begin, span.end, word});
    }
}

}  // namespace signalmon::match
