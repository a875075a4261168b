// Word wrapping for terminal tables, counting UTF-8 characters rather than bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::text {

// text broken at spaces into lines of at most width characters (code points); a word longer than
// width is cut at a character boundary. Runs of whitespace collapse; no line is empty, and empty
// text gives no lines.
std::vector<std::string> wrap(std::string_view text, std::size_t width);

}  // namespace signalmon::text
