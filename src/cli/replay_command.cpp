// signalctl replay: re-scores the stored items of a window with the current rules, records the
// hits they produce now (marked replayed; alerted only with --alert) and lists the hits they no
// longer produce.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "alert/enqueue.hpp"
#include "cli/arguments.hpp"
#include "cli/rules_access.hpp"
#include "cli/store_access.hpp"
#include "feed/date.hpp"
#include "score/evaluate.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_replay_usage =
    "replay [--since 30d|RFC3339] [--brief ID] [--dry-run] [--alert] [--rules DIR] [--json]";

using HitKey = std::tuple<std::int64_t, std::string, std::string>;  // (item row, brief, signal)

// A brief's whole verdict on an item where the replay found a new hit: what --alert alerts on.
struct NewVerdict {
    std::int64_t item_row = 0;
    score::Verdict verdict;
};

struct Outcome {
    std::size_t items = 0;
    std::vector<store::ReplayHit> added;
    std::vector<NewVerdict> new_verdicts;
    std::vector<store::StoredHit> retracted;
    std::map<std::int64_t, store::StoredItem> items_by_row;
};

Outcome replay(StoreContext& context, const std::shared_ptr<const rules::CompiledRules>& rules, feed::UnixTime since,
               const std::string& only_brief) {
    const rules::CompiledRules& compiled = *rules;
    std::map<std::string, const config::FeedSpec*, std::less<>> feeds;
    for (const config::FeedSpec& feed : context.config.feeds) feeds.emplace(feed.id, &feed);
    std::set<HitKey> stored;
    for (store::StoredHit& hit : context.store->hits_of_items_since(since)) {
        if (only_brief.empty() || hit.brief == only_brief)
            stored.emplace(hit.item_row, std::move(hit.brief), std::move(hit.signal));
    }
    Outcome outcome;
    std::set<HitKey> produced;
    match::Matcher matcher(rules);
    for (store::StoredItem& item : context.store->items_since(since)) {
        ++outcome.items;
        // Daily caps throttle live alerting; a replay re-scores history as a whole, so none apply.
        score::ItemContext item_context{.feed_id = item.feed_id, .feed_tags = {}, .hits_today = {}};
        if (const auto feed = feeds.find(item.feed_id); feed != feeds.end())
            item_context.feed_tags = feed->second->tags;
        for (score::Verdict& verdict :
             score::evaluate(compiled, item.item, matcher.scan(item.item), item_context, score::HitDetail::evidence)) {
            if (!only_brief.empty() && verdict.brief_id != only_brief) continue;
            const bool has_new_hit = std::ranges::any_of(verdict.hits, [&](const score::SignalHit& hit) {
                return !stored.contains({item.row_id, verdict.brief_id, hit.signal_id});
            });
            // Terms and snippets only for verdicts that add a hit (stored, shown, alerted with all
            // their hits); the store already has the rest.
            if (has_new_hit) {
                for (score::SignalHit& hit : verdict.hits) score::describe(compiled, item.item, hit);
            }
            for (const score::SignalHit& hit : verdict.hits) {
                HitKey key{item.row_id, verdict.brief_id, hit.signal_id};
                if (!stored.contains(key)) {
                    outcome.added.push_back(
                        {item.row_id, verdict.brief_id, verdict.score(hit.kind), verdict.alerting_for(hit.kind), hit});
                }
                produced.insert(std::move(key));
            }
            if (has_new_hit) outcome.new_verdicts.push_back({item.row_id, std::move(verdict)});
        }
        const std::int64_t row = item.row_id;
        outcome.items_by_row.emplace(row, std::move(item));
    }
    for (const auto& [row, brief, signal] : stored) {
        if (!produced.contains({row, brief, signal})) outcome.retracted.push_back({row, brief, signal});
    }
    return outcome;
}

// Outbox rows for the alerting verdicts with new hits, routed like live alerts (clustering applies,
// so a story already alerted for the brief is not alerted again).
std::vector<store::ReplayAlert> replay_alerts(const StoreContext& context, const rules::RuleSet& rules,
                                              const Outcome& outcome, feed::UnixTime now) {
    std::vector<store::ReplayAlert> alerts;
    for (const NewVerdict& entry : outcome.new_verdicts) {
        const store::StoredItem& item = outcome.items_by_row.at(entry.item_row);
        for (store::AlertRequest& request : alert::alert_requests(context.config.alerts, rules, item.feed_id, item.item,
                                                                  std::span(&entry.verdict, 1), now)) {
            alerts.push_back({entry.item_row, std::move(request)});
        }
    }
    return alerts;
}

std::string item_label(const Outcome& outcome, std::int64_t row) {
    const auto found = outcome.items_by_row.find(row);
    if (found == outcome.items_by_row.end()) return "(item " + std::to_string(row) + ")";
    const store::StoredItem& item = found->second;
    return item.feed_id + "  " + (item.item.title.empty() ? item.item.key : item.item.title);
}

nlohmann::json to_json(const Outcome& outcome, bool recorded, const std::string& rules_hash, feed::UnixTime since) {
    const auto item_json = [&](std::int64_t row, nlohmann::json object) {
        if (const auto found = outcome.items_by_row.find(row); found != outcome.items_by_row.end()) {
            object["feed"] = found->second.feed_id;
            object["item_id"] = found->second.item.key;
            object["title"] = found->second.item.title;
            object["link"] = found->second.item.link;
        }
        return object;
    };
    nlohmann::json added = nlohmann::json::array();
    for (const store::ReplayHit& hit : outcome.added) {
        added.push_back(item_json(hit.item_row, {{"brief", hit.brief},
                                                 {"signal", hit.hit.signal_id},
                                                 {"kind", rules::kind_name(hit.hit.kind)},
                                                 {"weight", hit.hit.weight},
                                                 {"score", hit.score},
                                                 {"alerting", hit.alerting},
                                                 {"terms", hit.hit.terms}}));
    }
    nlohmann::json retracted = nlohmann::json::array();
    for (const store::StoredHit& hit : outcome.retracted) {
        retracted.push_back(item_json(hit.item_row, {{"brief", hit.brief}, {"signal", hit.signal}}));
    }
    return {{"since", feed::format_rfc3339(since)},
            {"rules", rules_hash},
            {"items", outcome.items},
            {"recorded", recorded},
            {"new", added},
            {"no_longer_produced", retracted}};
}

}  // namespace

int run_replay(const GlobalOptions& global, std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, {"--dry-run", "--alert", "--json"}, {"--since", "--brief", "--rules"});
    if (!parsed) return usage_error(parsed.error(), k_replay_usage);
    if (!parsed->positionals.empty())
        return usage_error("unexpected argument '" + parsed->positionals[0] + "'", k_replay_usage);
    const feed::UnixTime now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string since_text = parsed->value("--since").value_or("30d");
    const auto asked_since = parse_since(since_text, now);
    if (!asked_since)
        return usage_error("--since wants 30d, 12h or an RFC 3339 time, got '" + since_text + "'", k_replay_usage);
    const bool dry_run = parsed->has("--dry-run");
    if (dry_run && parsed->has("--alert"))
        return usage_error("--alert sends nothing with --dry-run; choose one", k_replay_usage);
    const std::string only_brief = parsed->value("--brief").value_or("");

    auto context = dry_run ? open_store_read_only(global) : open_store_read_write(global);
    if (!context) return k_exit_failure;
    const auto compiled =
        load_live_rules(global, parsed->value("--rules").value_or(context->config.rules_dir.string()));
    if (!only_brief.empty() && !known_id("brief", only_brief, brief_ids(compiled->rules()))) return k_exit_failure;
    // Items older than item_retention have lost their text: replaying them would retract every hit.
    const feed::UnixTime since = std::max(*asked_since, now - context->config.item_retention.count());
    Outcome outcome = replay(*context, compiled, since, only_brief);
    bool recorded = false;
    if (!dry_run && !outcome.added.empty()) {
        const auto alerts = parsed->has("--alert") ? replay_alerts(*context, compiled->rules(), outcome, now)
                                                   : std::vector<store::ReplayAlert>{};
        const auto stored = context->store->record_replayed(outcome.added, now, compiled->rules().content_hash, alerts,
                                                            alert::cluster_policy(context->config.alerts));
        if (!stored) {
            std::fprintf(stderr, "signalctl replay: %s\n", stored.error().c_str());
            return k_exit_failure;
        }
        recorded = true;
    }
    const std::string& hash = compiled->rules().content_hash;
    if (parsed->has("--json")) {
        std::puts(to_json(outcome, recorded, hash, since)
                      .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
                      .c_str());
        return k_exit_ok;
    }
    std::printf("replayed %zu items first seen since %s with rules %s\n", outcome.items,
                feed::format_rfc3339(since).c_str(), hash.c_str());
    std::printf("%zu new hits%s\n", outcome.added.size(),
                outcome.added.empty()    ? ""
                : dry_run                ? " (dry run: not recorded)"
                : parsed->has("--alert") ? " (recorded as replayed; alerting ones queued in the alert outbox)"
                                         : " (recorded as replayed; no alerts sent)");
    for (const store::ReplayHit& hit : outcome.added) {
        std::printf("  + %s/%s  %s  score %d%s  %s\n", hit.brief.c_str(), hit.hit.signal_id.c_str(),
                    std::string(rules::kind_name(hit.hit.kind)).c_str(), hit.score, hit.alerting ? "!" : "",
                    item_label(outcome, hit.item_row).c_str());
    }
    std::printf("%zu stored hits the current rules no longer produce (kept in the store)\n", outcome.retracted.size());
    for (const store::StoredHit& hit : outcome.retracted) {
        std::printf("  - %s/%s  %s\n", hit.brief.c_str(), hit.signal.c_str(),
                    item_label(outcome, hit.item_row).c_str());
    }
    return k_exit_ok;
}

}  // namespace signalmon::cli
