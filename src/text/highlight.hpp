// Where matched words occur in a quoted text, so a renderer can highlight them (<mark> in HTML).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::text {

struct Span {
    std::size_t begin = 0;
    std::size_t end = 0;  // one past the last byte
};

// Every occurrence of any term in text, compared with ASCII letters case-folded (a snippet keeps
// the story's casing, a term the casing of its first match), ascending; overlapping or touching
// occurrences merge into one span.
std::vector<Span> term_spans(std::string_view text, std::span<const std::string> terms);

}  // namespace signalmon::text
