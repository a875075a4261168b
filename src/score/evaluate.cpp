// Scoring: per signal, groups (any/all), proximity (near), vetoes (unless); per brief, weights.
#include "score/evaluate.hpp"

#include <algorithm>
#include <tuple>

#include "text/ascii.hpp"
#include "text/fold.hpp"

namespace signalmon::score {

namespace {

struct GroupOccurrence {
    std::uint32_t group;
    match::Occurrence occurrence;
};

bool in_fields(rules::FieldMask fields, const match::Occurrence& occurrence) {
    return (fields & rules::field_bit(occurrence.field)) != 0;
}

rules::FieldMask group_fields(const rules::Signal& signal, std::size_t group) {
    return group < signal.group_fields.size() ? signal.group_fields[group] : signal.fields;
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words) {
        out += (out.empty() ? "" : ", ") + word;
    }
    return out;
}

bool text_order(const match::Occurrence& a, const match::Occurrence& b) {
    return std::tie(a.field, a.begin, a.end, a.pattern) < std::tie(b.field, b.begin, b.end, b.pattern);
}

// Smallest (max word − min word) over choices of one occurrence per group, word indexes counted
// over the whole story: a sliding window over the occurrences sorted by word.
std::optional<std::uint32_t> closest_span(std::vector<GroupOccurrence> found, std::size_t group_count) {
    std::sort(found.begin(), found.end(),
              [](const GroupOccurrence& a, const GroupOccurrence& b) { return a.occurrence.word < b.occurrence.word; });
    std::optional<std::uint32_t> best;
    std::vector<std::uint32_t> in_window(group_count, 0);
    std::size_t covered = 0;
    std::size_t first = 0;
    for (std::size_t last = 0; last < found.size(); ++last) {
        covered += in_window[found[last].group]++ == 0 ? 1 : 0;
        while (covered == group_count) {
            const std::uint32_t span = found[last].occurrence.word - found[first].occurrence.word;
            best = std::min(best.value_or(span), span);
            covered -= --in_window[found[first].group] == 0 ? 1 : 0;
            ++first;
        }
    }
    return best;
}

bool utf8_continuation(std::string_view text, std::size_t at) {
    return at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
}

}  // namespace

match::Occurrence whole_word(const rules::CompiledRules& compiled, const feed::Item& item,
                             match::Occurrence occurrence) {
    const rules::CompiledPattern& pattern = compiled.rules().patterns[occurrence.pattern];
    if (pattern.written.starts_with('/') || !pattern.written.ends_with('*')) {
        return occurrence;
    }
    const std::string_view text = match::field_text(item, occurrence.field);
    while (occurrence.end < text.size() && text::is_word_byte(static_cast<unsigned char>(text[occurrence.end]))) {
        ++occurrence.end;
    }
    return occurrence;
}

void describe(const rules::CompiledRules& compiled, const feed::Item& item, SignalHit& hit) {
    hit.terms.clear();
    for (const match::Occurrence& evidence : hit.evidence) {
        const match::Occurrence occurrence = whole_word(compiled, item, evidence);
        std::string term(
            match::field_text(item, occurrence.field).substr(occurrence.begin, occurrence.end - occurrence.begin));
        if (std::find(hit.terms.begin(), hit.terms.end(), term) == hit.terms.end()) {
            hit.terms.push_back(std::move(term));
        }
    }
    const match::Occurrence& first = hit.evidence.front();
    hit.snippet = snippet(match::field_text(item, first.field), first.begin, first.end);
}

SignalOutcome evaluate_signal(const rules::Signal& signal, const match::MatchSet& matches) {
    SignalOutcome outcome;
    outcome.groups_matched.assign(signal.groups.size(), false);
    std::vector<GroupOccurrence> found;
    for (std::uint32_t group = 0; group < signal.groups.size(); ++group) {
        for (const rules::PatternRef& ref : signal.groups[group]) {
            for (const match::Occurrence& occurrence : matches.of(ref.id)) {
                if (in_fields(group_fields(signal, group), occurrence)) {
                    found.push_back({group, occurrence});
                    outcome.groups_matched[group] = true;
                    outcome.in_title = outcome.in_title || occurrence.field == rules::Field::title;
                }
            }
        }
    }
    for (const GroupOccurrence& item : found) {
        outcome.evidence.push_back(item.occurrence);
    }
    std::sort(outcome.evidence.begin(), outcome.evidence.end(), text_order);
    outcome.evidence.erase(std::unique(outcome.evidence.begin(), outcome.evidence.end(),
                                       [](const match::Occurrence& a, const match::Occurrence& b) {
                                           return !text_order(a, b) && !text_order(b, a);
                                       }),
                           outcome.evidence.end());
    const auto matched_groups = std::count(outcome.groups_matched.begin(), outcome.groups_matched.end(), true);
    if (matched_groups == 0) {
        outcome.status = SignalStatus::no_match;
        return outcome;
    }
    if (static_cast<std::size_t>(matched_groups) < signal.groups.size()) {
        outcome.status = SignalStatus::missing_group;
        return outcome;
    }
    if (signal.near) {
        outcome.closest_span = closest_span(std::move(found), signal.groups.size());
        if (!outcome.closest_span || *outcome.closest_span > static_cast<std::uint32_t>(*signal.near)) {
            outcome.status = SignalStatus::too_far;
            return outcome;
        }
    }
    outcome.status = SignalStatus::matched;
    for (const rules::PatternRef& ref : signal.unless) {
        for (const match::Occurrence& occurrence : matches.of(ref.id)) {
            if (in_fields(signal.fields, occurrence)) {
                outcome.status = SignalStatus::vetoed;
                outcome.veto = occurrence;
                return outcome;
            }
        }
    }
    return outcome;
}

std::optional<std::string> filtered_out(const rules::Brief& brief, const ItemContext& context) {
    if (!context.feed_id) {
        return std::nullopt;
    }
    const std::string_view feed = *context.feed_id;
    if (!brief.feeds.empty() && std::find(brief.feeds.begin(), brief.feeds.end(), feed) == brief.feeds.end()) {
        return "feed '" + std::string(feed) + "' is not in the brief's feeds: [" + joined(brief.feeds) + "]";
    }
    if (!brief.tags.empty() && std::find_first_of(brief.tags.begin(), brief.tags.end(), context.feed_tags.begin(),
                                                  context.feed_tags.end()) == brief.tags.end()) {
        return "feed '" + std::string(feed) + "' has none of the brief's tags: [" + joined(brief.tags) + "]";
    }
    return std::nullopt;
}

std::optional<match::Occurrence> brief_veto(const rules::Brief& brief, const match::MatchSet& matches) {
    for (const rules::PatternRef& ref : brief.unless) {
        if (const auto found = matches.of(ref.id); !found.empty()) {
            return found.front();
        }
    }
    return std::nullopt;
}

// `about:` names the brief's topic: a story that mentions none of it (or fewer than `about_min`
// different entries of it) is no evidence, whatever else it says. An entry is a concept or a
// pattern; a mention inside one already counted ("labs" in "frontier labs") adds nothing.
bool on_topic(const rules::Brief& brief, const match::MatchSet& matches) {
    if (brief.about.empty()) return true;
    std::vector<std::string_view> entries;
    std::vector<const match::Occurrence*> counted;
    for (const rules::PatternRef& ref : brief.about) {
        const std::span<const match::Occurrence> found = matches.of(ref.id);
        if (found.empty()) continue;
        if (brief.about_min == 1) return true;
        const std::string_view entry = ref.concept_name.empty() ? std::string_view(ref.written) : ref.concept_name;
        if (std::find(entries.begin(), entries.end(), entry) != entries.end()) continue;
        const match::Occurrence& first = found.front();
        const bool inside = std::any_of(counted.begin(), counted.end(), [&](const match::Occurrence* other) {
            return other->field == first.field && other->begin < first.end && first.begin < other->end;
        });
        if (inside) continue;
        entries.push_back(entry);
        counted.push_back(&first);
        if (static_cast<int>(entries.size()) >= brief.about_min) return true;
    }
    return false;
}

bool capped(const rules::Brief& brief, const rules::Signal& signal, const ItemContext& context) {
    return signal.max_per_day && context.hits_today && context.hits_today(brief.id, signal.id) >= *signal.max_per_day;
}

// Whether one of value's "; "-separated parts is listed, ASCII case-insensitively.
bool holds_listed(std::string_view value, const std::vector<std::string>& listed) {
    for (std::size_t start = 0; start <= value.size();) {
        const std::size_t end = std::min(value.find("; ", start), value.size());
        const std::string_view part = value.substr(start, end - start);
        if (std::ranges::any_of(listed, [&](const std::string& wanted) { return text::ascii_iequals(part, wanted); }))
            return true;
        start = end + 2;
    }
    return false;
}

const rules::FieldFilter* failed_filter(const std::vector<rules::FieldFilter>& filters, const feed::Item& item) {
    for (const rules::FieldFilter& filter : filters) {
        const auto value = item.fields.find(filter.field);
        if (value == item.fields.end() || !holds_listed(value->second, filter.values)) return &filter;
    }
    return nullptr;
}

std::vector<Verdict> evaluate(const rules::CompiledRules& compiled, const feed::Item& item,
                              const match::MatchSet& matches) {
    return evaluate(compiled, item, matches, ItemContext{});
}

int Verdict::top_score() const {
    int alerting_best = 0;
    int best = 0;
    for (const rules::Kind kind : {rules::Kind::confirm, rules::Kind::kill, rules::Kind::watch}) {
        best = std::max(best, score(kind));
        if (alerting_for(kind)) alerting_best = std::max(alerting_best, score(kind));
    }
    return alerting ? alerting_best : best;
}

bool BriefTrace::alerting_for(rules::Kind kind) const {
    const int score = scores[kind_index(kind)];
    return score > 0 && score >= (kind == rules::Kind::watch ? brief->watch_threshold : brief->threshold);
}

bool BriefTrace::alerting() const {
    return alerting_for(rules::Kind::confirm) || alerting_for(rules::Kind::kill) || alerting_for(rules::Kind::watch);
}

std::vector<BriefTrace> trace(const rules::CompiledRules& compiled, const feed::Item& item,
                              const match::MatchSet& matches, const ItemContext& context, std::string_view only_brief) {
    // Only signals owning a matched pattern can match: with thousands of signals, evaluating
    // every one per item would cost far more than the scan.
    const rules::RuleSet& rules = compiled.rules();
    std::vector<std::pair<std::uint32_t, std::uint32_t>> candidates;  // (brief, signal)
    for (auto at = matches.occurrences.begin(); at != matches.occurrences.end();) {
        for (const rules::PatternOwner& owner : rules.patterns[at->pattern].owners) {
            if (owner.group >= 0 && (only_brief.empty() || rules.briefs[owner.brief].id == only_brief)) {
                candidates.emplace_back(owner.brief, owner.signal);
            }
        }
        const std::uint32_t pattern = at->pattern;
        at = std::find_if(at, matches.occurrences.end(),
                          [&](const match::Occurrence& o) { return o.pattern != pattern; });
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    std::vector<BriefTrace> traces;
    const auto open_brief = [&](std::uint32_t brief_index) {
        const rules::Brief& brief = rules.briefs[brief_index];
        BriefTrace traced;
        traced.brief = &brief;
        traced.skipped = filtered_out(brief, context);
        if (const rules::FieldFilter* failed = failed_filter(brief.field_filters, item); !traced.skipped && failed) {
            traced.skipped = "the item's " + failed->field + " is not among the brief's 'where' values";
        }
        if (!traced.skipped && !on_topic(brief, matches)) {
            traced.skipped = brief.about_min == 1 ? std::string("none of the brief's 'about' terms is in the item")
                                                  : "fewer than " + std::to_string(brief.about_min) +
                                                        " of the brief's 'about' terms are in the item";
        }
        traced.veto = brief_veto(brief, matches);
        traces.push_back(std::move(traced));
    };
    if (!only_brief.empty() && candidates.empty()) {
        const auto found = std::ranges::find(rules.briefs, only_brief, &rules::Brief::id);
        if (found != rules.briefs.end()) open_brief(static_cast<std::uint32_t>(found - rules.briefs.begin()));
    }
    for (const auto& [brief_index, signal_index] : candidates) {
        if (traces.empty() || traces.back().brief != &rules.briefs[brief_index]) open_brief(brief_index);
        BriefTrace& traced = traces.back();
        const rules::Signal& signal = traced.brief->signals[signal_index];
        if (traced.skipped || failed_filter(signal.field_filters, item) != nullptr) continue;
        SignalTrace signal_trace{&signal, evaluate_signal(signal, matches), false};
        if (signal_trace.outcome.status == SignalStatus::no_match) continue;
        signal_trace.capped =
            signal_trace.outcome.status == SignalStatus::matched && capped(*traced.brief, signal, context);
        if (signal_trace.counts(traced.veto.has_value())) {
            traced.scores[kind_index(signal.kind)] += signal_trace.outcome.weight(signal);
        }
        traced.signals.push_back(std::move(signal_trace));
    }
    return traces;
}

std::vector<Verdict> evaluate(const rules::CompiledRules& compiled, const feed::Item& item,
                              const match::MatchSet& matches, const ItemContext& context, HitDetail detail) {
    std::vector<Verdict> verdicts;
    for (BriefTrace& traced : trace(compiled, item, matches, context)) {
        Verdict verdict{traced.brief->id,        traced.scores,
                        traced.brief->threshold, traced.brief->watch_threshold,
                        traced.alerting(),       {}};
        for (SignalTrace& signal : traced.signals) {
            if (signal.counts(traced.veto.has_value())) {
                const rules::Signal& matched = *signal.signal;
                SignalHit& hit = verdict.hits.emplace_back(SignalHit{.signal_id = matched.id,
                                                                     .kind = matched.kind,
                                                                     .weight = signal.outcome.weight(matched),
                                                                     .terms = {},
                                                                     .snippet = {},
                                                                     .evidence = std::move(signal.outcome.evidence)});
                if (detail == HitDetail::text) describe(compiled, item, hit);
            }
        }
        if (!verdict.hits.empty()) verdicts.push_back(std::move(verdict));
    }
    return verdicts;
}

SnippetWindow snippet_window(std::string_view text, std::uint32_t begin, std::uint32_t end, std::size_t width) {
    const std::size_t length = std::min<std::size_t>(end - begin, width);
    const std::size_t margin = (width - length) / 2;
    std::size_t from = begin > margin ? begin - margin : 0;
    std::size_t to = std::min(text.size(), from + width);
    // Text near the end leaves room on the left: use it.
    from = to - from < width && to == text.size() ? (to > width ? to - width : 0) : from;
    while (utf8_continuation(text, from)) {
        ++from;
    }
    while (to < text.size() && utf8_continuation(text, to)) {
        --to;
    }
    return {from, to};
}

std::string snippet(std::string_view text, std::uint32_t begin, std::uint32_t end, std::size_t width) {
    const auto [from, to] = snippet_window(text, begin, end, width);
    std::string out;
    out.reserve(to - from + 6);
    if (from > 0) {
        out += "…";
    }
    out += text.substr(from, to - from);
    if (to < text.size()) {
        out += "…";
    }
    return out;
}

}  // namespace signalmon::score
