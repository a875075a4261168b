// Stored hit rows regrouped into stories: one per (item, brief), with every signal that hit it, as
// the hits page and the Atom feeds show them.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace signalmon::web {

struct HitStory {
    std::vector<store::HitRow> signals;    // newest first, as stored
    std::array<std::int64_t, 3> scores{};  // by score::kind_index: each kind's stored score
    std::vector<std::string> kinds;        // kinds with a signal, in confirm, kill, watch order

    const store::HitRow& first() const { return signals.front(); }
    std::vector<std::string> terms() const;  // every signal's matched words
};

// rows newest first (Store::query_hits); at most limit stories, in the order of their newest row.
std::vector<HitStory> group_stories(std::vector<store::HitRow> rows, std::size_t limit);

}  // namespace signalmon::web
