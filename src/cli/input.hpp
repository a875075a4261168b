// Reading a command's input file (or stdin) whole.
#pragma once

#include <optional>
#include <string>

namespace signalmon::cli {

// The bytes of path, or of stdin for "-"; nullopt if it cannot be read.
std::optional<std::string> read_input(const std::string& path);

}  // namespace signalmon::cli
