// The properties every fuzz target checks, header-only so the regression unit test
// (tests/unit/test_fuzz_regressions.cpp) replays saved inputs through exactly the same checks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "brief/compiler.hpp"
#include "feed/date.hpp"
#include "feed/html_text.hpp"
#include "feed/parse.hpp"
#include "feed/url.hpp"
#include "rules/compile.hpp"
#include "rules/rule_set.hpp"
#include "text/utf8.hpp"

namespace signalmon::fuzz {

// A violated property, described for the crash report; std::nullopt when the input behaved.
using Violation = std::optional<std::string>;

// Decoding a charset turns one input byte into at most 3 UTF-8 bytes (Windows-1252 0x80 → U+20AC,
// an invalid byte → U+FFFD), and markup only shrinks, so text fields stay within this factor.
inline constexpr std::size_t k_growth_factor = 3;
// What an item may add beyond its own bytes: a derived key (hash) and the feed's base URL or
// author carried into it, each capped by feed::parse.
inline constexpr std::size_t k_item_overhead = 64 + feed::k_max_link_bytes * 2 + feed::k_max_author_bytes;

inline std::string_view as_text(std::span<const std::uint8_t> data) {
    return {reinterpret_cast<const char*>(data.data()), data.size()};
}

inline Violation check_text_field(std::string_view field, std::string_view name, std::size_t limit) {
    if (!text::is_valid_utf8(field)) return std::string(name) + " is not valid UTF-8";
    if (field.size() > limit) {
        return std::string(name) + " is " + std::to_string(field.size()) + " bytes, over " + std::to_string(limit);
    }
    return std::nullopt;
}

// The last byte picks the Content-Type, so one input also exercises the HTTP charset hint.
inline feed::ParseOptions feed_options(std::string_view bytes) {
    static constexpr std::string_view k_content_types[] = {
        "",
        "application/rss+xml; charset=utf-8",
        "text/xml; charset=ISO-8859-1",
        "text/xml; charset=windows-1252",
        "application/xml; charset=utf-16",
        "text/xml; charset=koi8-r",
        "application/feed+json",
        "text/html; charset=\"",
    };
    const std::size_t pick = bytes.empty() ? 0 : static_cast<unsigned char>(bytes.back()) % std::size(k_content_types);
    return {.base_url = "https://fuzz.example/feeds/index.xml", .content_type = std::string(k_content_types[pick])};
}

// feed::parse on raw bytes: bounded item count, every text field valid UTF-8 and capped, and the
// whole output within a constant factor of the input (no amplification by inherited values).
inline Violation check_feed(std::string_view bytes) {
    const feed::ParseOptions options = feed_options(bytes);
    const auto parsed = feed::parse(bytes, options);
    if (!parsed) {
        return text::is_valid_utf8(parsed.error().message) ? std::nullopt : Violation("error message is not UTF-8");
    }
    if (parsed->items.size() > feed::k_max_items) return "more than k_max_items items";
    const std::size_t field_limit = std::min(feed::k_max_text_bytes, k_growth_factor * bytes.size() + k_item_overhead);
    std::size_t total = 0;
    const auto field = [&](std::string_view value, std::string_view name) {
        total += value.size();
        return check_text_field(value, name, field_limit);
    };
    for (const auto& [value, name] : {std::pair{std::string_view(parsed->title), "feed title"},
                                      std::pair{std::string_view(parsed->link), "feed link"}}) {
        if (auto violation = field(value, name)) return violation;
    }
    for (const feed::Item& item : parsed->items) {
        for (const auto& [value, name] :
             {std::pair{std::string_view(item.key), "key"}, std::pair{std::string_view(item.title), "title"},
              std::pair{std::string_view(item.link), "link"}, std::pair{std::string_view(item.author), "author"},
              std::pair{std::string_view(item.summary), "summary"},
              std::pair{std::string_view(item.content), "content"}}) {
            if (auto violation = field(value, name)) return violation;
        }
        if (item.key.empty()) return "an item without a key";
        for (const std::string& category : item.categories) {
            if (auto violation = field(category, "category")) return violation;
        }
    }
    const std::size_t total_limit = k_growth_factor * bytes.size() + parsed->items.size() * k_item_overhead + 4096;
    if (total > total_limit) {
        return "output is " + std::to_string(total) + " bytes from " + std::to_string(bytes.size()) + " input bytes";
    }
    return std::nullopt;
}

// The JSON Feed path: anything that does not already start like JSON is made to.
inline Violation check_json_feed(std::string_view bytes) {
    if (bytes.starts_with('{')) return check_feed(bytes);
    return check_feed("{" + std::string(bytes));
}

// html_to_text and plain_text: valid UTF-8, never longer than the cap or than the input allows.
inline Violation check_html_text(std::string_view bytes) {
    const std::size_t cap = bytes.empty() ? 0 : static_cast<unsigned char>(bytes.front()) * 16;
    for (const std::size_t max_bytes : {cap, feed::k_max_text_bytes}) {
        const std::size_t limit = std::min(max_bytes, k_growth_factor * bytes.size());
        if (auto violation = check_text_field(feed::html_to_text(bytes, max_bytes), "html_to_text", limit)) {
            return violation;
        }
        if (auto violation = check_text_field(feed::plain_text(bytes, max_bytes), "plain_text", limit)) {
            return violation;
        }
    }
    return std::nullopt;
}

// parse_date: a date it reads formats and reads back to the same instant.
inline Violation check_date(std::string_view bytes) {
    const auto time = feed::parse_date(bytes);
    if (!time) return std::nullopt;
    const std::string formatted = feed::format_rfc3339(*time);
    const auto again = feed::parse_date(formatted);
    if (!again || *again != *time) return "'" + formatted + "' does not read back as " + std::to_string(*time);
    return std::nullopt;
}

// resolve_url(base, reference), the two split at the first newline: bounded by its inputs, and
// resolution reaches a fixed point. (Only a second pass is stable: RFC 3986 5.2.2 keeps the base's
// dot segments when the reference has no path, and an absolute reference then loses them.)
inline Violation check_url(std::string_view bytes) {
    const std::size_t newline = bytes.find('\n');
    const std::string_view base = bytes.substr(0, newline);
    const std::string_view reference =
        newline == std::string_view::npos ? std::string_view() : bytes.substr(newline + 1);
    const std::string resolved = feed::resolve_url(base, reference);
    if (resolved.size() > base.size() + reference.size() + 2) {
        return "resolved URL is longer than base and reference together";
    }
    if (feed::has_scheme(resolved)) {
        const std::string normalized = feed::resolve_url(base, resolved);
        if (feed::resolve_url(base, normalized) != normalized) {
            return "resolving '" + normalized + "' again changes it";
        }
    }
    return std::nullopt;
}

// A rule file either loads and compiles or is rejected with a RuleError naming FILE:LINE:COL;
// nothing else escapes, and the libFuzzer timeout catches a compile that does not finish.
inline Violation check_rules(std::string_view bytes) {
    try {
        rules::RuleSetBuilder builder;
        builder.add_file(bytes, "fuzz.yaml");
        (void)rules::compile(std::move(builder).finish());
    } catch (const rules::RuleError& error) {
        if (!std::string_view(error.what()).starts_with("fuzz.yaml:")) {
            return "rule error without location: " + std::string(error.what());
        }
    }
    return std::nullopt;
}

// The Daily Brief importer: text is either refused with a message or becomes a rule file that loads
// and compiles (what `signalctl brief import` promises: its output passes `rules check`).
inline Violation check_brief(std::string_view bytes) {
    const auto brief = brief::parse_daily_brief(bytes);
    if (!brief) return std::nullopt;
    const std::string rule_file = brief::draft_yaml(brief::compile_brief(*brief, {}), "fuzz.txt");
    if (auto violation = check_text_field(rule_file, "drafted rule file", rule_file.size())) return violation;
    try {
        rules::RuleSetBuilder builder;
        builder.add_file(rule_file, "drafted.yaml");
        (void)rules::compile(std::move(builder).finish());
    } catch (const rules::RuleError& error) {
        return "the drafted rule file does not load: " + std::string(error.what());
    }
    return std::nullopt;
}

// What a fuzz target does with a violation: report it and abort, so libFuzzer saves the input.
inline void enforce(const Violation& violation) {
    if (violation) {
        std::fprintf(stderr, "property violated: %s\n", violation->c_str());
        std::abort();
    }
}

}  // namespace signalmon::fuzz
