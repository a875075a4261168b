// What a poll does to a feed's stored state, computed here once for every backend.
#include <utility>

#include "store/store.hpp"

namespace signalmon::store {

FeedState advance_state(const std::optional<FeedState>& previous, const PollRecord& poll, std::size_t new_items) {
    FeedState state = previous.value_or(FeedState{.id = poll.feed_id, .tracked_since = poll.polled_at});
    // A redirect belongs to the URL it came from: a changed config URL starts afresh.
    if (!poll.redirect_url.empty()) {
        state.redirect_url = poll.redirect_url;
    } else if (state.url != poll.url) {
        state.redirect_url.clear();
    }
    state.url = poll.url;
    state.last_poll = poll.polled_at;
    state.next_poll = poll.next_poll;
    if (poll.status == PollRecord::Status::failed) {
        state.last_error = poll.error;
        ++state.consecutive_failures;
        if (!state.first_failure) state.first_failure = poll.polled_at;
        return state;
    }
    state.last_success = poll.polled_at;
    state.last_error.clear();
    state.consecutive_failures = 0;
    state.first_failure.reset();
    if (!poll.feed_title.empty()) state.title = poll.feed_title;
    if (poll.status == PollRecord::Status::not_modified) {
        // Each 304 saved a download the size of the last full answer.
        ++state.not_modified_count;
        state.bytes_saved += state.last_body_bytes;
    } else {
        state.etag = poll.etag;
        state.last_modified = poll.last_modified;
        state.last_body_bytes = poll.body_bytes;
    }
    state.item_count += static_cast<std::int64_t>(new_items);
    if (new_items > 0) state.last_new_item = poll.polled_at;
    return state;
}

std::expected<std::size_t, std::string> Store::record_poll(const PollRecord& poll, std::span<const NewItem> new_items,
                                                           UnixTime found_at, const ClusterPolicy& clustering) {
    auto previous = feed_state(poll.feed_id);
    if (!previous) return std::unexpected(std::move(previous.error()));
    return write_poll({.state = advance_state(*previous, poll, new_items.size()),
                       .new_items = new_items,
                       .listed = {},
                       .found_at = found_at,
                       .clustering = clustering,
                       .health_alert = std::nullopt});
}

}  // namespace signalmon::store
