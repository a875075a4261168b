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

feed::UnixTime now_unix() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
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
                     store::Store& store)
    : m_config(config), m_rules(std::move(rules)), m_matcher(m_rules), m_store(store) {
    constexpr feed::UnixTime k_day = 86'400;
    m_day_start = now_unix() / k_day * k_day;
}

std::int64_t& PollCycle::hits_today(std::string_view brief, std::string_view signal) {
    std::string key = std::string(brief) + '\n' + std::string(signal);
    auto found = m_hits_today.find(key);
    if (found == m_hits_today.end()) {
        const auto stored = m_store.count_hits_since(brief, signal, m_day_start);
        if (!stored) {
            spdlog::error("store: counting today's hits of {}/{}: {} (max_per_day counts this cycle's only)", brief,
                          signal, stored.error());
        }
        found = m_hits_today.emplace(std::move(key), stored.value_or(0)).first;
    }
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
        const auto read = m_store.feed_state(feed->id);
        if (!read) {
            // Not fetched: its answer could not be recorded either. It is due again after its interval.
            ++stats.feeds_polled;
            store_failed(*feed, read.error(), stats);
            continue;
        }
        const std::optional<store::FeedState>& state = *read;
        // Validators and a redirect belong to the URL they came from; a changed config URL starts afresh.
        if (state && state->url == feed->url) {
            request.etag = state->etag;
            request.last_modified = state->last_modified;
            if (!state->redirect_url.empty()) request.url = state->redirect_url;
        }
        m_states[feed->id] = state;
        feed_by_id.emplace(feed->id, feed);
        requests.push_back(std::move(request));
    }
    fetch::fetch_all(requests, fetch_options(m_config),
                     [&](const fetch::FetchRequest& request, fetch::FetchOutcome outcome) {
                         ingest(*feed_by_id.at(request.feed_id), request, std::move(outcome), stats);
                         if (on_feed_done) on_feed_done();
                     });
    enrich(stats);
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
        ++stats.errors_by_reason[failure_reason(outcome.error().message)];
    } else if (outcome->not_modified()) {
        record.status = store::PollRecord::Status::not_modified;
        ++stats.feeds_not_modified;
    } else {
        record.etag = outcome->etag;
        record.last_modified = outcome->last_modified;
        record.body_bytes = static_cast<std::int64_t>(outcome->body.size());
        stats.bytes_fetched += outcome->body.size();
        const std::string& base_url = outcome->effective_url.empty() ? request.url : outcome->effective_url;
        auto result = feed::parse(outcome->body, {.base_url = base_url, .content_type = outcome->content_type});
        if (result) {
            // A degraded read (entries after an XML error lost, a date zone guessed) is still a
            // successful poll: the feed stays healthy and its readable entries are matched.
            for (const std::string& warning : result->warnings) spdlog::warn("feed {}: parse: {}", feed.id, warning);
            record.feed_title = result->title;
            parsed = std::move(*result);
        } else {
            record.status = store::PollRecord::Status::failed;
            record.error = "parse: " + result.error().message;
            ++stats.errors_by_reason["parse"];
        }
    }

    if (outcome && !outcome->permanent_redirect_url.empty() && outcome->permanent_redirect_url != request.url) {
        record.redirect_url = outcome->permanent_redirect_url;
        ++stats.feeds_moved;
        spdlog::warn("feed {}: moved permanently from {} to {}; polling the new URL (update feeds.yaml to match)",
                     feed.id, request.url, record.redirect_url);
    }
    record.next_poll = next_poll(feed, outcome, parsed, record.polled_at);
    stats.next_poll_at[feed.id] = *record.next_poll;

    std::vector<const feed::Item*> fresh;
    if (parsed) {
        stats.items_parsed += parsed->items.size();
        auto found = m_store.filter_new(feed.id, parsed->items);
        if (!found) {
            store_failed(feed, found.error(), stats);
            return;
        }
        fresh = std::move(*found);
    }
    if (!fresh.empty() && (feed.fetch_article || feed.fetch_document)) {
        // Matched once their pages have arrived (enrich), so that the page text is matched too.
        Waiting waiting{&feed, std::move(record), std::move(*parsed), {}};
        for (const feed::Item* item : fresh)
            waiting.fresh.push_back(static_cast<std::size_t>(item - waiting.parsed.items.data()));
        m_waiting.push_back(std::move(waiting));
        return;
    }
    store_poll(feed, record, parsed ? std::span<const feed::Item>(parsed->items) : std::span<const feed::Item>(), fresh,
               stats);
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
            feed::Item& item = waiting.parsed.items[index];
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
        fetch::fetch_all(batch, options, [&](const fetch::FetchRequest& request, fetch::FetchOutcome outcome) {
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
        for (const std::size_t index : waiting.fresh) fresh.push_back(&waiting.parsed.items[index]);
        store_poll(*waiting.feed, waiting.record, waiting.parsed.items, fresh, stats);
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

void PollCycle::store_poll(const config::FeedSpec& feed, const store::PollRecord& record,
                           std::span<const feed::Item> items, std::span<const feed::Item* const> fresh,
                           CycleStats& stats) {
    std::vector<store::NewItem> new_items;
    const score::ItemContext context{
        .feed_id = feed.id,
        .feed_tags = feed.tags,
        .hits_today = [this](std::string_view brief, std::string_view signal) { return hits_today(brief, signal); }};
    const auto scan_start = std::chrono::steady_clock::now();
    for (const feed::Item* item : fresh) {
        stats.scan_bytes += text_bytes(*item);
        auto verdicts = score::evaluate(*m_rules, *item, m_matcher.scan(*item), context);
        for (const score::Verdict& verdict : verdicts) {
            for (const score::SignalHit& hit : verdict.hits) {
                ++hits_today(verdict.brief_id, hit.signal_id);
            }
        }
        auto alerts =
            alert::alert_requests(m_config.alerts, m_rules->rules(), feed.id, *item, verdicts, record.polled_at);
        new_items.push_back({item, std::move(verdicts), std::move(alerts)});
    }
    stats.scan_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - scan_start).count();
    // After one poll could not be recorded the rest of the cycle would fail the same way, each
    // after SQLite's own retries: they are not tried, and keep their schedules (stats.next_poll_at).
    if (stats.store_failures > 0) {
        store_failed(feed, stats.store_error, stats);
        return;
    }
    const auto stored =
        m_store.record_poll(record, new_items, record.polled_at, alert::cluster_policy(m_config.alerts));
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
            stats.items_new += new_items.size();
            stats.hits += *stored;
            spdlog::info("feed {}: {} items, {} new, {} hits", feed.id, items.size(), new_items.size(), *stored);
            count_hits(feed, new_items, stats);
            if (const auto touched = m_store.touch_items(feed.id, items, record.polled_at); !touched) {
                spdlog::warn("feed {}: store: {} (retention may forget items sooner)", feed.id, touched.error());
            }
            break;
    }
    check_health(feed, record.polled_at);
}

feed::UnixTime PollCycle::next_poll(const config::FeedSpec& feed, const fetch::FetchOutcome& outcome,
                                    const std::optional<feed::Feed>& parsed, feed::UnixTime now) {
    const fetch::SchedulePolicy policy{.interval = feed.interval,
                                       .min_interval = m_config.min_interval,
                                       .max_interval = m_config.max_interval,
                                       .jitter = m_config.jitter,
                                       .backoff_max = m_config.backoff_max};
    const double random01 = std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
    const auto& state = m_states[feed.id];
    const bool failed = !outcome || (!outcome->not_modified() && !parsed);
    if (failed) {
        const std::int64_t failures = (state ? state->consecutive_failures : 0) + 1;
        const auto pause = outcome ? std::nullopt : fetch::requested_pause(outcome.error(), now);
        return now + fetch::failure_delay(policy, failures, pause, random01).count();
    }
    fetch::FreshnessHints hints{.max_age = fetch::parse_max_age(outcome->cache_control),
                                .expires = fetch::parse_expires(outcome->expires, outcome->date, now),
                                .ttl = std::nullopt,
                                .update_period = std::nullopt};
    if (parsed && parsed->ttl_seconds) hints.ttl = fetch::Seconds(*parsed->ttl_seconds);
    if (parsed && parsed->update_period_seconds) hints.update_period = fetch::Seconds(*parsed->update_period_seconds);
    return now + fetch::success_delay(policy, hints, random01).count();
}

void PollCycle::check_health(const config::FeedSpec& feed, feed::UnixTime now) {
    const auto read = m_store.feed_state(feed.id);
    if (!read) {
        spdlog::error("feed {}: store: {} (its health is checked after its next poll)", feed.id, read.error());
        return;
    }
    const std::optional<store::FeedState>& state = *read;
    if (!state) return;
    const auto problem = fetch::health_problem({.first_failure = state->first_failure,
                                                .last_new_item = state->last_new_item,
                                                .tracked_since = state->tracked_since,
                                                .last_error = state->last_error},
                                               now, feed.health_alert_after);
    if (problem.has_value() == state->health_alerted) return;
    std::expected<void, std::string> saved;
    if (problem) {
        spdlog::error("health alert: feed {} ({}) {}", feed.id, feed.url, *problem);
        saved = m_store.raise_health_alert(alert::health_request(m_config.alerts, *state, *problem, now), now);
    } else {
        spdlog::info("health: feed {} recovered", feed.id);
        saved = m_store.set_health_alerted(feed.id, false);
    }
    if (!saved) spdlog::error("feed {}: store: {}", feed.id, saved.error());
}

}  // namespace signalmon::app
