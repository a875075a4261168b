// The pipeline of one poll cycle, wired stage by stage; the stages themselves know nothing of it.
// libcurl fetches on the calling thread while a small pool ingests the answers on every core.
#include "app/poll_cycle.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <optional>
#include <thread>
#include <unordered_map>

#include "feed/parse.hpp"
#include "score/evaluate.hpp"

namespace signalmon::app {
namespace {

feed::UnixTime now_unix() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Answers waiting for an ingest worker. Bounded: when ingesting lags, the fetch callback waits
// rather than holding every body of a 10,000-feed cycle in memory at once.
struct IngestJob {
    const config::FeedSpec* feed;
    const fetch::FetchRequest* request;  // owned by run(), alive until fetch_all returns
    fetch::FetchOutcome outcome;
};

class IngestQueue {
public:
    explicit IngestQueue(std::size_t capacity) : m_capacity(capacity) {}

    void push(IngestJob job) {
        std::unique_lock lock(m_mutex);
        m_not_full.wait(lock, [&] { return m_jobs.size() < m_capacity; });
        m_jobs.push_back(std::move(job));
        m_not_empty.notify_one();
    }

    // The next job, or nothing once the queue is closed and drained.
    std::optional<IngestJob> pop() {
        std::unique_lock lock(m_mutex);
        m_not_empty.wait(lock, [&] { return !m_jobs.empty() || m_closed; });
        if (m_jobs.empty()) {
            return std::nullopt;
        }
        IngestJob job = std::move(m_jobs.front());
        m_jobs.pop_front();
        m_not_full.notify_one();
        return job;
    }

    void close() {
        const std::lock_guard lock(m_mutex);
        m_closed = true;
        m_not_empty.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_not_empty;
    std::condition_variable m_not_full;
    std::deque<IngestJob> m_jobs;
    std::size_t m_capacity;
    bool m_closed = false;
};

constexpr std::size_t k_queued_per_worker = 4;

// One worker per core, at most four: parsing and matching scale, the store does not.
unsigned ingest_workers() { return std::clamp(std::thread::hardware_concurrency(), 1U, 4U); }

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
    : m_config(config), m_rules(std::move(rules)), m_store(store) {}

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
    IngestQueue queue(k_queued_per_worker * ingest_workers());
    std::exception_ptr failure;
    {
        std::vector<std::jthread> workers;
        for (unsigned i = 0; i < ingest_workers(); ++i) {
            workers.emplace_back([&] {
                match::Matcher matcher(m_rules);
                while (std::optional<IngestJob> job = queue.pop()) {
                    try {
                        ingest(*job->feed, *job->request, std::move(job->outcome), matcher, stats);
                    } catch (...) {
                        const std::lock_guard lock(m_store_mutex);
                        failure = failure ? failure : std::current_exception();
                    }
                }
            });
        }
        // The fetch callback only queues: libcurl keeps transferring while the workers ingest.
        try {
            fetch::fetch_all(requests, fetch_options(m_config),
                             [&](const fetch::FetchRequest& request, fetch::FetchOutcome outcome) {
                                 queue.push({feed_by_id.at(request.feed_id), &request, std::move(outcome)});
                             });
        } catch (...) {
            queue.close();  // so the workers finish and join instead of waiting forever
            throw;
        }
        queue.close();
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    return stats;
}

void PollCycle::ingest(const config::FeedSpec& feed, const fetch::FetchRequest& request, fetch::FetchOutcome outcome,
                       match::Matcher& matcher, CycleStats& stats) {
    store::PollRecord record{.feed_id = feed.id, .url = feed.url, .polled_at = now_unix()};
    std::optional<feed::Feed> parsed;
    if (!outcome) {
        record.status = store::PollRecord::Status::failed;
        record.error = "fetch: " + outcome.error().message;
    } else if (outcome->not_modified()) {
        record.status = store::PollRecord::Status::not_modified;
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
        std::expected<std::vector<const feed::Item*>, std::string> fresh;
        {
            const std::lock_guard lock(m_store_mutex);
            fresh = m_store.filter_new(feed.id, parsed->items);
        }
        if (!fresh) {
            spdlog::error("feed {}: store: {}", feed.id, fresh.error());
            const std::lock_guard lock(m_store_mutex);
            ++stats.feeds_polled;
            stats.items_parsed += parsed->items.size();
            ++stats.feeds_failed;
            return;
        }
        match::MatchSet matches;
        for (const feed::Item* item : *fresh) {
            matcher.scan(*item, matches);
            new_items.push_back({item, score::evaluate(*m_rules, *item, matches)});
        }
    }

    const std::lock_guard lock(m_store_mutex);
    ++stats.feeds_polled;
    stats.items_parsed += parsed ? parsed->items.size() : 0;
    const auto stored = m_store.record_poll(record, new_items, record.polled_at);
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
            ++stats.feeds_not_modified;
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
