// Text folding for matching: spaces, hyphens, dashes and typographic quotes made uniform, with a
// map back to the original bytes so snippets and terms quote the item as it was written.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace signalmon::text {

// A byte range [begin, end) of the original text. 32 bits suffice: Hyperscan scans at most 4 GiB.
struct SourceSpan {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

struct FoldedText {
    // Where folded offsets stop following original offsets one for one. From segment.folded on,
    // folded byte i is original byte segment.original + (i - segment.folded); a segment with
    // original_end != 0 is a single folded byte standing for the wider original range
    // [original, original_end) (a whitespace run, a UTF-8 quote). Most text folds byte for byte
    // (a single '-' or '\n' becomes ' ' in place), so the map is a handful of entries, not one per byte.
    struct Segment {
        std::uint32_t folded = 0;
        std::uint32_t original = 0;
        std::uint32_t original_end = 0;
    };

    std::string text;
    std::vector<Segment> segments;  // sorted by folded; empty: every byte is its own original

    // The original range of the folded range [begin, end); requires begin < end <= text.size().
    SourceSpan original(std::size_t begin, std::size_t end) const;
};

// Runs of whitespace, hyphens and dashes (ASCII '-', U+2010..U+2015, U+2212) and Unicode spaces
// become one ' '; typographic single/double quotes become ' and "; soft hyphens and zero-width
// spaces are dropped. Case is kept (case-sensitive regexes see the original case). Invalid UTF-8
// is copied byte by byte.
FoldedText fold(std::string_view utf8);
// The same into out, reusing its buffers: the matcher folds every field of every item.
void fold_into(std::string_view utf8, FoldedText& out);

// True for bytes that belong to a word: ASCII letters, digits, '_' and every byte >= 0x80, so
// that a word boundary never falls inside a non-ASCII letter.
constexpr bool is_word_byte(unsigned char byte) {
    return (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9') ||
           byte == '_' || byte >= 0x80;
}

}  // namespace signalmon::text
