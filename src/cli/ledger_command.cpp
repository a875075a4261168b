// signalctl ledger: per brief and period, distinct stories of confirm, kill and watch evidence,
// the strongest of each kind and the balance, as a table, JSON or CSV.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "cli/arguments.hpp"
#include "cli/store_access.hpp"
#include "feed/date.hpp"
#include "ledger/ledger.hpp"
#include "score/evaluate.hpp"
#include "text/controls.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_ledger_usage =
    "ledger [--brief ID] [--since 90d|RFC3339] [--by day|week|month] [--json|--csv]";

std::string day_text(feed::UnixTime time) { return feed::format_rfc3339(time).substr(0, 10); }

nlohmann::json ledger_json(const ledger::BriefLedger& ledger, const ledger::Options& options) {
    nlohmann::json periods = nlohmann::json::array();
    for (const ledger::PeriodCounts& period : ledger.periods) {
        nlohmann::json entry{{"start", feed::format_rfc3339(period.start)}, {"end", feed::format_rfc3339(period.end)}};
        for (const rules::Kind kind : ledger::k_ledger_kinds)
            entry[std::string(rules::kind_name(kind))] = period.stories[score::kind_index(kind)];
        periods.push_back(std::move(entry));
    }
    nlohmann::json totals;
    nlohmann::json last;
    nlohmann::json strongest;
    for (const rules::Kind kind : ledger::k_ledger_kinds) {
        const std::string name(rules::kind_name(kind));
        const std::size_t index = score::kind_index(kind);
        totals[name] = ledger.totals[index];
        last[name] = ledger.last[index] ? nlohmann::json(feed::format_rfc3339(*ledger.last[index])) : nlohmann::json();
        strongest[name] = nlohmann::json::array();
        for (const ledger::Story& story : ledger.strongest[index]) {
            strongest[name].push_back({{"score", story.score},
                                       {"evidence_at", feed::format_rfc3339(story.evidence_at)},
                                       {"copies", story.copies},
                                       {"feed", story.feed},
                                       {"item_id", story.item_key},
                                       {"title", story.title},
                                       {"link", story.link}});
        }
    }
    return {{"brief", ledger.brief},
            {"since", feed::format_rfc3339(options.since)},
            {"until", feed::format_rfc3339(options.now)},
            {"by", ledger::period_name(options.by)},
            {"verdict", ledger.verdict},
            {"totals", std::move(totals)},
            {"last", std::move(last)},
            {"strongest", std::move(strongest)},
            {"periods", std::move(periods)}};
}

void print_ledger_table(const std::vector<ledger::BriefLedger>& ledgers, const ledger::Options& options) {
    for (const ledger::BriefLedger& ledger : ledgers) {
        std::printf("%s  (stories by %s since %s)\n  %s\n  %-10s %8s %8s %8s\n", ledger.brief.c_str(),
                    std::string(ledger::period_name(options.by)).c_str(), day_text(options.since).c_str(),
                    ledger.verdict.c_str(), "period", "confirm", "kill", "watch");
        for (const ledger::PeriodCounts& period : ledger.periods) {
            const auto& counts = period.stories;
            if (counts[0] == 0 && counts[1] == 0 && counts[2] == 0) continue;  // the table shows evidence only
            std::printf("  %-10s %8lld %8lld %8lld\n", day_text(period.start).c_str(),
                        static_cast<long long>(counts[score::kind_index(rules::Kind::confirm)]),
                        static_cast<long long>(counts[score::kind_index(rules::Kind::kill)]),
                        static_cast<long long>(counts[score::kind_index(rules::Kind::watch)]));
        }
        for (const rules::Kind kind : ledger::k_ledger_kinds) {
            const auto& strongest = ledger.strongest[score::kind_index(kind)];
            if (strongest.empty()) continue;
            std::printf("  strongest %s:\n", std::string(rules::kind_name(kind)).c_str());
            for (const ledger::Story& story : strongest) {
                // Stores written before controls were stripped at ingest may still hold some.
                std::printf("    %3lld  %s  %s%s\n         %s\n", static_cast<long long>(story.score),
                            day_text(story.evidence_at).c_str(), text::without_controls(story.title).c_str(),
                            story.copies > 1 ? (" (" + std::to_string(story.copies) + " copies)").c_str() : "",
                            text::without_controls(story.link).c_str());
            }
        }
        std::puts("");
    }
    std::printf("%zu briefs; a story is counted once however many feeds carried it\n", ledgers.size());
}

void print_ledger_csv(const std::vector<ledger::BriefLedger>& ledgers) {
    std::puts("brief,period_start,period_end,confirm,kill,watch");
    for (const ledger::BriefLedger& ledger : ledgers) {
        for (const ledger::PeriodCounts& period : ledger.periods) {
            std::printf("%s,%s,%s,%lld,%lld,%lld\n", csv_field(ledger.brief).c_str(),
                        feed::format_rfc3339(period.start).c_str(), feed::format_rfc3339(period.end).c_str(),
                        static_cast<long long>(period.stories[score::kind_index(rules::Kind::confirm)]),
                        static_cast<long long>(period.stories[score::kind_index(rules::Kind::kill)]),
                        static_cast<long long>(period.stories[score::kind_index(rules::Kind::watch)]));
        }
    }
}

}  // namespace

int run_ledger(const GlobalOptions& global, std::span<const std::string_view> args) {
    const auto parsed = parse_arguments(args, {"--json", "--csv"}, {"--brief", "--since", "--by"});
    if (!parsed) return usage_error(parsed.error(), k_ledger_usage);
    if (!parsed->positionals.empty())
        return usage_error("unexpected argument '" + parsed->positionals[0] + "'", k_ledger_usage);
    if (parsed->has("--json") && parsed->has("--csv"))
        return usage_error("choose one of --json and --csv", k_ledger_usage);
    ledger::Options options;
    options.now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string since_text = parsed->value("--since").value_or("90d");
    const auto since = parse_since(since_text, options.now);
    if (!since || *since > options.now)
        return usage_error("--since wants 90d, 24h or a past RFC 3339 time, got '" + since_text + "'", k_ledger_usage);
    options.since = *since;
    const std::string by_text = parsed->value("--by").value_or("week");
    const auto by = ledger::period_named(by_text);
    if (!by) return usage_error("--by is day, week or month, got '" + by_text + "'", k_ledger_usage);
    options.by = *by;

    auto context = open_store_read_only(global);
    if (!context) return k_exit_failure;
    const store::LedgerQuery query{.since = options.since, .brief = parsed->value("--brief").value_or("")};
    if (!query.brief.empty() && !known_id("brief", query.brief, known_briefs(*context))) return k_exit_failure;
    const auto rows = context->store->ledger_hits(query);
    std::vector<std::string> briefs;
    if (!query.brief.empty()) briefs.push_back(query.brief);
    const auto ledgers = ledger::compute(rows, briefs, options);
    if (parsed->has("--json")) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& ledger : ledgers) array.push_back(ledger_json(ledger, options));
        std::puts(array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else if (parsed->has("--csv")) {
        print_ledger_csv(ledgers);
    } else {
        print_ledger_table(ledgers, options);
    }
    return k_exit_ok;
}

}  // namespace signalmon::cli
