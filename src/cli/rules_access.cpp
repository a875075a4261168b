// Loading the live rules for signalctl subcommands.
#include "cli/rules_access.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/store_open.hpp"
#include "brief/corpus.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace signalmon::cli {

std::string default_rules_dir(const GlobalOptions& global) {
    try {
        return config::load_config(global.config_path).rules_dir.string();
    } catch (const config::ConfigError&) {
        return "rules";
    }
}

std::vector<std::string> brief_ids(const rules::RuleSet& rules) {
    std::vector<std::string> ids;
    ids.reserve(rules.briefs.size());
    for (const rules::Brief& brief : rules.briefs) ids.push_back(brief.id);
    return ids;
}

void warn_about_drafts(const rules::RuleSet& rules) {
    if (const std::size_t drafts = rules.draft_signal_count(); drafts > 0) {
        std::fprintf(stderr,
                     "warning: %zu signals are marked draft: true; review their patterns, then remove the key\n",
                     drafts);
    }
}

std::shared_ptr<const rules::CompiledRules> load_live_rules(const GlobalOptions& global,
                                                            const std::optional<std::string>& dir) {
    auto compiled = rules::compile(rules::load_rules_dir(dir.value_or(default_rules_dir(global))));
    warn_about_drafts(compiled->rules());
    return compiled;
}

std::vector<std::string> concept_files(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> paths;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
        if (entry.path().extension() == ".yaml") paths.push_back(entry.path());
    }
    std::sort(paths.begin(), paths.end());
    std::vector<std::string> texts;
    for (const auto& path : paths) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (rules::is_concepts_file(text.str())) texts.push_back(text.str());
    }
    return texts;
}

double parse_noise_budget(const std::optional<std::string>& text) {
    constexpr double k_default_budget = 0.001;  // one alert per 1,000 items
    if (!text) return k_default_budget;
    try {
        std::size_t used = 0;
        const double value = std::stod(*text, &used);
        if (used == text->size() && value > 0 && value < 1) return value;
    } catch (const std::exception&) {
    }
    return -1;
}

std::filesystem::path default_background() {
    if (const char* path = std::getenv("SIGNALMON_BACKGROUND"); path != nullptr && *path != '\0') return path;
    // Installed beside the binary (a package puts both under /usr whatever this build's prefix),
    // then under this build's prefix, then the source tree of a build that was never installed.
    std::error_code error;
    const std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe", error);
    for (std::filesystem::path candidate :
         {error ? std::filesystem::path() : binary.parent_path().parent_path() / "share" / "signalmon" / "background",
          std::filesystem::path(SIGNALMON_DATA_DIR "/background")}) {
        if (!candidate.empty() && std::filesystem::is_directory(candidate)) return candidate;
    }
    return SIGNALMON_SOURCE_DIR "/tests/data/eval/background";
}

CalibrationStories calibration_stories(const GlobalOptions& global, const std::optional<std::string>& background) {
    // Fewer retained items than this say little about a signal's rate: use the background instead.
    constexpr std::size_t k_min_store_items = 500;
    CalibrationStories stories;
    if (!background) {
        try {
            const config::Config config = config::load_config(global.config_path);
            if (!config.store_url.empty() || std::filesystem::exists(config.database_path())) {
                const auto store = app::open_configured_store(config, store::OpenMode::read_only);
                std::vector<store::StoredItem> retained = store->items_since(0);
                if (retained.size() >= k_min_store_items) {
                    feed::UnixTime first = retained.front().first_seen;
                    feed::UnixTime last = first;
                    for (store::StoredItem& item : retained) {
                        first = std::min(first, item.first_seen);
                        last = std::max(last, item.first_seen);
                        stories.items.push_back(std::move(item.item));
                    }
                    stories.days = std::max(1.0, static_cast<double>(last - first) / 86'400.0);
                    stories.what = "the store's " + std::to_string(stories.items.size()) + " retained items";
                    return stories;
                }
            }
        } catch (const std::exception&) {
            // No usable config or store: the background corpus stands in.
        }
    }
    const std::filesystem::path path = background ? std::filesystem::path(*background) : default_background();
    stories.items = brief::load_stories(path);
    stories.what = "the background corpus " + path.string() + " (" + std::to_string(stories.items.size()) + " stories)";
    return stories;
}

}  // namespace signalmon::cli
