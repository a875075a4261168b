// Windows-1252's meanings of 0x80-0x9F, which feeds mean whenever those C1 control code points
// appear in text: as bytes labelled ISO-8859-1, as numeric references, or as UTF-8 of the codes.
#pragma once

#include <array>

namespace signalmon::feed {

// The character Windows-1252 puts at 0x80 + index; U+FFFD for its five unassigned bytes.
inline constexpr std::array<char32_t, 32> k_windows_1252_c1{
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

// The code point a feed means by code_point: the Windows-1252 character for U+0080-U+009F.
constexpr char32_t windows_1252_meaning(char32_t code_point) {
    return code_point >= 0x80 && code_point <= 0x9F ? k_windows_1252_c1[code_point - 0x80] : code_point;
}

}  // namespace signalmon::feed
