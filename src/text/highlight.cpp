// Term occurrences in a snippet.
#include "text/highlight.hpp"

#include <algorithm>

#include "text/ascii.hpp"

namespace signalmon::text {

std::vector<Span> term_spans(std::string_view text, std::span<const std::string> terms) {
    const std::string folded = ascii_lowercase(text);
    std::vector<Span> found;
    for (const std::string& term : terms) {
        if (term.empty()) continue;
        const std::string needle = ascii_lowercase(term);
        for (auto at = folded.find(needle); at != std::string::npos; at = folded.find(needle, at + 1)) {
            found.push_back({.begin = at, .end = at + needle.size()});
        }
    }
    std::ranges::sort(found, {}, &Span::begin);
    std::vector<Span> merged;
    for (const Span& span : found) {
        if (!merged.empty() && span.begin <= merged.back().end) {
            merged.back().end = std::max(merged.back().end, span.end);
        } else {
            merged.push_back(span);
        }
    }
    return merged;
}

}  // namespace signalmon::text
