// signalctl alerts: the alert outbox (pending, held, sent, failed) and requeueing dead alerts.
// Only outbox columns are shown: channel ids, never URLs, addresses' passwords or secrets.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "app/store_open.hpp"
#include "cli/arguments.hpp"
#include "cli/store_access.hpp"
#include "feed/date.hpp"
#include "text/controls.hpp"

namespace signalmon::cli {
namespace {

constexpr std::string_view k_alerts_usage =
    "alerts [--pending|--failed|--sent] [--limit N] [--json] | alerts retry ID|--all-failed";

std::string optional_time(const std::optional<feed::UnixTime>& time) { return time ? feed::format_rfc3339(*time) : ""; }

nlohmann::json row_to_json(const store::OutboxRow& row) {
    nlohmann::json object{
        {"id", row.id},
        {"idempotency_key", row.idempotency_key},
        {"channel", row.channel},
        {"status", row.status},
        {"digest", row.digest},
        {"brief", row.brief},
        {"summary", row.summary},
        {"created_at", feed::format_rfc3339(row.created_at)},
        {"next_attempt", feed::format_rfc3339(row.not_before)},
        {"attempts", row.attempts},
        {"last_error", row.last_error},
    };
    if (row.last_attempt) object["last_attempt"] = optional_time(row.last_attempt);
    if (row.sent_at) object["sent_at"] = optional_time(row.sent_at);
    if (row.digest_id) object["digest_id"] = *row.digest_id;
    return object;
}

void print_table(const std::vector<store::OutboxRow>& rows, const config::TimeZone& zone) {
    std::printf("%6s  %-7s  %-16s  %-21s  %3s  %s\n", "ID", "STATUS", "CHANNEL", "WHEN", "TRY", "SUMMARY / LAST ERROR");
    for (const store::OutboxRow& row : rows) {
        // Sent: when it went; folded: into which digest; otherwise: when it is next due.
        std::string when =
            row.status == "sent" ? (row.sent_at ? zone.format(*row.sent_at) : "") : zone.format(row.not_before);
        if (row.status == "folded" && row.digest_id) when = "in digest #" + std::to_string(*row.digest_id);
        std::printf("%6lld  %-7s  %-16s  %-21s  %3lld  %s\n", static_cast<long long>(row.id), row.status.c_str(),
                    row.channel.c_str(), when.c_str(), static_cast<long long>(row.attempts),
                    text::without_controls(row.summary).c_str());
        if (!row.last_error.empty() && row.status != "sent")
            std::printf("%61s%s\n", "", text::without_controls(row.last_error).c_str());
    }
    std::printf("%zu alerts\n", rows.size());
}

feed::UnixTime now_unix() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

int run_retry(const GlobalOptions& global, const Arguments& parsed) {
    std::optional<std::int64_t> id;
    const bool all = parsed.has("--all-failed");
    if (all == (parsed.positionals.size() == 2))
        return usage_error("alerts retry wants an ID or --all-failed", k_alerts_usage);
    if (!all) {
        try {
            std::size_t used = 0;
            id = std::stoll(parsed.positionals[1], &used);
            if (used != parsed.positionals[1].size()) throw std::invalid_argument("trailing text");
        } catch (const std::exception&) {
            return usage_error("alerts retry: '" + parsed.positionals[1] + "' is not an alert id", k_alerts_usage);
        }
    }
    auto context = open_store_read_only(global);  // checks the config and that the store exists
    if (!context) return k_exit_failure;
    // Requeueing writes; WAL and SQLite's busy timeout (or PostgreSQL) let this run beside the daemon.
    const auto store = app::open_configured_store(context->config, store::OpenMode::read_write);
    const auto requeued = store->requeue_failed(id, now_unix());
    if (id && requeued == 0) {
        std::fprintf(stderr, "signalctl: alert %lld is not a failed alert\n", static_cast<long long>(*id));
        return k_exit_failure;
    }
    std::printf("%lld alerts requeued; the daemon delivers them on its next turn\n", static_cast<long long>(requeued));
    return k_exit_ok;
}

}  // namespace

int run_alerts(const GlobalOptions& global, std::span<const std::string_view> args) {
    const auto parsed =
        parse_arguments(args, {"--pending", "--failed", "--sent", "--json", "--all-failed"}, {"--limit"});
    if (!parsed) return usage_error(parsed.error(), k_alerts_usage);
    if (!parsed->positionals.empty() && parsed->positionals[0] == "retry") return run_retry(global, *parsed);
    if (!parsed->positionals.empty())
        return usage_error("unexpected argument '" + parsed->positionals[0] + "'", k_alerts_usage);
    if (parsed->has("--all-failed")) return usage_error("--all-failed goes with 'alerts retry'", k_alerts_usage);

    store::OutboxQuery query;
    if (parsed->has("--pending")) {
        query.statuses.emplace_back("pending");
        query.statuses.emplace_back("held");
    }
    if (parsed->has("--failed")) query.statuses.emplace_back("failed");
    if (parsed->has("--sent")) query.statuses.emplace_back("sent");
    if (const auto limit = parsed->value("--limit")) {
        try {
            query.limit = std::stoll(*limit);
        } catch (const std::exception&) {
            query.limit = 0;
        }
        if (query.limit < 1) return usage_error("--limit wants a number of at least 1", k_alerts_usage);
    }
    auto context = open_store_read_only(global);
    if (!context) return k_exit_failure;
    const auto rows = context->store->query_outbox(query);
    if (parsed->has("--json")) {
        nlohmann::json array = nlohmann::json::array();
        for (const auto& row : rows) array.push_back(row_to_json(row));
        std::puts(array.dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
        print_table(rows, display_zone(global, context->config));
    }
    return k_exit_ok;
}

}  // namespace signalmon::cli
