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

}  // namespace

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
    : m_config(config), m_rules(std::move(rules)), m_matcher(m_rules), m_store(store) {
    constexpr feed::UnixTime k_day = 86'400;
    m_day_start = now_unix() / k_day * k_day;
}

std::int64_t& PollCycle::hits_today(std::string_view brief, std::string_view signal) {
    std::string key = std::string(brief) + '\n' + std::string(signal);
    auto found = m_hits_today.find(key);
    if (found == m_hits_today.end()) {
        found = m_hits_today.emplace(std::move(key), m_store.count_hits_since(brief, signal, m_day_start)).first;
    }
    return found->second;
}

CycleStats PollCycle::run(std::span<const config::FeedSpec* const> feeds) {
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
                     });
    if (const auto pruned = m_store.prune_item_text(now_unix() - m_config.item_retention.count()); !pruned) {
        spdlog::error("store: pruning item text: {}", pruned.error());
    }
    return stats;
}

void PollCycle::ingest(const config::FeedSpec& feed, const fetch::FetchRequest& request, fetch::FetchOutcome outcome,
                       CycleStats& stats) {
    ++stats.feeds_polled;
    store::PollRecord record{.feed_id = feed.id, .url = feed.url, .polled_at = now_unix()};
    std::optional<feed::Feed> parsed;
    if (!outcome) {
        record.status = store::PollRecord::Status::failed;
        record.error = "fetch: " + outcome.error().message;
    } else if (outcome->not_modified()) {
        record.status = store::PollRecord::Status::not_modified;
        ++stats.feeds_not_modified;
    } else {
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
        const score::ItemContext context{
            .feed_id = feed.id,
            .feed_tags = feed.tags,
            .hits_today = [this](std::string_view brief, std::string_view signal) { return hits_today(brief, signal); }};
        for (const feed::Item* item : *fresh) {
            auto verdicts = score::evaluate(*m_rules, *item, m_matcher.scan(*item), context);
            for (const score::Verdict& verdict : verdicts) {
                for (const score::SignalHit& hit : verdict.hits) {
                    ++hits_today(verdict.brief_id, hit.signal_id);
                }
            }
            auto alerts = alert::alert_requests(m_config.alerts, m_rules->rules(), feed.id, *item, verdicts, record.polled_at);
            new_items.push_back({item, std::move(verdicts), std::move(alerts)});
        }
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
            break;
    }
}

}  // namespace signalmon::app
