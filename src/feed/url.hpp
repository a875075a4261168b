// URL reference resolution (RFC 3986 section 5) for feed links, xml:base and redirects.
#pragma once

#include <string>
#include <string_view>

namespace signalmon::feed {

// The absolute form of reference against base. An absolute reference is returned with its dot
// segments removed; if base is empty or not absolute, reference is returned trimmed but otherwise
// unchanged (there is nothing to resolve against). Surrounding whitespace is ignored.
std::string resolve_url(std::string_view base, std::string_view reference);

// "file://" URL of an absolute filesystem path, percent-encoding what a URL path cannot hold.
std::string file_url(std::string_view absolute_path);

// True if text starts with a URI scheme ("http:", "tag:", "urn:").
bool has_scheme(std::string_view text);

}  // namespace signalmon::feed
