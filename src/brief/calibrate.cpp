// Scanning stories with the real matcher and scoring trace, as the daemon does.
#include "brief/calibrate.hpp"

#include <algorithm>

#include "match/matcher.hpp"
#include "score/evaluate.hpp"

namespace signalmon::brief {
namespace {

constexpr std::size_t k_titles_kept = 3;
constexpr rules::Kind k_kinds[] = {rules::Kind::confirm, rules::Kind::kill, rules::Kind::watch};

// The kinds a story alerts for, and the signals that counted towards them (the reason, for a report).
struct Alerting {
    std::vector<rules::Kind> kinds;
    std::vector<std::string> signals;
};

Alerting alerting_with(match::Matcher& matcher, std::string_view brief_id, const feed::Item& story) {
    const match::MatchSet matches = matcher.scan(story);
    Alerting out;
    for (const score::BriefTrace& traced : score::trace(matcher.compiled(), story, matches, {}, brief_id)) {
        if (traced.brief->id != brief_id || traced.skipped) continue;
        for (const rules::Kind kind : k_kinds) {
            if (traced.alerting_for(kind)) out.kinds.push_back(kind);
        }
        for (const score::SignalTrace& signal : traced.signals) {
            if (signal.counts(traced.veto.has_value())) out.signals.push_back(signal.signal->id);
        }
    }
    return out;
}

// "confirm+watch (confirm-a, watch-b)" or "nothing", for a report line.
std::string kinds_text(const Alerting& alerting) {
    std::string out;
    for (const rules::Kind kind : alerting.kinds) out += (out.empty() ? "" : "+") + std::string(rules::kind_name(kind));
    if (out.empty()) return "nothing";
    std::string signals;
    for (const std::string& id : alerting.signals) signals += (signals.empty() ? "" : ", ") + id;
    return out + " (" + signals + ")";
}

}  // namespace

std::vector<SignalNoise> signal_noise(const std::shared_ptr<const rules::CompiledRules>& compiled,
                                      std::span<const feed::Item> stories, std::string_view only_brief) {
    const rules::RuleSet& rules = compiled->rules();
    std::vector<SignalNoise> noise;
    std::vector<std::size_t> first_of_brief;  // index in noise of each brief's first signal
    for (std::uint32_t brief = 0; brief < rules.briefs.size(); ++brief) {
        first_of_brief.push_back(noise.size());
        if (!only_brief.empty() && rules.briefs[brief].id != only_brief) continue;
        for (std::uint32_t signal = 0; signal < rules.briefs[brief].signals.size(); ++signal) {
            noise.push_back({brief, signal, 0, {}});
        }
    }
    match::Matcher matcher(compiled);
    match::MatchSet matches;
    for (const feed::Item& story : stories) {
        matcher.scan(story, matches);
        for (const score::BriefTrace& traced : score::trace(*compiled, story, matches, {}, only_brief)) {
            if (traced.skipped) continue;
            const auto brief = static_cast<std::size_t>(traced.brief - rules.briefs.data());
            for (const score::SignalTrace& signal : traced.signals) {
                if (!signal.counts(traced.veto.has_value())) continue;
                SignalNoise& entry = noise[first_of_brief[brief] +
                                           static_cast<std::size_t>(signal.signal - traced.brief->signals.data())];
                ++entry.hits;
                if (entry.titles.size() < k_titles_kept) entry.titles.push_back(story.title);
            }
        }
    }
    return noise;
}

std::vector<rules::Kind> alerting_kinds(const std::shared_ptr<const rules::CompiledRules>& compiled,
                                        std::string_view brief_id, const feed::Item& story) {
    match::Matcher matcher(compiled);
    return alerting_with(matcher, brief_id, story).kinds;
}

CaseScore score_cases(const std::shared_ptr<const rules::CompiledRules>& compiled, std::string_view brief_id,
                      const CaseFile& cases, std::span<const feed::Item> background) {
    match::Matcher matcher(compiled);
    CaseScore score;
    for (const Case& labelled : cases.cases) {
        const Alerting alerting = alerting_with(matcher, brief_id, labelled.item);
        const std::vector<rules::Kind>& kinds = alerting.kinds;
        const std::string where = cases.path.string() + ":" + std::to_string(labelled.source_line) + ": ";
        if (!labelled.expect) {
            ++score.lookalikes;
            if (!kinds.empty()) {
                ++score.lookalike_alarms;
                score.failures.push_back(where + "expected quiet, got " + kinds_text(alerting) + ": " +
                                         labelled.item.title);
            }
            continue;
        }
        const std::size_t kind = score::kind_index(*labelled.expect);
        ++score.expected[kind];
        const bool both = std::ranges::find(kinds, rules::Kind::confirm) != kinds.end() &&
                          std::ranges::find(kinds, rules::Kind::kill) != kinds.end();
        score.both_kinds += both ? 1 : 0;
        if (std::ranges::find(kinds, *labelled.expect) != kinds.end()) {
            ++score.recalled[kind];
        } else {
            score.failures.push_back(where + "expected " + std::string(rules::kind_name(*labelled.expect)) + ", got " +
                                     kinds_text(alerting) + ": " + labelled.item.title);
        }
    }
    score.background = background.size();
    for (const feed::Item& story : background) {
        if (const Alerting alerting = alerting_with(matcher, brief_id, story); !alerting.kinds.empty()) {
            ++score.background_alarms;
            if (score.failures.size() < 200) {
                score.failures.push_back("background alarm, " + kinds_text(alerting) + ": " + story.title);
            }
        }
    }
    return score;
}

}  // namespace signalmon::brief
