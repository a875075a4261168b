// Explanations: evaluate_signal's structured outcome for every signal of every brief, turned into
// matched signals and near misses with the patterns, fields and marked snippets behind them.
#include "score/explain.hpp"

#include <algorithm>

namespace signalmon::score {

namespace {

// How the signal itself wrote pattern `id` (deduplication keeps only the first spelling).
std::string written_in(const rules::CompiledRules& compiled, const rules::Signal& signal, std::uint32_t id) {
    for (const rules::Group& group : signal.groups) {
        for (const rules::PatternRef& ref : group) {
            if (ref.id == id) return ref.written;
        }
    }
    for (const rules::PatternRef& ref : signal.unless) {
        if (ref.id == id) return ref.written;
    }
    return compiled.rules().patterns[id].written;
}

PatternMatch pattern_match(const feed::Item& item, const match::Occurrence& occurrence, std::string pattern) {
    const std::string_view text = match::field_text(item, occurrence.field);
    return {std::move(pattern), occurrence.field,
            std::string(text.substr(occurrence.begin, occurrence.end - occurrence.begin))};
}

std::string quoted_patterns(const rules::Group& group) {
    constexpr std::size_t k_shown = 6;
    std::string out;
    for (std::size_t i = 0; i < group.size() && i < k_shown; ++i) {
        out += (i == 0 ? "'" : ", '") + group[i].written + "'";
    }
    if (group.size() > k_shown) out += ", … (" + std::to_string(group.size() - k_shown) + " more)";
    return "[" + out + "]";
}

constexpr rules::Kind k_kinds[] = {rules::Kind::confirm, rules::Kind::kill, rules::Kind::watch};

// "confirm, watch": the kinds whose score reached their threshold.
std::string alerting_kinds(const BriefExplanation& brief) {
    std::string out;
    for (const rules::Kind kind : brief.alerting_kinds)
        out += (out.empty() ? "" : ", ") + std::string(rules::kind_name(kind));
    return out;
}

std::string describe(const PatternMatch& match) {
    return "'" + match.pattern + "' (\"" + match.text + "\" in " + std::string(rules::field_name(match.field)) + ")";
}

std::string near_miss_reason(const rules::Signal& signal, const SignalOutcome& outcome, const feed::Item& item,
                             const rules::CompiledRules& compiled) {
    std::string reason;
    switch (outcome.status) {
        case SignalStatus::missing_group:
            for (std::size_t group = 0; group < signal.groups.size(); ++group) {
                if (outcome.groups_matched[group]) continue;
                reason += (reason.empty() ? "" : "; ") + std::string("no match for group ") +
                          std::to_string(group + 1) + " of " + std::to_string(signal.groups.size()) + " " +
                          quoted_patterns(signal.groups[group]);
            }
            return reason;
        case SignalStatus::too_far:
            return "the groups are " + std::to_string(*outcome.closest_span) +
                   " words apart at the closest (near: " + std::to_string(*signal.near) + ")";
        case SignalStatus::vetoed:
            return "vetoed by unless " +
                   describe(pattern_match(item, *outcome.veto, written_in(compiled, signal, outcome.veto->pattern)));
        case SignalStatus::matched:
        case SignalStatus::no_match: break;
    }
    return reason;
}

SignalExplanation explain_signal(const rules::CompiledRules& compiled, const rules::Signal& signal,
                                 const SignalOutcome& outcome, const feed::Item& item) {
    SignalExplanation out;
    out.signal = &signal;
    out.weight = outcome.weight(signal);
    out.title_bonus = outcome.in_title && signal.title_bonus != 0;
    std::vector<match::Occurrence> evidence;
    for (const match::Occurrence& occurrence : outcome.evidence) {
        evidence.push_back(whole_word(compiled, item, occurrence));
        out.matches.push_back(pattern_match(item, evidence.back(), written_in(compiled, signal, occurrence.pattern)));
    }
    if (!evidence.empty()) {
        const rules::Field field = evidence.front().field;
        std::erase_if(evidence, [&](const match::Occurrence& occurrence) { return occurrence.field != field; });
        out.snippet = marked_snippet(match::field_text(item, field), evidence);
    }
    return out;
}

}  // namespace

std::string_view status_name(ExplainedStatus status) {
    switch (status) {
        case ExplainedStatus::matched: return "matched";
        case ExplainedStatus::missing_group: return "missing_group";
        case ExplainedStatus::too_far: return "too_far";
        case ExplainedStatus::vetoed: return "vetoed";
        case ExplainedStatus::capped: return "capped";
        case ExplainedStatus::brief_vetoed: return "brief_vetoed";
    }
    return "matched";
}

std::vector<BriefExplanation> explain(const rules::CompiledRules& compiled, const feed::Item& item,
                                      const match::MatchSet& matches, const ItemContext& context,
                                      std::string_view only_brief) {
    std::vector<BriefExplanation> out;
    for (const BriefTrace& traced : trace(compiled, item, matches, context, only_brief)) {
        BriefExplanation explained;
        explained.brief = traced.brief;
        explained.skipped = traced.skipped;
        explained.scores = traced.scores;
        explained.alerting = !traced.skipped && traced.alerting();
        for (const rules::Kind kind : k_kinds) {
            if (explained.alerting && traced.alerting_for(kind)) explained.alerting_kinds.push_back(kind);
        }
        if (traced.veto) {
            const auto& pattern = compiled.rules().patterns[traced.veto->pattern];
            const auto written = std::ranges::find(traced.brief->unless, traced.veto->pattern, &rules::PatternRef::id);
            explained.vetoed_by = pattern_match(
                item, *traced.veto, written != traced.brief->unless.end() ? written->written : pattern.written);
        }
        for (const SignalTrace& signal : traced.signals) {
            SignalExplanation signal_explained = explain_signal(compiled, *signal.signal, signal.outcome, item);
            switch (signal.outcome.status) {
                case SignalStatus::matched:
                    if (explained.vetoed_by) {
                        signal_explained.status = ExplainedStatus::brief_vetoed;
                        signal_explained.reason =
                            "the brief's unless " + describe(*explained.vetoed_by) + " vetoes the item";
                    } else if (signal.capped) {
                        signal_explained.status = ExplainedStatus::capped;
                        signal_explained.reason =
                            "max_per_day " + std::to_string(*signal.signal->max_per_day) + " reached today";
                    }
                    break;
                case SignalStatus::missing_group: signal_explained.status = ExplainedStatus::missing_group; break;
                case SignalStatus::too_far: signal_explained.status = ExplainedStatus::too_far; break;
                case SignalStatus::vetoed: signal_explained.status = ExplainedStatus::vetoed; break;
                case SignalStatus::no_match: break;
            }
            if (signal.counts(traced.veto.has_value())) {
                explained.matched.push_back(std::move(signal_explained));
            } else {
                if (signal_explained.reason.empty()) {
                    signal_explained.reason = near_miss_reason(*signal.signal, signal.outcome, item, compiled);
                }
                explained.near_misses.push_back(std::move(signal_explained));
            }
        }
        const bool something = !explained.matched.empty() || !explained.near_misses.empty();
        if (something || !only_brief.empty()) out.push_back(std::move(explained));
    }
    return out;
}

std::string marked_snippet(std::string_view text, std::span<const match::Occurrence> occurrences, std::size_t width) {
    if (occurrences.empty()) return snippet(text, 0, 0, width);
    const auto [from, to] = snippet_window(text, occurrences.front().begin, occurrences.front().end, width);
    std::string out = from > 0 ? "…" : "";
    std::size_t cursor = from;
    for (const match::Occurrence& occurrence : occurrences) {
        // Overlapping matches (a phrase inside a longer one) keep the first mark.
        if (occurrence.begin < cursor || occurrence.end > to) continue;
        out += text.substr(cursor, occurrence.begin - cursor);
        out += "«";
        out += text.substr(occurrence.begin, occurrence.end - occurrence.begin);
        out += "»";
        cursor = occurrence.end;
    }
    out += text.substr(cursor, to - cursor);
    if (to < text.size()) out += "…";
    return out;
}

std::string format_explanation(const feed::Item& item, std::span<const BriefExplanation> briefs) {
    std::string out = "item: " + (item.title.empty() ? std::string("(untitled)") : item.title) + "\n";
    if (!item.link.empty()) out += "  link: " + item.link + "\n";
    if (briefs.empty()) out += "  no brief matched or nearly matched\n";
    for (const BriefExplanation& brief : briefs) {
        out += "  brief " + brief.brief->id + ": ";
        if (brief.skipped) {
            out += "skipped, " + *brief.skipped + "\n";
            continue;
        }
        out += "confirm " + std::to_string(brief.scores[kind_index(rules::Kind::confirm)]) + ", kill " +
               std::to_string(brief.scores[kind_index(rules::Kind::kill)]) + ", watch " +
               std::to_string(brief.scores[kind_index(rules::Kind::watch)]) + "; threshold " +
               std::to_string(brief.brief->threshold) + " (watch " + std::to_string(brief.brief->watch_threshold) +
               "); " + (brief.alerting ? "ALERT " + alerting_kinds(brief) : std::string("below threshold")) + "\n";
        if (brief.vetoed_by) out += "    vetoed by the brief's unless " + describe(*brief.vetoed_by) + "\n";
        for (const SignalExplanation& signal : brief.matched) {
            out += "    matched " + std::string(rules::kind_name(signal.signal->kind)) + " " + signal.signal->id +
                   ", weight " + std::to_string(signal.weight);
            if (signal.title_bonus) {
                out += " (" + std::to_string(signal.signal->weight) + " + title bonus " +
                       std::to_string(signal.signal->title_bonus) + ")";
            }
            out += "\n";
            for (const PatternMatch& match : signal.matches) {
                out += "      '" + match.pattern + "' matched \"" + match.text + "\" in " +
                       std::string(rules::field_name(match.field)) + "\n";
            }
            out +=
                "      " + std::string(rules::field_name(signal.matches.front().field)) + ": " + signal.snippet + "\n";
        }
        for (const SignalExplanation& signal : brief.near_misses) {
            out += "    near miss " + std::string(rules::kind_name(signal.signal->kind)) + " " + signal.signal->id +
                   " (" + std::string(status_name(signal.status)) + "): " + signal.reason + "\n";
            for (const PatternMatch& match : signal.matches) {
                out += "      '" + match.pattern + "' matched \"" + match.text + "\" in " +
                       std::string(rules::field_name(match.field)) + "\n";
            }
        }
    }
    return out;
}

nlohmann::ordered_json explanation_json(const feed::Item& item, std::span<const BriefExplanation> briefs) {
    const auto matches_json = [](const std::vector<PatternMatch>& matches) {
        nlohmann::ordered_json array = nlohmann::ordered_json::array();
        for (const PatternMatch& match : matches) {
            array.push_back(
                {{"pattern", match.pattern}, {"field", rules::field_name(match.field)}, {"text", match.text}});
        }
        return array;
    };
    const auto signal_json = [&](const SignalExplanation& signal) {
        nlohmann::ordered_json object{{"signal", signal.signal->id},
                                      {"kind", rules::kind_name(signal.signal->kind)},
                                      {"weight", signal.weight},
                                      {"status", status_name(signal.status)}};
        if (signal.title_bonus) object["title_bonus"] = signal.signal->title_bonus;
        if (!signal.reason.empty()) object["reason"] = signal.reason;
        object["matches"] = matches_json(signal.matches);
        if (!signal.snippet.empty()) object["snippet"] = signal.snippet;
        return object;
    };
    nlohmann::ordered_json out{{"title", item.title}, {"link", item.link}, {"briefs", nlohmann::ordered_json::array()}};
    for (const BriefExplanation& brief : briefs) {
        nlohmann::ordered_json scores;
        for (const rules::Kind kind : k_kinds)
            scores[std::string(rules::kind_name(kind))] = brief.scores[kind_index(kind)];
        nlohmann::ordered_json object{{"brief", brief.brief->id},
                                      {"scores", std::move(scores)},
                                      {"threshold", brief.brief->threshold},
                                      {"watch_threshold", brief.brief->watch_threshold},
                                      {"alerting", !brief.skipped && brief.alerting}};
        object["alerting_kinds"] = nlohmann::ordered_json::array();
        for (const rules::Kind kind : brief.alerting_kinds) object["alerting_kinds"].push_back(rules::kind_name(kind));
        if (brief.skipped) object["skipped"] = *brief.skipped;
        if (brief.vetoed_by) {
            object["vetoed_by"] = {{"pattern", brief.vetoed_by->pattern},
                                   {"field", rules::field_name(brief.vetoed_by->field)},
                                   {"text", brief.vetoed_by->text}};
        }
        object["signals"] = nlohmann::ordered_json::array();
        for (const SignalExplanation& signal : brief.matched) object["signals"].push_back(signal_json(signal));
        object["near_misses"] = nlohmann::ordered_json::array();
        for (const SignalExplanation& signal : brief.near_misses) object["near_misses"].push_back(signal_json(signal));
        out["briefs"].push_back(std::move(object));
    }
    return out;
}

}  // namespace signalmon::score
