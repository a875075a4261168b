// Word wrapping.
#include "text/wrap.hpp"

#include "text/ascii.hpp"

namespace signalmon::text {
namespace {

bool continues_character(char byte) { return (static_cast<unsigned char>(byte) & 0xC0) == 0x80; }

std::size_t characters(std::string_view text) {
    std::size_t count = 0;
    for (const char byte : text) count += continues_character(byte) ? 0 : 1;
    return count;
}

// The byte length of text's first `count` characters.
std::size_t prefix_bytes(std::string_view text, std::size_t count) {
    std::size_t at = 0;
    for (std::size_t seen = 0; at < text.size(); ++at) {
        if (!continues_character(text[at]) && seen++ == count) break;
    }
    return at;
}

}  // namespace

std::vector<std::string> wrap(std::string_view text, std::size_t width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t line_characters = 0;
    std::size_t at = 0;
    while (at < text.size()) {
        while (at < text.size() && is_ascii_space(text[at])) ++at;
        std::size_t end = at;
        while (end < text.size() && !is_ascii_space(text[end])) ++end;
        std::string_view word = text.substr(at, end - at);
        at = end;
        if (word.empty()) break;
        std::size_t word_characters = characters(word);
        if (line_characters > 0 && line_characters + 1 + word_characters > width) {
            lines.push_back(std::move(line));
            line.clear();
            line_characters = 0;
        }
        while (word_characters > width) {  // only ever at the start of a line
            const std::size_t cut = prefix_bytes(word, width);
            lines.emplace_back(word.substr(0, cut));
            word.remove_prefix(cut);
            word_characters -= width;
        }
        if (word.empty()) continue;
        if (line_characters > 0) {
            line += ' ';
            ++line_characters;
        }
        line += word;
        line_characters += word_characters;
    }
    if (!line.empty()) lines.push_back(std::move(line));
    return lines;
}

}  // namespace signalmon::text
