// Secret resolution from the environment or a file (e.g. $CREDENTIALS_DIRECTORY under systemd).
#include "alert/secrets.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace signalmon::alert {

std::expected<std::string, std::string> resolve_secret(const config::SecretRef& ref) {
    if (ref.source == config::SecretRef::Source::env) {
        const char* value = std::getenv(ref.name.c_str());
        if (!value || !*value) return std::unexpected("environment variable " + ref.name + " is not set");
        return std::string(value);
    }
    std::ifstream file(ref.name, std::ios::binary);
    if (!file) return std::unexpected("cannot read secret file " + ref.name);
    std::stringstream content;
    content << file.rdbuf();
    std::string value = content.str();
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    if (value.empty()) return std::unexpected("secret file " + ref.name + " is empty");
    return value;
}

}  // namespace signalmon::alert
