// The error text load_config gives for a feeds.yaml holding some text, for exact-message tests.
#pragma once

#include <string>

#include "config/config.hpp"
#include "temp_dir.hpp"

namespace signalmon::testing {

// The message with the temporary folder cut off ("feeds.yaml:4:5: …"), or "no error".
inline std::string config_error(const std::string& text) {
    TempDir dir;
    const auto path = dir.write("feeds.yaml", text);
    try {
        config::load_config(path);
    } catch (const config::ConfigError& error) {
        std::string message = error.what();
        const std::string prefix = dir.path().string() + "/";
        if (message.starts_with(prefix)) message.erase(0, prefix.size());
        return message;
    }
    return "no error";
}

}  // namespace signalmon::testing
