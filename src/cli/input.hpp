// Reading a command's input whole: a file (or stdin), or a document at an http(s) URL.
#pragma once

#include <expected>
#include <optional>
#include <string>

#include "feed/parse.hpp"

namespace signalmon::cli {

// The bytes of path, or of stdin for "-"; nullopt if it cannot be read.
std::optional<std::string> read_input(const std::string& path);

// A document and what parsing it needs: its URL after redirects (a file:// URL for a file) and
// the HTTP Content-Type.
struct Document {
    std::string body;
    feed::ParseOptions options;
};

// Fetches input if it is an http(s) URL, else reads it as a file; the error says why neither worked.
std::expected<Document, std::string> read_document(const std::string& input);

}  // namespace signalmon::cli
