// RFC 3986 reference resolution: split into components, merge paths, remove dot segments.
#include "feed/url.hpp"
#include "text/ascii.hpp"

#include <cctype>
#include <cstdio>

namespace signalmon::feed {

namespace {

struct UrlParts {
    std::string_view scheme;  // without ':'
    bool has_authority = false;
    std::string_view authority;
    std::string_view path;
    bool has_query = false;
    std::string_view query;
    bool has_fragment = false;
    std::string_view fragment;
};

std::size_t scheme_length(std::string_view text) {
    if (text.empty() || std::isalpha(static_cast<unsigned char>(text[0])) == 0) {
        return 0;
    }
    for (std::size_t i = 1; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ':') {
            return i;
        }
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '+' && c != '-' && c != '.') {
            return 0;
        }
    }
    return 0;
}

UrlParts split(std::string_view url) {
    UrlParts parts;
    if (const std::size_t length = scheme_length(url); length > 0) {
        parts.scheme = url.substr(0, length);
        url.remove_prefix(length + 1);
    }
    if (const std::size_t hash = url.find('#'); hash != std::string_view::npos) {
        parts.has_fragment = true;
        parts.fragment = url.substr(hash + 1);
        url = url.substr(0, hash);
    }
    if (const std::size_t question = url.find('?'); question != std::string_view::npos) {
        parts.has_query = true;
        parts.query = url.substr(question + 1);
        url = url.substr(0, question);
    }
    if (url.starts_with("//")) {
        url.remove_prefix(2);
        const std::size_t slash = url.find('/');
        parts.has_authority = true;
        parts.authority = url.substr(0, slash);
        url = slash == std::string_view::npos ? std::string_view{} : url.substr(slash);
    }
    parts.path = url;
    return parts;
}

// RFC 3986 5.2.4.
std::string remove_dot_segments(std::string_view input) {
    std::string output;
    while (!input.empty()) {
        if (input.starts_with("../")) {
            input.remove_prefix(3);
        } else if (input.starts_with("./")) {
            input.remove_prefix(2);
        } else if (input.starts_with("/./")) {
            input.remove_prefix(2);
        } else if (input == "/.") {
            input = "/";
        } else if (input.starts_with("/../") || input == "/..") {
            input = input.size() == 3 ? std::string_view("/") : input.substr(3);
            const std::size_t last = output.rfind('/');
            output.resize(last == std::string::npos ? 0 : last);
        } else if (input == "." || input == "..") {
            input = {};
        } else {
            const std::size_t next = input.find('/', 1);
            const std::size_t length = next == std::string_view::npos ? input.size() : next;
            output.append(input.substr(0, length));
            input.remove_prefix(length);
        }
    }
    return output;
}

std::string compose(std::string_view scheme, const UrlParts& parts, std::string_view path) {
    std::string url(scheme);
    url += ':';
    if (parts.has_authority) {
        url += "//";
        url.append(parts.authority);
    }
    url += path;
    if (parts.has_query) {
        url += '?';
        url.append(parts.query);
    }
    if (parts.has_fragment) {
        url += '#';
        url.append(parts.fragment);
    }
    return url;
}

}  // namespace

bool has_scheme(std::string_view text) { return scheme_length(text) > 0; }

std::string resolve_url(std::string_view base_text, std::string_view reference_text) {
    const std::string_view reference = text::trim_ascii_space(reference_text);
    const std::string_view base_url = text::trim_ascii_space(base_text);
    const UrlParts ref = split(reference);
    if (!ref.scheme.empty()) {
        return compose(ref.scheme, ref, remove_dot_segments(ref.path));
    }
    if (!has_scheme(base_url)) {
        return std::string(reference);
    }
    const UrlParts base = split(base_url);
    UrlParts target = ref;
    std::string path;
    if (ref.has_authority) {
        path = remove_dot_segments(ref.path);
    } else {
        target.has_authority = base.has_authority;
        target.authority = base.authority;
        if (ref.path.empty()) {
            path = std::string(base.path);
            if (!ref.has_query) {
                target.has_query = base.has_query;
                target.query = base.query;
            }
        } else if (ref.path.starts_with('/')) {
            path = remove_dot_segments(ref.path);
        } else {
            std::string merged;
            if (base.has_authority && base.path.empty()) {
                merged = "/";
            } else {
                const std::size_t slash = base.path.rfind('/');
                merged =
                    std::string(slash == std::string_view::npos ? std::string_view{} : base.path.substr(0, slash + 1));
            }
            merged.append(ref.path);
            path = remove_dot_segments(merged);
        }
    }
    return compose(base.scheme, target, path);
}

std::string file_url(std::string_view absolute_path) {
    std::string url = "file://";
    for (const char c : absolute_path) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
            url += c;
        } else {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", byte);
            url += escaped;
        }
    }
    return url;
}

}  // namespace signalmon::feed
