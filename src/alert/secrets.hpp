// Reads channel secrets from where feeds.yaml points: an environment variable or a file.
#pragma once

#include <expected>
#include <string>

#include "config/alerts_config.hpp"

namespace signalmon::alert {

// The value (a file's trailing newline dropped). The error names the variable or file, never the value.
std::expected<std::string, std::string> resolve_secret(const config::SecretRef& ref);

}  // namespace signalmon::alert
