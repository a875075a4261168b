// SHA-256 and HMAC-SHA256 through libcrypto's one-shot functions.
#include "alert/crypto.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

namespace signalmon::alert {
namespace {

std::string to_hex(const unsigned char* bytes, unsigned int size) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        hex += k_digits[bytes[i] >> 4];
        hex += k_digits[bytes[i] & 0x0f];
    }
    return hex;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("libcrypto: SHA-256 failed");
    }
    return to_hex(digest.data(), size);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), &size) == nullptr) {
        throw std::runtime_error("libcrypto: HMAC-SHA256 failed");
    }
    return to_hex(digest.data(), size);
}

}  // namespace signalmon::alert
