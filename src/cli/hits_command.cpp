// signalctl hits: the hits found in a time window, newest first, as a table, JSON or CSV.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <iterator>
#include <map>

#include "cli/arguments.hpp"
#include "cli/rules_access.hpp"
#include "cli/store_access.hpp"
#include "feed/date.hpp"
#include "rules/rule_set.hpp"
#include "score/explain.hpp"
#include "text/controls.hpp"
#include "text/wrap.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_hits_usage =
    "hits [--since 24h|7d|RFC3339] [--brief ID] [--kind watch|confirm|kill] [--min-score N] [--limit N] [--json|--csv] "
    "[--explain]";

// One story's evidence for one brief: the stored hits (one per signal) of an item for a brief.
struct StoryHits {
    std::vector<const store::HitRow*> signals;  // newest first, as stored
    std::array<std::int64_t, 3> scores{};       // per kind (rules::Kind order): the kind's stored score
    std::vector<std::string> alerting_kinds;    // kinds whose score reached their threshold

    const store::HitRow& first() const { return *signals.front(); }
    bool alerting() const { return !alerting_kinds.empty(); }
};

// Groups hit rows by (item, brief), keeping the order of each story's newest row; at most limit stories.
std::vector<StoryHits> by_story(const std::vector<store::HitRow>& hits, std::size_t limit) {
    std::vector<StoryHits> stories;
    std::map<std::pair<std::string, std::string>, std::size_t> index;  // (feed + item, brief) → story
    for (const store::HitRow& hit : hits) {
        const auto [found, inserted] = index.try_emplace({hit.feed + '\n' + hit.item_key, hit.brief}, stories.size());
        if (inserted && stories.size() == limit) {
            index.erase(found);  // a story past the limit; rows of the stories kept still join them
            continue;
        }
        if (inserted) stories.emplace_back();
        StoryHits& story = stories[found->second];
        story.signals.push_back(&hit);
        if (const auto kind = rules::kind_named(hit.kind)) {
            // Each row stores its kind's score; the rows of one kind agree.
            story.scores[score::kind_index(*kind)] = hit.score;
            if (hit.alerting && std::ranges::find(story.alerting_kinds, hit.kind) == story.alerting_kinds.end()) {
                story.alerting_kinds.push_back(hit.kind);
            }
        }
    }
    return stories;
}

nlohmann::json scores_json(const StoryHits& story) {
    nlohmann::json scores;
    for (const rules::Kind kind : {rules::Kind::confirm, rules::Kind::kill, rules::Kind::watch}) {
        scores[std::string(rules::kind_name(kind))] = story.scores[score::kind_index(kind)];
    }
    return scores;
}

nlohmann::json story_to_json(const StoryHits& story) {
    const store::HitRow& hit = story.first();
    nlohmann::json signals = nlohmann::json::array();
    for (const store::HitRow* signal : story.signals) {
        signals.push_back({{"signal", signal->signal},
                           {"kind", signal->kind},
                           {"weight", signal->weight},
                           {"alerting", signal->alerting},
                           {"terms", signal->terms},
                           {"snippet", signal->snippet}});
    }
    nlohmann::json object{
        {"found_at", feed::format_rfc3339(hit.found_at)},
        {"brief", hit.brief},
        {"scores", scores_json(story)},
        {"alerting", story.alerting()},
        {"alerting_kinds", story.alerting_kinds},
        {"feed", hit.feed},
        {"item_id", hit.item_key},
        {"title", hit.title},
        {"link", hit.link},
        {"signals", std::move(signals)},
    };
    if (hit.published) object["published"] = feed::format_rfc3339(*hit.published);
    object["replayed"] = hit.replayed;
    return object;
}

// "confirm 6 · kill 4": the kinds with evidence, never summed.
std::string scores_text(const StoryHits& story) {
    std::string out;
    for (const rules::Kind kind : {rules::Kind::confirm, rules::Kind::kill, rules::Kind::watch}) {
        const std::int64_t value = story.scores[score::kind_index(kind)];
        if (value == 0 && std::ranges::none_of(story.signals, [&](const store::HitRow* row) {
                return row->kind == rules::kind_name(kind);
            }))
            continue;
        const bool alerts =
            std::ranges::find(story.alerting_kinds, rules::kind_name(kind)) != story.alerting_kinds.end();
        out += (out.empty() ? "" : " · ") + std::string(rules::kind_name(kind)) + " " + std::to_string(value) +
               (alerts ? "!" : "");
    }
    return out;
}

std::string signal_list(const StoryHits& story) {
    std::string out;
    for (const store::HitRow* row : story.signals) out += (out.empty() ? "" : ", ") + row->signal;
    return out;
}

// 80 columns: a heading line, then the title and the signals wrapped inside an indented column,
// then the link on its own line (a link is never cut, so a terminal can still open it).
void print_table(const std::vector<StoryHits>& stories, const config::TimeZone& zone) {
    constexpr std::size_t k_width = 80;
    constexpr std::string_view k_indent = "    ";
    const auto print_wrapped = [&](std::string_view text) {
        for (const std::string& line : text::wrap(text, k_width - k_indent.size())) {
            std::printf("%.*s%s\n", static_cast<int>(k_indent.size()), k_indent.data(), line.c_str());
        }
    };
    for (const StoryHits& story : stories) {
        const store::HitRow& hit = story.first();
        for (const std::string& line :
             text::wrap(zone.format(hit.found_at) + "  " + hit.brief + "  " + scores_text(story), k_width)) {
            std::printf("%s\n", line.c_str());
        }
        // Stores written before controls were stripped at ingest may still hold some.
        print_wrapped(text::without_controls(hit.title));
        print_wrapped("signals: " + signal_list(story));
        if (!hit.link.empty())
            std::printf("%.*s%s\n", static_cast<int>(k_indent.size()), k_indent.data(),
                        text::without_controls(hit.link).c_str());
    }
    std::printf("%zu stories (! marks a kind whose score reaches its threshold)\n", stories.size());
}

void print_csv(const std::vector<StoryHits>& stories) {
    std::puts("found_at,brief,confirm,kill,watch,alerting,feed,item_id,title,link,published,signals,terms");
    for (const StoryHits& story : stories) {
        const store::HitRow& hit = story.first();
        std::string terms;
        for (const store::HitRow* row : story.signals) {
            for (const auto& term : row->terms) terms += (terms.empty() ? "" : "; ") + term;
        }
        const std::string fields[] = {feed::format_rfc3339(hit.found_at),
                                      hit.brief,
                                      std::to_string(story.scores[score::kind_index(rules::Kind::confirm)]),
                                      std::to_string(story.scores[score::kind_index(rules::Kind::kill)]),
                                      std::to_string(story.scores[score::kind_index(rules::Kind::watch)]),
                                      story.alerting() ? "true" : "false",
                                      hit.feed,
                                      hit.item_key,
                                      hit.title,
                                      hit.link,
                                      hit.published ? feed::format_rfc3339(*hit.published) : "",
                                      signal_list(story),
                                      terms};
        std::string line;
        for (const auto& field : fields) line += (line.empty() ? "" : ",") + csv_field(field);
        std::puts(line.c_str());
    }
}

std::optional<std::int64_t> parse_count(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    try {
        std::size_t used = 0;
        const long long value = std::stoll(*text, &used);
        if (used == text->size()) return value;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

// --explain: the hit's stored item re-evaluated with the current rules, for the hit's brief. The
// rules may have changed since the hit was found, so this is today's view, and says so.
struct Explainer {
    std::shared_ptr<const rules::CompiledRules> compiled;
    match::Matcher matcher{compiled};

    std::optional<std::string> unavailable(StoreContext& context, const store::HitRow& hit,
                                           std::optional<store::StoredItem>& stored) {
        stored = context.store->item(hit.feed, hit.item_key);
        if (!stored) return "the item is no longer stored";
        const auto& briefs = compiled->rules().briefs;
        if (std::none_of(briefs.begin(), briefs.end(),
                         [&](const rules::Brief& brief) { return brief.id == hit.brief; })) {
            return "brief '" + hit.brief + "' is not in the current rules";
        }
        if (stored->item.summary.empty() && stored->item.content.empty()) {
            return "only the title is left: item_retention (" +
                   std::to_string(context.config.item_retention.count() / 86'400) + "d) has dropped the item's text";
        }
        return std::nullopt;
    }

    std::vector<score::BriefExplanation> explain(const StoreContext& context, const store::HitRow& hit,
                                                 const feed::Item& item) {
        score::ItemContext item_context{.feed_id = hit.feed, .feed_tags = {}, .hits_today = {}};
        for (const config::FeedSpec& feed : context.config.feeds) {
            if (feed.id == hit.feed) item_context.feed_tags = feed.tags;
        }
        return score::explain(*compiled, item, matcher.scan(item), item_context, hit.brief);
    }
};

void print_explained(StoreContext& context, Explainer& explainer, const std::vector<StoryHits>& stories, bool json) {
    const std::string note = "explanations re-evaluate the stored item text with the current rules in " +
                             context.config.rules_dir.string() + " (rules " + explainer.compiled->rules().content_hash +
                             "), not the rules that found the hit";
    nlohmann::json array = nlohmann::json::array();
    if (!json) std::printf("%s\n", note.c_str());
    for (const StoryHits& story : stories) {
        const store::HitRow& hit = story.first();
        std::optional<store::StoredItem> stored;
        const auto why_not = explainer.unavailable(context, hit, stored);
        if (json) {
            nlohmann::json object = story_to_json(story);
            object["explanation"] = why_not ? nlohmann::json{{"unavailable", *why_not}}
                                            : nlohmann::json(score::explanation_json(
                                                  stored->item, explainer.explain(context, hit, stored->item)));
            array.push_back(std::move(object));
            continue;
        }
        std::printf("\nhit %s  %s: %s  (stored: %s)%s\n", feed::format_rfc3339(hit.found_at).c_str(), hit.brief.c_str(),
                    signal_list(story).c_str(), scores_text(story).c_str(), hit.replayed ? "  [replayed]" : "");
        if (why_not) {
            std::printf("  cannot explain: %s\n", why_not->c_str());
            continue;
        }
        std::fputs(score::format_explanation(stored->item, explainer.explain(context, hit, stored->item)).c_str(),
                   stdout);
    }
    if (json) {
        std::puts(nlohmann::json{{"note", note}, {"hits", array}}
                      .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                      .c_str());
    }
}

}  // namespace

int run_hits(const GlobalOptions& global, std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, {"--json", "--csv", "--explain"},
                                        {"--since", "--brief", "--kind", "--min-score", "--limit"});
    if (!parsed) return usage_error(parsed.error(), k_hits_usage);
    if (!parsed->positionals.empty())
        return usage_error("unexpected argument '" + parsed->positionals[0] + "'", k_hits_usage);
    if (parsed->has("--json") && parsed->has("--csv"))
        return usage_error("choose one of --json and --csv", k_hits_usage);
    if (parsed->has("--explain") && parsed->has("--csv"))
        return usage_error("--explain shows as a table or --json", k_hits_usage);

    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    store::HitQuery query;
    const std::string since_text = parsed->value("--since").value_or("24h");
    query.since = parse_since(since_text, now);
    if (!query.since)
        return usage_error("--since wants 24h, 7d or an RFC 3339 time, got '" + since_text + "'", k_hits_usage);
    query.brief = parsed->value("--brief").value_or("");
    query.kind = parsed->value("--kind").value_or("");
    const std::vector<std::string> kinds{"confirm", "kill", "watch"};
    if (!query.kind.empty() && !known_id("kind", query.kind, kinds)) return k_exit_failure;
    query.min_score = parse_count(parsed->value("--min-score"));
    if (parsed->value("--min-score") && !query.min_score)
        return usage_error("--min-score wants a whole number", k_hits_usage);
    const auto limit = parse_count(parsed->value("--limit"));
    if (parsed->value("--limit") && (!limit || *limit < 1))
        return usage_error("--limit wants a number of at least 1", k_hits_usage);
    const auto story_limit = static_cast<std::size_t>(limit.value_or(100));
    // A story holds a few signal rows: read enough rows for the stories asked for.
    constexpr std::int64_t k_rows_per_story = 16;
    query.limit = static_cast<std::int64_t>(story_limit) * k_rows_per_story;

    auto context = open_store_read_only(global);
    if (!context) return k_exit_failure;
    if (!query.brief.empty() && !known_id("brief", query.brief, known_briefs(*context))) return k_exit_failure;
    const auto hits = context->store->query_hits(query);
    const std::vector<StoryHits> stories = by_story(hits, story_limit);
    if (parsed->has("--explain")) {
        Explainer explainer{load_live_rules(global, context->config.rules_dir.string())};
        print_explained(*context, explainer, stories, parsed->has("--json"));
    } else if (parsed->has("--json")) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& story : stories) array.push_back(story_to_json(story));
        std::puts(array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else if (parsed->has("--csv")) {
        print_csv(stories);
    } else {
        print_table(stories, display_zone(global, context->config));
    }
    return k_exit_ok;
}

}  // namespace signalmon::cli
