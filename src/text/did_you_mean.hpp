// "Did you mean …?" suggestions for misspelled keys and names in config and rule files.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace signalmon::text {

// The candidate closest to word by edit distance, if it is close enough to be a plausible typo
// (at most 2 edits, and fewer than half the word); empty otherwise.
std::string closest_match(std::string_view word, std::span<const std::string_view> candidates);

// " (did you mean 'x'?)" or "" — ready to append to an error message.
std::string did_you_mean(std::string_view word, std::span<const std::string_view> candidates);
inline std::string did_you_mean(std::string_view word, std::initializer_list<std::string_view> candidates) {
    return did_you_mean(word, std::span<const std::string_view>(candidates.begin(), candidates.size()));
}

}  // namespace signalmon::text
