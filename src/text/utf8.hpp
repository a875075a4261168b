// UTF-8 helpers shared by every stage that handles text from strangers: encode, validate, repair, cut.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace signalmon::text {

inline constexpr char32_t k_replacement_character = 0xFFFD;

// Appends the UTF-8 form of code_point; surrogates and values past U+10FFFF become U+FFFD.
void append_utf8(std::string& out, char32_t code_point);

bool is_valid_utf8(std::string_view bytes);

// Copies bytes, replacing every ill-formed sequence (overlong, surrogate, truncated, stray
// continuation byte) with U+FFFD, so nothing invalid is ever passed on.
std::string repair_utf8(std::string_view bytes);

// The same without copying valid text (the common case): bytes itself if it is valid, otherwise
// its repair, kept in storage.
std::string_view repair_utf8(std::string_view bytes, std::string& storage);

// The longest prefix of valid UTF-8 text that is at most max_bytes long: never splits a character.
std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace signalmon::text
