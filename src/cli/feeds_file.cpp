// Line-level edits: YAML emitters drop comments, so the file is never loaded and re-emitted.
#include "cli/feeds_file.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

#include "text/ascii.hpp"

namespace signalmon::cli {

namespace {

bool is_blank_or_comment(std::string_view line) {
    const std::string_view trimmed = text::trim_ascii_space(line);
    return trimmed.empty() || trimmed.starts_with('#');
}

std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size() - 1) + 1;
        lines.push_back(text.substr(0, end));
        text.remove_prefix(end);
    }
    return lines;
}

std::string with_newline(std::string_view line) {
    std::string out(line);
    if (!out.ends_with('\n')) out += '\n';
    return out;
}

}  // namespace

std::expected<std::string, std::string> add_feed_entries(std::string_view yaml, std::string_view entries) {
    const std::vector<std::string_view> lines = split_lines(yaml);
    std::size_t key = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].starts_with("feeds:")) {
            key = i;
            break;
        }
    }
    std::string out;
    if (key == lines.size()) {
        out = yaml.empty() ? std::string{} : with_newline(yaml);
        return out + "feeds:\n" + std::string(entries);
    }
    if (!is_blank_or_comment(lines[key].substr(6))) {
        return std::unexpected(std::string("'feeds:' is written on one line; add the entries by hand"));
    }
    // The list runs until the next line that starts at column 0 with anything but '-' or '#'.
    std::size_t last_entry_line = key;
    std::string indent = "  ";
    bool indent_seen = false;
    for (std::size_t i = key + 1; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        if (is_blank_or_comment(line)) continue;
        if (!text::is_ascii_space(line[0]) && line[0] != '-') break;
        if (!indent_seen) {
            const std::size_t dash = line.find_first_not_of(' ');
            indent = std::string(line.substr(0, line[dash] == '-' ? dash : 2));
            indent_seen = true;
        }
        last_entry_line = i;
    }
    for (std::size_t i = 0; i <= last_entry_line; ++i) out += with_newline(lines[i]);
    for (const std::string_view line : split_lines(entries)) {
        out += indent;
        out += line.substr(std::min<std::size_t>(2, line.size()));
    }
    for (std::size_t i = last_entry_line + 1; i < lines.size(); ++i) out += lines[i];
    return out;
}

std::expected<void, std::string> replace_file(const std::string& path, std::string_view text) {
    const std::string temporary = path + ".signalctl-tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file.write(text.data(), static_cast<std::streamsize>(text.size()));
        if (!file.flush()) return std::unexpected("cannot write " + temporary);
    }
    std::error_code error;
    std::filesystem::rename(temporary, path, error);
    if (error) return std::unexpected("cannot replace " + path + ": " + error.message());
    return {};
}

}  // namespace signalmon::cli
