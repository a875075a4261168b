// The scan: fold each field, run the literal database, the regex database where its filter says a
// regex matches, check word boundaries, map offsets back.
#include "match/matcher.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>

#include "text/fold.hpp"
#include "text/swar.hpp"

namespace signalmon::match {

namespace {

// Per pattern: which word boundaries a match must have (PatternSpec::check_left/right), kept in a
// byte each so the callback does not pull a whole CompiledPattern into cache per report.
constexpr std::uint8_t k_check_left = 1;
constexpr std::uint8_t k_check_right = 2;

struct ScanState {
    const std::vector<std::uint8_t>& boundaries;
    const std::vector<rules::LiteralEntry>& literals;
    std::string_view text;
    std::vector<Matcher::Kept>& kept;
    std::vector<std::uint32_t>& touched;
    std::vector<Matcher::Raw>& raw;
};

bool word_at(std::string_view text, std::size_t at) {
    return at < text.size() && text::is_word_byte(static_cast<unsigned char>(text[at]));
}

int record(ScanState& state, std::uint32_t pattern, std::size_t begin, std::size_t end) {
    const std::uint8_t checks = state.boundaries[pattern];
    if (((checks & k_check_left) != 0 && begin > 0 && word_at(state.text, begin - 1)) ||
        ((checks & k_check_right) != 0 && word_at(state.text, end)) || begin == end) {
        return 0;
    }
    Matcher::Kept& kept = state.kept[pattern];
    // A regex reports every end for one start (/models?/), and two forms of a phrase may end at
    // once ("nationalise" inside "nationalised" does not: its right boundary fails); keep the longest.
    if (kept.count > 0 && state.raw[kept.last].begin == begin) {
        Matcher::Raw& last = state.raw[kept.last];
        last.end = std::max(last.end, static_cast<std::uint32_t>(end));
        return 0;
    }
    if (kept.count >= k_max_occurrences) {
        return 0;
    }
    if (kept.count++ == 0) {
        state.touched.push_back(pattern);
    }
    kept.last = static_cast<std::uint32_t>(state.raw.size());
    state.raw.push_back({pattern, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
    return 0;
}

// Literals are scanned without start-of-match tracking: the length of the form that matched gives the start.
int on_literal(unsigned int id, unsigned long long, unsigned long long to, unsigned int, void* context) {
    auto& state = *static_cast<ScanState*>(context);
    const rules::LiteralEntry& entry = state.literals[id];
    const auto end = static_cast<std::size_t>(to);
    return record(state, entry.pattern, end - entry.length, end);
}

int on_regex(unsigned int id, unsigned long long from, unsigned long long to, unsigned int, void* context) {
    return record(*static_cast<ScanState*>(context), id, static_cast<std::size_t>(from), static_cast<std::size_t>(to));
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
    : m_compiled(std::move(compiled)),
      m_needs_word(m_compiled->rules().patterns.size()),
      m_kept(m_compiled->rules().patterns.size()) {
    for (const rules::CompiledPattern& pattern : m_compiled->rules().patterns) {
        m_boundaries.push_back(static_cast<std::uint8_t>((pattern.spec.check_left ? k_check_left : 0) |
                                                         (pattern.spec.check_right ? k_check_right : 0)));
    }
    // Counting words is a pass over the text up to the last match: only `near` reads them.
    for (const rules::Brief& brief : m_compiled->rules().briefs) {
        for (const rules::Signal& signal : brief.signals) {
            if (!signal.near) continue;
            for (const rules::Group& group : signal.groups) {
                for (const rules::PatternRef& ref : group) m_needs_word[ref.id] = true;
            }
            m_counts_words = true;
        }
    }
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
    // Words are counted over the story as one sequence (title, summary, content), so `near` joins
    // a headline to the first sentence of its lede.
    std::uint32_t first_word = 0;
    for (const rules::Field field : rules::k_fields) {
        first_word += scan_field(field, field_text(item, field), first_word, out);
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

std::uint32_t Matcher::scan_field(rules::Field field, std::string_view original, std::uint32_t first_word,
                                  MatchSet& out) {
    if (original.empty() || !m_scratch) {
        return 0;
    }
    text::fold_into(original, m_folded);
    const text::FoldedText& folded = m_folded;
    if (folded.text.empty()) {
        return 0;
    }
    m_raw.clear();
    ScanState state{m_boundaries, m_compiled->literals(), folded.text, m_kept, m_touched, m_raw};
    const auto length = static_cast<unsigned>(folded.text.size());
    if (const hs_database_t* literals = m_compiled->literal_database()) {
        hs_scan(literals, folded.text.data(), length, 0, m_scratch.get(), on_literal, &state);
    }
    if (const hs_database_t* regexes = m_compiled->regex_database(); regexes != nullptr && any_regex(folded.text)) {
        hs_scan(regexes, folded.text.data(), length, 0, m_scratch.get(), on_regex, &state);
    }
    for (const std::uint32_t id : m_touched) {
        m_kept[id] = {};
    }
    m_touched.clear();
    if (!m_counts_words) {
        for (const Raw& raw : m_raw) {
            const text::SourceSpan span = folded.original(raw.begin, raw.end);
            out.occurrences.push_back({raw.pattern, field, span.begin, span.end, 0});
        }
        return 0;
    }
    // Word index of each match: count the spaces (folded word separators) before its start.
    std::sort(m_raw.begin(), m_raw.end(), [](const Raw& a, const Raw& b) { return a.begin < b.begin; });
    std::uint32_t word = first_word;
    std::size_t counted = 0;
    for (const Raw& raw : m_raw) {
        if (m_needs_word[raw.pattern]) {
            word += text::swar::count_byte(std::string_view(folded.text).substr(counted, raw.begin - counted), ' ');
            counted = raw.begin;
        }
        const text::SourceSpan span = folded.original(raw.begin, raw.end);
        out.occurrences.push_back({raw.pattern, field, span.begin, span.end, m_needs_word[raw.pattern] ? word : 0});
    }
    // The field's word count places the next field's first word right after its last; no field
    // follows the content, so its (usually long) text is not counted.
    if (field == rules::Field::content) return 0;
    return word - first_word + text::swar::count_byte(std::string_view(folded.text).substr(counted), ' ') + 1;
}

}  // namespace signalmon::match
