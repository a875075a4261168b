// signalctl hits: the hits found in a time window, newest first, as a table, JSON or CSV.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "cli/arguments.hpp"
#include "cli/rules_access.hpp"
#include "cli/store_access.hpp"
#include "feed/date.hpp"
#include "score/explain.hpp"
#include "text/controls.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_hits_usage =
    "hits [--since 24h|7d|RFC3339] [--brief ID] [--kind watch|confirm|kill] [--min-score N] [--limit N] [--json|--csv] "
    "[--explain]";

nlohmann::json hit_to_json(const store::HitRow& hit) {
    nlohmann::json object{
        {"found_at", feed::format_rfc3339(hit.found_at)},
        {"brief", hit.brief},
        {"signal", hit.signal},
        {"kind", hit.kind},
        {"weight", hit.weight},
        {"score", hit.score},
        {"alerting", hit.alerting},
        {"feed", hit.feed},
        {"item_id", hit.item_key},
        {"title", hit.title},
        {"link", hit.link},
        {"terms", hit.terms},
        {"snippet", hit.snippet},
    };
    if (hit.published) object["published"] = feed::format_rfc3339(*hit.published);
    object["replayed"] = hit.replayed;
    return object;
}

void print_table(const std::vector<store::HitRow>& hits) {
    std::printf("%-20s  %-7s  %5s  %-36s  %s\n", "FOUND (UTC)", "KIND", "SCORE", "BRIEF / SIGNAL", "TITLE / LINK");
    for (const store::HitRow& hit : hits) {
        const std::string found = feed::format_rfc3339(hit.found_at);
        // Stores written before controls were stripped at ingest may still hold some.
        std::printf("%-20s  %-7s  %5lld%s %-36s  %s\n%38s%-36s  %s\n", found.c_str(), hit.kind.c_str(),
                    static_cast<long long>(hit.score), hit.alerting ? "!" : " ", hit.brief.c_str(),
                    text::without_controls(hit.title).c_str(), "", hit.signal.c_str(),
                    text::without_controls(hit.link).c_str());
    }
    std::printf("%zu hits (! = the item's score for the brief reaches its threshold)\n", hits.size());
}

void print_csv(const std::vector<store::HitRow>& hits) {
    std::puts("found_at,brief,signal,kind,weight,score,alerting,feed,item_id,title,link,published,terms,snippet");
    for (const store::HitRow& hit : hits) {
        std::string terms;
        for (const auto& term : hit.terms) terms += (terms.empty() ? "" : "; ") + term;
        const std::string fields[] = {feed::format_rfc3339(hit.found_at),
                                      hit.brief,
                                      hit.signal,
                                      hit.kind,
                                      std::to_string(hit.weight),
                                      std::to_string(hit.score),
                                      hit.alerting ? "true" : "false",
                                      hit.feed,
                                      hit.item_key,
                                      hit.title,
                                      hit.link,
                                      hit.published ? feed::format_rfc3339(*hit.published) : "",
                                      terms,
                                      hit.snippet};
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
        stored = context.store.item(hit.feed, hit.item_key);
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

void print_explained(StoreContext& context, Explainer& explainer, const std::vector<store::HitRow>& hits, bool json) {
    const std::string note = "explanations re-evaluate the stored item text with the current rules in " +
                             context.config.rules_dir.string() + " (rules " + explainer.compiled->rules().content_hash +
                             "), not the rules that found the hit";
    nlohmann::json array = nlohmann::json::array();
    if (!json) std::printf("%s\n", note.c_str());
    for (const store::HitRow& hit : hits) {
        std::optional<store::StoredItem> stored;
        const auto why_not = explainer.unavailable(context, hit, stored);
        if (json) {
            nlohmann::json object = hit_to_json(hit);
            object["explanation"] = why_not ? nlohmann::json{{"unavailable", *why_not}}
                                            : nlohmann::json(score::explanation_json(
                                                  stored->item, explainer.explain(context, hit, stored->item)));
            array.push_back(std::move(object));
            continue;
        }
        std::printf("\nhit %s  %s/%s  %s  (stored score %lld)%s\n", feed::format_rfc3339(hit.found_at).c_str(),
                    hit.brief.c_str(), hit.signal.c_str(), hit.kind.c_str(), static_cast<long long>(hit.score),
                    hit.replayed ? "  [replayed]" : "");
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
    if (!query.kind.empty() && query.kind != "watch" && query.kind != "confirm" && query.kind != "kill") {
        return usage_error("--kind is watch, confirm or kill, got '" + query.kind + "'", k_hits_usage);
    }
    query.min_score = parse_count(parsed->value("--min-score"));
    if (parsed->value("--min-score") && !query.min_score)
        return usage_error("--min-score wants a whole number", k_hits_usage);
    const auto limit = parse_count(parsed->value("--limit"));
    if (parsed->value("--limit") && (!limit || *limit < 1))
        return usage_error("--limit wants a number of at least 1", k_hits_usage);
    query.limit = limit.value_or(100);

    auto context = open_store_read_only(global);
    if (!context) return k_exit_failure;
    const auto hits = context->store.query_hits(query);
    if (parsed->has("--explain")) {
        Explainer explainer{load_live_rules(global, context->config.rules_dir.string())};
        print_explained(*context, explainer, hits, parsed->has("--json"));
    } else if (parsed->has("--json")) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& hit : hits) array.push_back(hit_to_json(hit));
        std::puts(array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else if (parsed->has("--csv")) {
        print_csv(hits);
    } else {
        print_table(hits);
    }
    return k_exit_ok;
}

}  // namespace signalmon::cli
