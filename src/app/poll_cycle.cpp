// The pipeline of one poll cycle, wired stage by stage; the stages themselves know nothing of it.
#include "app/poll_cycle.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <unordered_map>

#include "alert/enqueue.hpp"
#include "feed/parse.hpp"
#include "score/evaluate.hpp"

namespace signalmon::app {
namespace {

feed::UnixTime now_unix() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::size_t text_bytes(const feed::Item& item) {
    return item.title.size() + item.summary.size() + item.content.size() + item.author.size();
}

bool contains(std::string_view text, std::string_view word) { return text.find(word) != std::string_view::npos; }

}  // namespace

std::string failure_reason(std::string_view message) {
    if (message.starts_with("HTTP 4")) return "http_4xx";
    if (message.starts_with("HTTP 5")) return "http_5xx";
    if (message.starts_with("HTTP ")) return "http_other";
    if (contains(message, "timeout") || contains(message, "timed out")) return "timeout";
    if (contains(message, "larger than")) return "too_large";
    if (contains(message, "resolve")) return "dns";
    if (contains(message, "SSL") || contains(message, "TLS") || contains(message, "certificate")) return "tls";
    if (contains(message, "connect")) return "connect";
    return "other";
}

fetch::FetchOptions fetch_options(const config::Config& config) {
    fetch::FetchOptions options;
    options.user_agent = config.user_agent;
    options.connect_timeout = config.connect_timeout;
    options.total_timeout = config.timeout;
    options.max_body_bytes = config.max_body_size;
    options.max_parallel = config.max_parallel;
    return options;
}

PollCycle::PollCycle(const config::Config& config, std::shared_ptr<const rules::CompiledRules> rules,
                     store::Store& store)
    : m_config(config), m_rules(std::move(rules)), m_matcher(m_rules), m_store(store) {}

CycleStats PollCycle::run(std::span<const config::FeedSpec* const> feeds, const std::function<void()>& on_feed_done) {
    std::vector<fetch::FetchRequest> requests;
    std::unordered_map<std::string, const config::FeedSpec*> feed_by_id;
    for (const config::FeedSpec* feed : feeds) {
        fetch::FetchRequest request{.feed_id = feed->id, .url = feed->url, .etag = {}, .last_modified = {}};
        if (const auto state = m_store.feed_state(feed->id); state && state->url == feed->url) {
            request.etag = state->etag;
            request.last_modified = state->last_modified;
        }
        feed_by_id.emplace(feed->id, feed);
        requests.push_back(std::move(request));
    }
    CycleStats stats;
    fetch::fetch_all(requests, fetch_options(m_config),
                     [&](const fetch::FetchRequest& request, fetch::FetchOutcome outcome) {
                         ingest(*feed_by_id.at(request.feed_id), request, std::move(outcome), stats);
                         if (on_feed_done) on_feed_done();
                     });
    return stats;
}

void PollCycle::count_hits(const config::FeedSpec& feed, std::span<const store::NewItem> new_items,
                           CycleStats& stats) {
    for (const store::NewItem& entry : new_items) {
        for (const score::Verdict& verdict : entry.verdicts) {
            for (const score::SignalHit& hit : verdict.hits) {
                ++stats.hits_by_brief_kind[{verdict.brief_id, std::string(rules::kind_name(hit.kind))}];
            }
            if (verdict.alerting) {
                spdlog::info("feed {}: brief {}: alerting hit, score {} (threshold {}): {}", feed.id,
                             verdict.brief_id, verdict.score, verdict.threshold, entry.item->title);
            }
        }
    }
}

void PollCycle::ingest(const config::FeedSpec& feed, const fetch::FetchRequest& request, fetch::FetchOutcome outcome,
                       CycleStats& stats) {
    ++stats.feeds_polled;
    store::PollRecord record{.feed_id = feed.id, .url = feed.url, .polled_at = now_unix()};
    std::optional<feed::Feed> parsed;
    if (!outcome) {
        record.status = store::PollRecord::Status::failed;
        record.error = "fetch: " + outcome.error().message;
        ++stats.errors_by_reason[failure_reason(outcome.error().message)];
    } else if (outcome->not_modified()) {
        record.status = store::PollRecord::Status::not_modified;
        ++stats.feeds_not_modified;
    } else {
        stats.bytes_fetched += outcome->body.size();
        record.etag = outcome->etag;
        record.last_modified = outcome->last_modified;
        const std::string& base_url = outcome->effective_url.empty() ? request.url : outcome->effective_url;
        auto result = feed::parse(outcome->body, {.base_url = base_url, .content_type = outcome->content_type});
        if (result) {
            record.feed_title = result->title;
            parsed = std::move(*result);
        } else {
            record.status = store::PollRecord::Status::failed;
            record.error = "parse: " + result.error().message;
            ++stats.errors_by_reason["parse"];
        }
    }

    std::vector<store::NewItem> new_items;
    if (parsed) {
        stats.items_parsed += parsed->items.size();
        auto fresh = m_store.filter_new(feed.id, parsed->items);
        if (!fresh) {
            spdlog::error("feed {}: store: {}", feed.id, fresh.error());
            ++stats.feeds_failed;
            return;
        }
        const auto scan_start = std::chrono::steady_clock::now();
        for (const feed::Item* item : *fresh) {
            stats.scan_bytes += text_bytes(*item);
            auto verdicts = score::evaluate(*m_rules, *item, m_matcher.scan(*item));
            auto alerts = alert::alert_requests(m_config.alerts, m_rules->rules(), feed.id, *item, verdicts, record.polled_at);
            new_items.push_back({item, std::move(verdicts), std::move(alerts)});
        }
        stats.scan_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - scan_start).count();
    }

    const auto stored = m_store.record_poll(record, new_items, record.polled_at, alert::cluster_policy(m_config.alerts));
    if (!stored) {
        spdlog::error("feed {}: store: {} (the items will be matched again next poll)", feed.id, stored.error());
        ++stats.feeds_failed;
        return;
    }
    switch (record.status) {
        case store::PollRecord::Status::failed:
            ++stats.feeds_failed;
            spdlog::warn("feed {}: {}", feed.id, record.error);
            break;
        case store::PollRecord::Status::not_modified:
            spdlog::debug("feed {}: not modified", feed.id);
            break;
        case store::PollRecord::Status::ok:
            stats.items_new += new_items.size();
            stats.hits += *stored;
            spdlog::info("feed {}: {} items, {} new, {} hits", feed.id, parsed->items.size(), new_items.size(), *stored);
            count_hits(feed, new_items, stats);
            if (const auto touched = m_store.touch_items(feed.id, parsed->items, record.polled_at); !touched) {
                spdlog::warn("feed {}: store: {} (retention may forget items sooner)", feed.id, touched.error());
            }
            break;
    }
}

}  // namespace signalmon::app
