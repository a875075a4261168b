// Eight-bytes-at-a-time (SWAR) byte tests shared by the hot scanners of feed text: UTF-8
// validation, markup and entity scanning, the matcher's word counts.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace signalmon::text::swar {

static_assert(std::endian::native == std::endian::little, "byte i of a loaded word must be its i-th lowest byte");

inline constexpr std::uint64_t k_ones = 0x0101010101010101ULL;
inline constexpr std::uint64_t k_high = 0x8080808080808080ULL;
inline constexpr std::uint64_t k_low = 0x7F7F7F7F7F7F7F7FULL;

inline std::uint64_t load(const char* at) {
    std::uint64_t word = 0;
    std::memcpy(&word, at, sizeof word);
    return word;
}

// The high bit of each byte set exactly where that byte of x is zero. No borrow crosses bytes, so
// every flag is exact, not only the lowest.
constexpr std::uint64_t zero_bytes(std::uint64_t x) { return ~(((x & k_low) + k_low) | x | k_low); }

constexpr std::uint64_t equal_bytes(std::uint64_t word, unsigned char value) {
    return zero_bytes(word ^ (k_ones * value));
}

// Index of the lowest flagged byte of a non-zero result of the tests above.
constexpr std::size_t first_flagged(std::uint64_t flags) {
    return static_cast<std::size_t>(std::countr_zero(flags)) / 8;
}

// Position of the first a or b in text at or after pos, or text.size() if there is none.
inline std::size_t find_either(std::string_view text, std::size_t pos, char a, char b) {
    const auto byte_a = static_cast<unsigned char>(a);
    const auto byte_b = static_cast<unsigned char>(b);
    for (; pos + sizeof(std::uint64_t) <= text.size(); pos += sizeof(std::uint64_t)) {
        const std::uint64_t word = load(text.data() + pos);
        if (const std::uint64_t found = equal_bytes(word, byte_a) | equal_bytes(word, byte_b); found != 0) {
            return pos + first_flagged(found);
        }
    }
    for (; pos < text.size(); ++pos) {
        if (text[pos] == a || text[pos] == b) {
            return pos;
        }
    }
    return text.size();
}

// How many bytes of text equal c (the matcher counts word-separating spaces).
inline std::uint32_t count_byte(std::string_view text, char c) {
    const auto byte = static_cast<unsigned char>(c);
    std::uint32_t count = 0;
    std::size_t pos = 0;
    for (; pos + sizeof(std::uint64_t) <= text.size(); pos += sizeof(std::uint64_t)) {
        count += static_cast<std::uint32_t>(std::popcount(equal_bytes(load(text.data() + pos), byte)));
    }
    for (; pos < text.size(); ++pos) count += text[pos] == c ? 1 : 0;
    return count;
}

}  // namespace signalmon::text::swar
