// Loading stories and case files; word shares of a corpus.
#include "brief/corpus.hpp"

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <unordered_set>

#include "text/fold.hpp"

namespace signalmon::brief {
namespace {

void load_jsonl(const std::filesystem::path& file, std::vector<feed::Item>& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(file.string() + ": cannot read");
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        const nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
        if (json.is_discarded() || !json.is_object()) {
            throw std::runtime_error(file.string() + ":" + std::to_string(number) + ": not a JSON object");
        }
        feed::Item item;
        item.title = json.value("title", "");
        item.summary = json.value("summary", "");
        item.key = file.filename().string() + ":" + std::to_string(number);
        out.push_back(std::move(item));
    }
}

[[noreturn]] void fail(const std::filesystem::path& path, const YAML::Node& node, const std::string& message) {
    const YAML::Mark mark = node.Mark();
    throw rules::RuleError(path.string() + ":" + std::to_string(mark.is_null() ? 1 : mark.line + 1) + ":" +
                           std::to_string(mark.is_null() ? 1 : mark.column + 1) + ": " + message);
}

std::string scalar(const std::filesystem::path& path, const YAML::Node& node, std::string_view key) {
    if (!node.IsScalar()) fail(path, node, "'" + std::string(key) + "' must be a string");
    return node.Scalar();
}

}  // namespace

std::vector<feed::Item> load_stories(const std::filesystem::path& path) {
    std::vector<feed::Item> stories;
    if (std::filesystem::is_directory(path)) {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(path)) {
            if (entry.path().extension() == ".jsonl") files.push_back(entry.path());
        }
        std::sort(files.begin(), files.end());
        for (const auto& file : files) load_jsonl(file, stories);
    } else {
        load_jsonl(path, stories);
    }
    return stories;
}

CaseFile load_case_file(const std::filesystem::path& path) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path.string());
    } catch (const YAML::ParserException& error) {
        throw rules::RuleError(path.string() + ":" + std::to_string(error.mark.line + 1) + ":" +
                               std::to_string(error.mark.column + 1) + ": YAML syntax error: " + error.msg);
    } catch (const YAML::BadFile&) {
        throw rules::RuleError(path.string() + ": cannot read case file");
    }
    if (!root.IsMap() || !root["cases"] || !root["cases"].IsSequence()) {
        fail(path, root, "a case file needs 'cases:', a list of {expect, title, summary}");
    }
    CaseFile file;
    file.path = path;
    if (root["brief_file"]) file.brief_file = path.parent_path() / scalar(path, root["brief_file"], "brief_file");
    if (root["brief"]) file.brief_id = scalar(path, root["brief"], "brief");
    for (const YAML::Node& node : root["cases"]) {
        if (!node.IsMap() || !node["expect"] || !node["title"]) fail(path, node, "a case needs 'expect' and 'title'");
        Case labelled;
        labelled.source_line = node.Mark().line + 1;
        const std::string expect = scalar(path, node["expect"], "expect");
        if (expect != "quiet") {
            labelled.expect = rules::kind_named(expect);
            if (!labelled.expect) {
                fail(path, node["expect"], "'expect' must be confirm, kill, watch or quiet, got '" + expect + "'");
            }
        }
        if (node["line"]) labelled.line = scalar(path, node["line"], "line");
        labelled.item.title = scalar(path, node["title"], "title");
        if (node["summary"]) labelled.item.summary = scalar(path, node["summary"], "summary");
        labelled.item.key = path.filename().string() + ":" + std::to_string(labelled.source_line);
        file.cases.push_back(std::move(labelled));
    }
    return file;
}

std::vector<std::string> words_of(std::string_view text) {
    std::vector<std::string> words;
    std::string word;
    const std::string folded = text::fold(text).text;
    for (const char c : folded) {
        const auto byte = static_cast<unsigned char>(c);
        if (text::is_word_byte(byte)) {
            word.push_back(byte >= 'A' && byte <= 'Z' ? static_cast<char>(byte - 'A' + 'a') : c);
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty()) words.push_back(std::move(word));
    return words;
}

WordShares::WordShares(std::span<const feed::Item> stories) : m_stories(stories.size()) {
    std::unordered_set<std::string> seen;
    for (const feed::Item& story : stories) {
        seen.clear();
        for (std::string& word : words_of(story.title + " " + story.summary)) seen.insert(std::move(word));
        for (const std::string& word : seen) ++m_counts[word];
    }
}

double WordShares::share(std::string_view word) const {
    if (m_stories == 0) return 0;
    const auto found = m_counts.find(std::string(word));
    return found == m_counts.end() ? 0 : static_cast<double>(found->second) / static_cast<double>(m_stories);
}

}  // namespace signalmon::brief
