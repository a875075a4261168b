// Canonical links and SimHash for clustering copies of one story.
#include "alert/cluster.hpp"
#include "text/ascii.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <vector>

namespace signalmon::alert {
namespace {

constexpr std::uint64_t k_fnv_offset = 14695981039346656037ull;
constexpr std::uint64_t k_fnv_prime = 1099511628211ull;

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = k_fnv_offset) {
    for (char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= k_fnv_prime;
    }
    return hash;
}

bool is_tracking_parameter(std::string_view name) {
    static constexpr std::array<std::string_view, 9> k_names{"fbclid", "gclid", "dclid", "msclkid", "mc_cid",
                                                             "mc_eid", "ref",   "cmpid", "ocid"};
    return name.starts_with("utm_") || std::ranges::find(k_names, name) != k_names.end();
}

// ASCII letters are lower-cased; bytes of multi-byte UTF-8 characters are kept as word characters.
std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || byte >= 0x80) {
            word += static_cast<char>(std::tolower(byte));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

}  // namespace

std::string canonical_link(std::string_view url) {
    std::string_view rest = url;
    if (const auto fragment = rest.find('#'); fragment != std::string_view::npos) rest = rest.substr(0, fragment);
    if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) rest.remove_prefix(scheme + 3);
    const auto host_end = std::min(rest.find_first_of("/?"), rest.size());
    std::string host = text::ascii_lowercase(rest.substr(0, host_end));
    if (host.starts_with("www.")) host.erase(0, 4);
    rest.remove_prefix(host_end);

    std::string_view query;
    if (const auto question = rest.find('?'); question != std::string_view::npos) {
        query = rest.substr(question + 1);
        rest = rest.substr(0, question);
    }
    std::string path(rest);
    while (path.ends_with('/')) path.pop_back();

    std::vector<std::string_view> kept;
    while (!query.empty()) {
        const auto amp = std::min(query.find('&'), query.size());
        const std::string_view parameter = query.substr(0, amp);
        const std::string_view name = parameter.substr(0, parameter.find('='));
        if (!parameter.empty() && !is_tracking_parameter(name)) kept.push_back(parameter);
        query.remove_prefix(std::min(amp + 1, query.size()));
    }
    std::ranges::sort(kept);
    std::string canonical = host + path;
    for (std::size_t i = 0; i < kept.size(); ++i) canonical += (i == 0 ? "?" : "&") + std::string(kept[i]);
    return canonical;
}

std::uint64_t simhash(std::string_view text) {
    const std::vector<std::string> words = words_of(text);
    if (words.empty()) return 0;
    std::array<int, 64> votes{};
    const auto vote = [&](std::uint64_t hash) {
        for (int bit = 0; bit < 64; ++bit) votes[static_cast<std::size_t>(bit)] += (hash >> bit) & 1u ? 1 : -1;
    };
    if (words.size() < 3) {
        for (const std::string& word : words) vote(fnv1a(word));
    }
    for (std::size_t i = 0; i + 2 < words.size(); ++i) {
        vote(fnv1a(words[i + 2], fnv1a(" ", fnv1a(words[i + 1], fnv1a(" ", fnv1a(words[i]))))));
    }
    std::uint64_t hash = 0;
    for (int bit = 0; bit < 64; ++bit) {
        if (votes[static_cast<std::size_t>(bit)] > 0) hash |= std::uint64_t{1} << bit;
    }
    return hash;
}

int hamming_distance(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }

}  // namespace signalmon::alert
