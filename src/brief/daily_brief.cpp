// Daily Brief reading: the header, then the sections a rule file is drafted from (brief/compiler).
#include "brief/daily_brief.hpp"
#include "text/ascii.hpp"
#include "text/utf8.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>
#include <span>

namespace signalmon::brief {

namespace {

// A bullet line's text, without its marker ("•", "-", "*"); empty if the line is not a bullet.
std::string_view bullet_text(std::string_view line) {
    for (const std::string_view marker : {std::string_view("•"), std::string_view("- "), std::string_view("* ")}) {
        if (line.starts_with(marker)) return text::trim_ascii_space(line.substr(marker.size()));
    }
    return {};
}

enum class Section { none, ignored, context, sections, sources, watchlist, confirm, kill };

// The headings of the format and what each holds for import.
Section section_of(std::string_view heading) {
    const std::string name = text::ascii_lowercase(heading);
    if (name == "watchlist") return Section::watchlist;
    if (name == "what would confirm") return Section::confirm;
    if (name == "what would kill") return Section::kill;
    if (name == "sections") return Section::sections;
    if (name == "sources") return Section::sources;
    for (const char* known : {"key takeaways", "unknowns", "investor overlay", "read-throughs"}) {
        if (name == known) return Section::context;
    }
    return Section::none;
}

// "Issue 65 2026-03-06" → (65, "2026-03-06").
bool parse_issue_line(std::string_view line, int& issue, std::string& date) {
    if (!line.starts_with("Issue ")) return false;
    line.remove_prefix(6);
    const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), issue);
    if (error != std::errc() || end == line.data()) return false;
    const std::string_view rest =
        text::trim_ascii_space(std::string_view(end, static_cast<std::size_t>(line.data() + line.size() - end)));
    const bool is_date = rest.size() == 10 && rest[4] == '-' && rest[7] == '-' &&
                         std::all_of(rest.begin(), rest.end(),
                                     [](char c) { return c == '-' || std::isdigit(static_cast<unsigned char>(c)); });
    if (!is_date) return false;
    date = std::string(rest);
    return true;
}

}  // namespace

std::string slug(std::string_view text, std::size_t max_words) {
    std::string out;
    std::size_t words = 0;
    bool in_word = false;
    for (const char c : text) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            if (!in_word && !out.empty()) {
                if (words == max_words) break;
                out += '-';
            }
            if (!in_word) ++words;
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            in_word = true;
        } else {
            in_word = false;
        }
    }
    return out;
}

std::string yaml_quoted(std::string_view text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::expected<DailyBrief, std::string> parse_daily_brief(std::string_view text) {
    // A brief pasted from mail or a PDF may carry broken UTF-8; the rule file drafted from it must not.
    std::string repaired;
    text = text::repair_utf8(text, repaired);
    std::vector<std::string_view> lines;
    for (std::size_t at = 0; at <= text.size();) {
        const std::size_t newline = text.find('\n', at);
        lines.push_back(text.substr(at, newline == std::string_view::npos ? std::string_view::npos : newline - at));
        at = newline == std::string_view::npos ? text.size() + 1 : newline + 1;
    }
    DailyBrief brief;
    // Header: PUBLICATION, "Daily Brief", "Issue N YYYY-MM-DD", TITLE, among the first lines.
    constexpr std::size_t k_header_lines = 12;
    std::string_view previous;
    std::size_t at = 0;
    bool daily_brief = false;
    for (; at < lines.size() && at < k_header_lines; ++at) {
        const std::string_view line = text::trim_ascii_space(lines[at]);
        if (line.empty()) continue;
        if (line == "Daily Brief") {
            daily_brief = true;
            brief.publication = std::string(previous);
        } else if (daily_brief && parse_issue_line(line, brief.issue, brief.date)) {
            break;
        }
        previous = line;
    }
    if (!daily_brief) return std::unexpected(std::string("not a Daily Brief: no 'Daily Brief' line near the top"));
    if (brief.date.empty())
        return std::unexpected(std::string("not a Daily Brief: no 'Issue N YYYY-MM-DD' line after 'Daily Brief'"));
    if (brief.publication.empty())
        return std::unexpected(std::string("not a Daily Brief: no publication name above 'Daily Brief'"));
    for (++at; at < lines.size() && text::trim_ascii_space(lines[at]).empty(); ++at) {
    }
    if (at == lines.size()) return std::unexpected(std::string("not a Daily Brief: no title after the issue line"));
    brief.title = std::string(text::trim_ascii_space(lines[at]));

    Section section = Section::none;
    std::vector<std::string>* target = nullptr;
    for (++at; at < lines.size(); ++at) {
        const std::string_view raw = lines[at];
        const std::string_view line = text::trim_ascii_space(raw);
        if (line.empty()) continue;
        const std::string_view bullet = bullet_text(line);
        if (!bullet.empty()) {
            if (target != nullptr) target->emplace_back(bullet);
            continue;
        }
        const bool indented = raw.front() == ' ' || raw.front() == '\t';
        if (indented && target != nullptr && !target->empty()) {
            target->back() += " " + std::string(line);  // a bullet wrapped onto the next line
            continue;
        }
        const Section next = section_of(line);
        if (next != Section::none) {
            section = next;
        } else if (section == Section::sections || section == Section::sources) {
            continue;  // a topic title inside "Sections", or a source reference
        } else if (section != Section::none) {
            brief.notes.push_back("line " + std::to_string(at + 1) + ": unknown section '" + std::string(line) +
                                  "' ignored");
            section = Section::ignored;
        }
        target = section == Section::watchlist                                 ? &brief.watchlist
                 : section == Section::confirm                                 ? &brief.confirm
                 : section == Section::kill                                    ? &brief.kill
                 : section == Section::context || section == Section::sections ? &brief.context
                                                                               : nullptr;
    }
    if (brief.watchlist.empty() && brief.confirm.empty() && brief.kill.empty()) {
        return std::unexpected(
            std::string("the brief has no Watchlist, What would confirm or What would kill lines to import"));
    }
    return brief;
}

std::string brief_id(const DailyBrief& brief) {
    std::string initials;
    for (std::size_t at = 0; at < brief.publication.size(); ++at) {
        const bool word_start = at == 0 || brief.publication[at - 1] == ' ';
        if (word_start && std::isalnum(static_cast<unsigned char>(brief.publication[at]))) {
            initials += static_cast<char>(std::tolower(static_cast<unsigned char>(brief.publication[at])));
        }
    }
    std::string issue = std::to_string(brief.issue);
    issue.insert(0, issue.size() < 3 ? 3 - issue.size() : 0, '0');
    return initials + "-" + issue + "-" + slug(brief.title, 4);
}

}  // namespace signalmon::brief
