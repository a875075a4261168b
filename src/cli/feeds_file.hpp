// Editing feeds.yaml as text, so that its comments, order and layout survive `feeds add --write`.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace signalmon::cli {

// yaml with entries (list items as feeds_yaml_for writes them, indented by two) added at the end
// of its top-level `feeds:` list, re-indented to the list's own indentation; a file without
// `feeds:` gets one at its end. The error says why the text cannot be edited safely.
std::expected<std::string, std::string> add_feed_entries(std::string_view yaml, std::string_view entries);

// Writes text to path through a temporary file and a rename, so a crash leaves the old file whole.
std::expected<void, std::string> replace_file(const std::string& path, std::string_view text);

}  // namespace signalmon::cli
