// A store filled fast with plain SQL, for benchmarks that need a big one: items with a short title
// and no text, and hits spread evenly over them.
#pragma once

#include <cstdint>
#include <filesystem>

#include "feed/item.hpp"

namespace signalmon::bench {

// Creates the store at path (every migration) and adds `items` items (1,000 feeds, keys k0…) and
// `hits` hits, both spread evenly over the `days` before now. Hits: 20 briefs of 10 signals; kinds
// 80% watch, 18% confirm, 2% kill (kill only in brief-0 and brief-10); scores 1..10.
void fill_store(const std::filesystem::path& path, std::int64_t items, std::int64_t hits, feed::UnixTime now,
                std::int64_t days);

}  // namespace signalmon::bench
