// Atom 1.0 (RFC 4287) feeds of hits, so analysts can follow a brief in the reader they use.
#pragma once

#include <span>
#include <string>

#include "web/stories.hpp"

namespace signalmon::web {

struct AtomFeed {
    std::string key;  // "hits", "brief/ID" or "brief/ID/KIND": the feed's id is derived from it
    std::string title;
    std::string self_url;  // absolute
    std::string page_url;  // absolute: the page that shows the same hits
};

// Entry ids are derived from (brief, feed, item key) alone, so an entry keeps its id across
// restarts, replays, hosts and base paths. updated is the newest entry's time (the epoch if none).
std::string atom_feed(const AtomFeed& feed, std::span<const HitStory> stories);

// When the feed last changed: its newest story's newest hit, or 0.
feed::UnixTime atom_updated(std::span<const HitStory> stories);

// "urn:uuid:…" from a SHA-256 of name (RFC 9562 version 8 layout): stable and globally unique.
std::string urn_uuid(std::string_view name);

}  // namespace signalmon::web
