// Text folding: one pass over UTF-8, sixteen bytes at a time where nothing changes, with a sparse offset map.
#include "text/fold.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace signalmon::text {

namespace {

enum class Action { copy, gap, drop, apostrophe, quote };

struct Step {
    Action action = Action::copy;
    std::size_t length = 1;
};

// Only the characters folding cares about are decoded; everything else is copied a byte at a time.
Step classify(std::string_view in, std::size_t at) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(in[at + k]); };
    const unsigned char lead = byte(0);
    if (lead == ' ' || lead == '\t' || lead == '\n' || lead == '\r' || lead == '\f' || lead == '\v' || lead == '-') {
        return {Action::gap, 1};
    }
    if (lead < 0x80) {
        return {Action::copy, 1};
    }
    const std::size_t left = in.size() - at;
    if (lead == 0xC2 && left >= 2) {
        switch (byte(1)) {
            case 0x85:  // NEL
            case 0xA0:  // no-break space
                return {Action::gap, 2};
            case 0xAD:  // soft hyphen
                return {Action::drop, 2};
            default: return {Action::copy, 1};
        }
    }
    if (left < 3) {
        return {Action::copy, 1};
    }
    const unsigned b1 = byte(1);
    const unsigned b2 = byte(2);
    if (lead == 0xE2 && b1 == 0x80) {
        if (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) {  // U+2000..200A, U+2028/9, U+202F
            return {Action::gap, 3};
        }
        if (b2 == 0x8B) {  // zero-width space
            return {Action::drop, 3};
        }
        if (b2 >= 0x90 && b2 <= 0x95) {  // U+2010..2015 hyphens and dashes
            return {Action::gap, 3};
        }
        if (b2 >= 0x98 && b2 <= 0x9B) {  // U+2018..201B single quotes
            return {Action::apostrophe, 3};
        }
        if (b2 >= 0x9C && b2 <= 0x9F) {  // U+201C..201F double quotes
            return {Action::quote, 3};
        }
    }
    if ((lead == 0xE2 && b1 == 0x81 && b2 == 0x9F) ||  // U+205F medium mathematical space
        (lead == 0xE2 && b1 == 0x88 && b2 == 0x92) ||  // U+2212 minus sign
        (lead == 0xE1 && b1 == 0x9A && b2 == 0x80) ||  // U+1680 ogham space mark
        (lead == 0xE3 && b1 == 0x80 && b2 == 0x80)) {  // U+3000 ideographic space
        return {Action::gap, 3};
    }
    if (lead == 0xEF && b1 == 0xBB && b2 == 0xBF) {  // U+FEFF zero-width no-break space
        return {Action::drop, 3};
    }
    return {Action::copy, 1};
}

// Writes folded bytes and keeps the segment map: a segment starts only where the byte-for-byte
// correspondence breaks.
class Writer {
public:
    Writer(char* text, std::vector<FoldedText::Segment>& segments) : m_text(text), m_segments(segments) {}

    std::size_t size() const { return m_size; }

    // Where the next folded byte goes, for a caller that writes a run there itself...
    char* next() const { return m_text + m_size; }
    // ...and then says it wrote count bytes standing one for one for original bytes from begin.
    void written(std::size_t count, std::size_t begin) {
        follow(static_cast<std::uint32_t>(begin));
        m_size += count;
    }

    // One folded byte standing for the original range [begin, end).
    void put(char byte, std::size_t begin, std::size_t end) {
        if (end - begin == 1) {
            follow(static_cast<std::uint32_t>(begin));
        } else {
            m_segments.push_back({static_cast<std::uint32_t>(m_size), static_cast<std::uint32_t>(begin),
                                  static_cast<std::uint32_t>(end)});
            m_identity = false;
        }
        m_text[m_size++] = byte;
    }

    // The last folded byte (a gap) also stands for the original bytes up to end.
    void widen_last(std::size_t end) {
        const auto last = static_cast<std::uint32_t>(m_size - 1);
        if (!m_segments.empty() && m_segments.back().folded == last) {
            m_segments.back().original_end = static_cast<std::uint32_t>(end);
        } else {
            m_segments.push_back({last, last + m_delta, static_cast<std::uint32_t>(end)});
        }
        m_identity = false;
    }

private:
    // The next folded byte is original byte begin: start a segment unless the current run says so.
    void follow(std::uint32_t begin) {
        const auto size = static_cast<std::uint32_t>(m_size);
        if (!m_identity || begin - size != m_delta) {
            m_segments.push_back({size, begin, 0});
            m_identity = true;
            m_delta = begin - size;
        }
    }

    char* m_text;
    std::vector<FoldedText::Segment>& m_segments;
    std::size_t m_size = 0;
    bool m_identity = true;     // the current segment maps byte for byte...
    std::uint32_t m_delta = 0;  // ...at this original − folded distance (folding never grows text)
};

// Sixteen bytes at a time in the compiler's portable vector type (SSE2 on x86-64, NEON on arm64):
// a block whose gaps are single spaces or hyphens and that holds no control byte and no lead byte
// of a character folding changes folds byte for byte ('-' becomes ' '), which is most news text.
// Lanes compare to all ones (true) or zero.
using Block [[gnu::vector_size(16)]] = unsigned char;

Block load_block(const char* at) {
    Block block;
    std::memcpy(&block, at, sizeof block);
    return block;
}

// How many lanes come before the first true one (16 when none is).
std::size_t plain_lanes(Block lanes) {
    std::uint64_t halves[2];
    std::memcpy(halves, &lanes, sizeof halves);
    if (halves[0] != 0) return static_cast<std::size_t>(std::countr_zero(halves[0])) / 8;
    if (halves[1] != 0) return 8 + (static_cast<std::size_t>(std::countr_zero(halves[1])) / 8);
    return sizeof(Block);
}

Block gap_lanes(Block block) { return static_cast<Block>(block == ' ') | static_cast<Block>(block == '-'); }

// Folds the plain bytes of in from at (> 0: the byte before is read) into out, a block at a time,
// up to the first byte that needs the per-character path or the last whole block; returns how
// many bytes it folded, and leaves in_gap telling whether the last one was a gap.
std::size_t fold_plain_blocks(std::string_view in, std::size_t at, bool& in_gap, char* out) {
    const std::size_t start = at;
    for (; at + sizeof(Block) <= in.size(); at += sizeof(Block)) {
        const Block block = load_block(in.data() + at);
        const Block gap = gap_lanes(block);
        Block gap_before = gap_lanes(load_block(in.data() + at - 1));
        gap_before[0] = in_gap ? 0xFF : 0;  // a gap folding skipped ("\u00A0"…) leaves no ' ' before
        const Block control = static_cast<Block>(block < 0x20);
        // Every UTF-8 sequence folding touches starts with 0xC2, 0xE1..0xE3 or 0xEF; other
        // non-ASCII text (accents, Cyrillic, CJK) is copied as it is.
        const Block special = static_cast<Block>(block == 0xC2) |
                              static_cast<Block>(static_cast<Block>(block - 0xE1) < 3) |
                              static_cast<Block>(block == 0xEF);
        const Block folded = block ^ (static_cast<Block>(block == '-') & ('-' ^ ' '));
        // Written whole even when only its start is plain: folding never grows text, so the
        // block fits, and the bytes past the plain ones are overwritten next.
        std::memcpy(out + (at - start), &folded, sizeof folded);
        if (const std::size_t plain = plain_lanes(control | special | (gap & gap_before)); plain < sizeof(Block)) {
            // cppcheck-suppress knownConditionTrueFalse ; sizeof(Block) is the vector's 16 bytes, not 1
            if (plain > 0) in_gap = gap[plain - 1] != 0;
            return at - start + plain;
        }
        in_gap = gap[sizeof(Block) - 1] != 0;
    }
    return at - start;
}

}  // namespace

SourceSpan FoldedText::original(std::size_t begin, std::size_t end) const {
    const auto locate = [this](std::size_t at) -> SourceSpan {
        const auto folded = static_cast<std::uint32_t>(at);
        auto next = std::ranges::upper_bound(segments, folded, {}, &Segment::folded);
        if (next == segments.begin()) {
            return {folded, folded + 1};
        }
        const Segment& segment = *--next;
        if (segment.original_end != 0) {
            return {segment.original, segment.original_end};
        }
        const std::uint32_t original = segment.original + (folded - segment.folded);
        return {original, original + 1};
    };
    return {locate(begin).begin, locate(end - 1).end};
}

FoldedText fold(std::string_view utf8) {
    FoldedText out;
    fold_into(utf8, out);
    return out;
}

void fold_into(std::string_view utf8, FoldedText& out) {
    out.segments.clear();
    // Folding never grows text, so the output is sized once and written by index.
    out.text.resize_and_overwrite(utf8.size(), [&](char* text, std::size_t) {
        Writer writer(text, out.segments);
        bool in_gap = false;
        for (std::size_t at = 0; at < utf8.size();) {
            if (at > 0) {
                const std::size_t plain = fold_plain_blocks(utf8, at, in_gap, writer.next());
                if (plain > 0) writer.written(plain, at);
                at += plain;
                if (at == utf8.size()) break;
            }
            const Step step = classify(utf8, at);
            const std::size_t end = at + step.length;
            switch (step.action) {
                case Action::gap:
                    if (in_gap) {
                        writer.widen_last(end);
                    } else {
                        writer.put(' ', at, end);
                        in_gap = true;
                    }
                    break;
                case Action::drop: break;
                case Action::apostrophe:
                case Action::quote:
                    writer.put(step.action == Action::quote ? '"' : '\'', at, end);
                    in_gap = false;
                    break;
                case Action::copy:
                    writer.put(utf8[at], at, end);
                    in_gap = false;
                    break;
            }
            at = end;
        }
        return writer.size();
    });
}

}  // namespace signalmon::text
