// Hashes the alert pipeline needs from OpenSSL's libcrypto: SHA-256 for keys, HMAC-SHA256 for signatures.
#pragma once

#include <string>
#include <string_view>

namespace signalmon::alert {

// Lower-case hex digests.
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

}  // namespace signalmon::alert
