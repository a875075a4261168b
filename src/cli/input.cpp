// Command input: files and stdin read whole, URLs fetched once with the daemon's fetcher.
#include "cli/input.hpp"

#include <cstdio>
#include <filesystem>

#include "feed/url.hpp"
#include "fetch/fetcher.hpp"

namespace signalmon::cli {

std::optional<std::string> read_input(const std::string& path) {
    std::FILE* file = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        return std::nullopt;
    }
    std::string contents;
    char buffer[65536];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) {
        contents.append(buffer, got);
    }
    const bool failed = std::ferror(file) != 0;
    if (file != stdin) {
        std::fclose(file);
    }
    return failed ? std::nullopt : std::optional(std::move(contents));
}

std::expected<Document, std::string> read_document(const std::string& input) {
    Document document;
    if (input.starts_with("http://") || input.starts_with("https://")) {
        std::optional<fetch::FetchOutcome> outcome;
        fetch::fetch_all({{.feed_id = "signalctl", .url = input, .etag = {}, .last_modified = {}}},
                         fetch::FetchOptions{},
                         [&](const fetch::FetchRequest&, fetch::FetchOutcome result) { outcome = std::move(result); });
        if (!outcome || !*outcome) return std::unexpected(outcome ? (*outcome).error().message : "no answer");
        document.body = std::move((*outcome)->body);
        document.options.base_url = (*outcome)->effective_url.empty() ? input : (*outcome)->effective_url;
        document.options.content_type = (*outcome)->content_type;
        return document;
    }
    auto bytes = read_input(input);
    if (!bytes) return std::unexpected(std::string("cannot read the file"));
    document.body = std::move(*bytes);
    std::error_code error;
    document.options.base_url = feed::file_url(std::filesystem::absolute(input, error).string());
    return document;
}

}  // namespace signalmon::cli
