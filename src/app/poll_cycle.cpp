// The pipeline of one poll cycle, wired stage by stage; the stages themselves know nothing of it.
#include "app/poll_cycle.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <unordered_map>

#include "alert/enqueue.hpp"
#include "feed/parse.hpp"
#include "feed/readable.hpp"
#include "feed/source_adapter.hpp"
#include "fetch/schedule.hpp"
#include "score/evaluate.hpp"

namespace signalmon::app {
namespace {

std::size_t text_bytes(const feed::Item& item) {
    return item.title.size() + item.summary.size() + item.content.size() + item.author.size();
}

}  // namespace

std::expected<FeedStates, std::string> load_feed_states(store::Store& store) {
    auto stored = store.feed_states();
    if (!stored) return std::unexpected(std::move(stored.error()));
    FeedStates states;
    for (store::FeedState& state : *stored) {
        std::string id = state.id;
        states.emplace(std::move(id), std::move(state));
    }
    return states;
}

fetch::FetchOptions fetch_options(const config::Config& config) {
    fetch::FetchOptions options;
    options.user_agent = config.user_agent;
    options.connect_timeout = config.connect_timeout;
    options.total_timeout = config.timeout;
    options.max_body_bytes = config.max_body_size;
    options.max_parallel = config.max_parallel;
    options.low_speed_bytes_per_second = static_cast<long>(config.low_speed_limit);
    options.low_speed_time = config.low_speed_time;
    options.per_host_connections = config.per_host_connections;
    options.per_host_requests_per_second = config.per_host_rate;
    for (const config::SourceProfile& source : config.sources) {
        options.budgets.push_back({.name = source.name,
                                   .hosts = source.hosts,
                                   .max_connections = source.connections,
                                   .requests_per_second = source.requests_per_second,
                                   .forbidden_means_rate_limited = source.forbidden_means_rate_limited});
    }
    return options;
}

PollCycle::PollCycle(const config::Config& config, std::shared_ptr<const rules::CompiledRules> rules,
                     store::Store& store, FeedStates& states, fetch::Fetcher& fetcher, const Clock& clock)
    : m_config(config),
      m_rules(std::move(rules)),
      m_matcher(m_rules),
      m_store(store),
      m_states(states),
      m_fetcher(fetcher),
      m_clock(clock) {
    constexpr feed::UnixTime k_day = 86'400;
    const feed::UnixTime day_start = m_clock.now() / k_day * k_day;
    auto counted = m_store.hit_counts_since(day_start);
    if (!counted) {
        spdlog::error("store: counting today's hits: {} (max_per_day counts this cycle's only)", counted.error());
    } else {
        m_hits_today = std::move(*counted);
    }
}

std::optional<store::FeedState> PollCycle::previous_state(const std::string& feed_id) const {
    const auto found = m_states.find(feed_id);
    if (found == m_states.end()) return std::nullopt;
    return found->second;
}

CycleStats PollCycle::run(std::span<const config::FeedSpec* const> feeds, const std::function<void()>& on_feed_done) {
    CycleStats stats;
    std::vector<fetch::FetchRequest> requests;
    std::unordered_map<std::string, const config::FeedSpec*> feed_by_id;
    for (const config::FeedSpec* feed : feeds) {
        fetch::FetchRequest request{.feed_id = feed->id, .url = feed->url};
        request.headers = feed->headers;
        request.user_agent = m_config.user_agent_for(*feed);
        // Validators and a redirect belong to the URL they came from; a changed config URL starts afresh.
        if (const auto state = m_states.find(feed->id); state != m_states.end() && state->second.url == feed->url) {
            request.etag = state->second.etag;
            request.last_modified = state->second.last_modified;
            if (!state->second.redirect_url.empty()) request.url = state->second.redirect_url;
        }
        feed_by_id.emplace(feed->id, feed);
        requests.push_back(std::move(request));
    }
    m_fetcher.fetch(requests, fetch_options(m_config),
                    [&](const fetch::FetchRequest& request, const fetch::FetchOutcome& outcome) {
                        ingest(*feed_by_id.at(request.feed_id), request, outcome, stats);
                        if (on_feed_done) on_feed_done();
                    });
    enrich(stats);
    // Retention: on a shared store only the leading instance prunes (the others would contend for the same rows).
    if (store::leads(m_store)) {
        if (const auto pruned = m_store.prune_item_text(m_clock.now() - m_config.item_retention.count()); !pruned) {
            spdlog::error("store: pruning item text: {}", pruned.error());
        }
    }
    if (const auto indexed = m_store.index_for_search(); !indexed) {
        spdlog::error("store: adding new items to the search index: {}", indexed.error());
    }
    return stats;
}

void PollCycle::ingest(const config::FeedSpec& feed, const fetch::FetchRequest& request,
                       const fetch::FetchOutcome& outcome, CycleStats& stats) {
    ++stats.feeds_polled;
    const double random01 = std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
    Answer answer = read_answer(m_config, feed, request.url, outcome, previous_state(feed.id), m_clock.now(), random01);
    if (outcome && !outcome->not_modified()) stats.bytes_fetched += outcome->body.size();
    switch (answer.record.status) {
        case store::PollRecord::Status::failed: ++stats.errors_by_reason[answer.failure_reason]; break;
        case store::PollRecord::Status::not_modified: ++stats.feeds_not_modified; break;
        case store::PollRecord::Status::ok: break;
    }
    if (answer.parsed) {
        for (const std::string& warning : answer.parsed->warnings) spdlog::warn("feed {}: parse: {}", feed.id, warning);
    }
    if (!answer.record.redirect_url.empty()) {
        ++stats.feeds_moved;
        spdlog::warn("feed {}: moved permanently from {} to {}; polling the new URL (update feeds.yaml to match)",
                     feed.id, request.url, answer.record.redirect_url);
    }
    stats.next_poll_at[feed.id] = *answer.record.next_poll;

    std::vector<const feed::Item*> fresh;
    if (answer.parsed) {
        stats.items_parsed += answer.parsed->items.size();
        auto found = m_store.filter_new(feed.id, answer.parsed->items);
        if (!found) {
            store_failed(feed, found.error(), stats);
            return;
        }
        fresh = std::move(*found);
    }
    if (!fresh.empty() && (feed.fetch_article || feed.fetch_document)) {
        // Matched once their pages have arrived (enrich), so that the page text is matched too.
        const feed::Item* first = answer.parsed->items.data();
        Waiting waiting{&feed, std::move(answer), {}};
        for (const feed::Item* item : fresh) waiting.fresh.push_back(static_cast<std::size_t>(item - first));
        m_waiting.push_back(std::move(waiting));
        return;
    }
    store_poll(feed, answer, fresh, stats);
}

void PollCycle::enrich(CycleStats& stats) {
    // Which waiting item each page request is for, by its index in the batch.
    struct Target {
        Waiting* waiting;
        feed::Item* item;
        // For fetch_document: the source adapter that finds the document to fetch next on this page
        // (an EDGAR filing index); nullptr for a page matched itself.
        const feed::SourceAdapter* index_of;
    };
    std::vector<fetch::FetchRequest> requests;
    std::vector<Target> targets;
    const auto add = [&](Waiting& waiting, feed::Item& item, std::string url, const feed::SourceAdapter* index_of) {
        fetch::FetchRequest request{.feed_id = std::to_string(requests.size()), .url = std::move(url)};
        request.user_agent = m_config.user_agent_for(*waiting.feed);
        request.max_body_bytes = m_config.document_max_size;
        request.truncate_at_cap = true;
        request.allow_private = waiting.feed->allow_private;
        request.web_only = true;  // a filing index's link must not read a local file
        requests.push_back(std::move(request));
        targets.push_back({&waiting, &item, index_of});
    };
    for (Waiting& waiting : m_waiting) {
        for (const std::size_t index : waiting.fresh) {
            feed::Item& item = waiting.answer.parsed->items[index];
            if (item.link.starts_with("http://") || item.link.starts_with("https://")) {
                add(waiting, item, item.link,
                    waiting.feed->fetch_document ? feed::source_adapter(waiting.feed->source) : nullptr);
            }
        }
    }
    // Round one fetches articles and EDGAR index pages; round two the filings' primary documents.
    // Each round is one fetch_all, so the host budgets hold within it.
    const fetch::FetchOptions options = fetch_options(m_config);
    while (!requests.empty()) {
        const std::vector<fetch::FetchRequest> batch = std::move(requests);
        const std::vector<Target> batch_targets = std::move(targets);
        requests.clear();
        targets.clear();
        m_fetcher.fetch(batch, options, [&](const fetch::FetchRequest& request, const fetch::FetchOutcome& outcome) {
            const Target& target = batch_targets[std::stoul(request.feed_id)];
            const std::string& feed_id = target.waiting->feed->id;
            if (!outcome) {
                spdlog::warn("feed {}: {} {}: {} (the item is matched without it)", feed_id,
                             target.index_of != nullptr ? "document index" : "page", request.url,
                             outcome.error().message);
                return;
            }
            if (target.index_of != nullptr) {
                std::string document = target.index_of->document_link(outcome->body, outcome->effective_url);
                if (document.empty()) {
                    spdlog::warn("feed {}: no primary document in {}", feed_id, request.url);
                } else {
                    add(*target.waiting, *target.item, std::move(document), nullptr);
                }
                return;
            }
            target.item->content = feed::readable_text(outcome->body, outcome->content_type);
        });
    }
    for (Waiting& waiting : m_waiting) {
        std::vector<const feed::Item*> fresh;
        fresh.reserve(waiting.fresh.size());
        for (const std::size_t index : waiting.fresh) fresh.push_back(&waiting.answer.parsed->items[index]);
        store_poll(*waiting.feed, waiting.answer, fresh, stats);
    }
    m_waiting.clear();
}

void PollCycle::store_failed(const config::FeedSpec& feed, const std::string& error, CycleStats& stats) {
    spdlog::error("feed {}: store: {} (the items will be matched again next poll)", feed.id, error);
    ++stats.feeds_failed;
    ++stats.store_failures;
    stats.store_error = error;
}

void PollCycle::count_hits(const config::FeedSpec& feed, std::span<const store::NewItem> new_items, CycleStats& stats) {
    for (const store::NewItem& entry : new_items) {
        for (const score::Verdict& verdict : entry.verdicts) {
            for (const score::SignalHit& hit : verdict.hits) {
                ++stats.hits_by_brief_kind[{verdict.brief_id, std::string(rules::kind_name(hit.kind))}];
            }
            if (verdict.alerting) {
                spdlog::info("feed {}: brief {}: alerting hit, confirm {} kill {} watch {} (threshold {}): {}", feed.id,
                             verdict.brief_id, verdict.score(rules::Kind::confirm), verdict.score(rules::Kind::kill),
                             verdict.score(rules::Kind::watch), verdict.threshold, entry.item->title);
            }
        }
    }
}

void PollCycle::store_poll(const config::FeedSpec& feed, const Answer& answer, std::span<const feed::Item* const> fresh,
                           CycleStats& stats) {
    const store::PollRecord& record = answer.record;
    const auto scan_start = std::chrono::steady_clock::now();
    for (const feed::Item* item : fresh) stats.scan_bytes += text_bytes(*item);
    const std::optional<store::FeedState> previous = previous_state(feed.id);
    PollResult result = judge_poll(m_config, feed, m_matcher, answer, fresh, previous, m_hits_today);
    stats.scan_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - scan_start).count();
    // After one poll could not be recorded the rest of the cycle would fail the same way, each
    // after the store's own retries: they are not tried, and keep their schedules (stats.next_poll_at).
    if (stats.store_failures > 0) {
        store_failed(feed, stats.store_error, stats);
        return;
    }
    const bool ok = record.status == store::PollRecord::Status::ok;
    const std::span<const feed::Item> listed =
        ok && answer.parsed ? std::span<const feed::Item>(answer.parsed->items) : std::span<const feed::Item>();
    const auto stored = m_store.write_poll({.state = result.state,
                                            .new_items = result.new_items,
                                            .listed = listed,
                                            .found_at = record.polled_at,
                                            .clustering = alert::cluster_policy(m_config.alerts),
                                            .rules_hash = m_rules->rules().content_hash,
                                            .health_alert = result.health_alert});
    if (!stored) {
        store_failed(feed, stored.error(), stats);
        return;
    }
    switch (record.status) {
        case store::PollRecord::Status::failed:
            ++stats.feeds_failed;
            spdlog::warn("feed {}: {}", feed.id, record.error);
            break;
        case store::PollRecord::Status::not_modified: spdlog::debug("feed {}: not modified", feed.id); break;
        case store::PollRecord::Status::ok:
            stats.items_new += result.new_items.size();
            stats.hits += *stored;
            spdlog::info("feed {}: {} items, {} new, {} hits", feed.id, listed.size(), result.new_items.size(),
                         *stored);
            count_hits(feed, result.new_items, stats);
            break;
    }
    if (result.health_problem)
        spdlog::error("health alert: feed {} ({}) {}", feed.id, feed.url, *result.health_problem);
    if (result.health_recovered) spdlog::info("health: feed {} recovered", feed.id);
    m_states.insert_or_assign(feed.id, std::move(result.state));
}

}  // namespace signalmon::app
