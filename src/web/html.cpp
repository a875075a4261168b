// Escaping and highlighting for the web view.
#include "web/html.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "alert/mime.hpp"
#include "text/ascii.hpp"
#include "text/controls.hpp"

namespace signalmon::web {

std::string escape(std::string_view text) {
    // Stores written before controls were stripped at ingest may still hold some; XML forbids most.
    return alert::html_escape(text::without_controls(text));
}

std::string safe_href(std::string_view link) {
    const std::string scheme = text::ascii_lowercase(link.substr(0, std::min<std::size_t>(8, link.size())));
    if (!scheme.starts_with("http://") && !scheme.starts_with("https://")) return "";
    return escape(link);
}

std::string highlight(std::string_view text, std::span<const std::string> terms) {
    const std::string folded = text::ascii_lowercase(text);
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end)
    for (const std::string& term : terms) {
        if (term.empty()) continue;
        const std::string needle = text::ascii_lowercase(term);
        for (std::size_t at = folded.find(needle); at != std::string::npos; at = folded.find(needle, at + 1)) {
            spans.emplace_back(at, at + needle.size());
        }
    }
    std::ranges::sort(spans);
    std::string out;
    std::size_t done = 0;
    for (auto [begin, end] : spans) {
        begin = std::max(begin, done);  // overlapping terms join one mark
        if (begin >= end) continue;
        out += escape(text.substr(done, begin - done));
        out += "<mark>" + escape(text.substr(begin, end - begin)) + "</mark>";
        done = end;
    }
    return out + escape(text.substr(done));
}

std::string highlight_excerpt(std::string_view excerpt) {
    std::string out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= excerpt.size(); ++i) {
        if (i < excerpt.size() && excerpt[i] != '\x02' && excerpt[i] != '\x03') continue;
        out += escape(excerpt.substr(start, i - start));
        if (i < excerpt.size()) out += excerpt[i] == '\x02' ? "<mark>" : "</mark>";
        start = i + 1;
    }
    return out;
}

}  // namespace signalmon::web
