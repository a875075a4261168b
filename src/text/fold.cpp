// Text folding: one pass over UTF-8 that classifies each character and records its source span.
#include "text/fold.hpp"

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
            default:
                return {Action::copy, 1};
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

}  // namespace

SourceSpan FoldedText::original(std::size_t begin, std::size_t end) const {
    return {source[begin].begin, source[end - 1].end};
}

FoldedText fold(std::string_view utf8) {
    // Folding never grows text, so both outputs are sized once and written by index: this loop is
    // the floor under every scan.
    FoldedText out;
    out.text.resize(utf8.size());
    out.source.resize(utf8.size());
    std::size_t size = 0;
    bool in_gap = false;
    for (std::size_t at = 0; at < utf8.size();) {
        const auto byte = static_cast<unsigned char>(utf8[at]);
        if (byte < 0x80 && byte != ' ' && byte != '-' && (byte > '\r' || byte < '\t')) {
            out.text[size] = utf8[at];
            out.source[size++] = {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + 1)};
            in_gap = false;
            ++at;
            continue;
        }
        const Step step = classify(utf8, at);
        const auto begin = static_cast<std::uint32_t>(at);
        const auto end = static_cast<std::uint32_t>(at + step.length);
        switch (step.action) {
            case Action::gap:
                if (in_gap) {
                    out.source[size - 1].end = end;
                } else {
                    out.text[size] = ' ';
                    out.source[size++] = {begin, end};
                    in_gap = true;
                }
                break;
            case Action::drop:
                break;
            case Action::apostrophe:
            case Action::quote:
                out.text[size] = step.action == Action::quote ? '"' : '\'';
                out.source[size++] = {begin, end};
                in_gap = false;
                break;
            case Action::copy:
                out.text[size] = utf8[at];
                out.source[size++] = {begin, end};
                in_gap = false;
                break;
        }
        at += step.length;
    }
    out.text.resize(size);
    out.source.resize(size);
    return out;
}

}  // namespace signalmon::text
