// Control characters from strangers' text: removed before it is stored, logged, mailed or printed,
// so a feed or a server's reason phrase cannot drive a terminal (escape sequences), hide text
// (carriage returns) or confuse a log viewer.
#pragma once

#include <string>
#include <string_view>

namespace signalmon::text {

// Whether text holds a C0 control other than tab and newline, DEL, or a C1 control (U+0080 to
// U+009F, which is C2 80 to C2 9F in UTF-8).
bool has_controls(std::string_view text);

// Removes those controls in place (an escape sequence loses its ESC and shows as plain text).
// Copies nothing when there are none, which is nearly always.
void strip_controls(std::string& text);

// A copy without those controls, for printing text read from the store.
std::string without_controls(std::string_view text);

}  // namespace signalmon::text
