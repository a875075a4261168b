// Notices edits to the rule files (inotify on rules_dir) and reports each burst of them once,
// after it has been quiet for a debounce period, so an editor's save-rename-chmod is one reload.
#pragma once

#include <chrono>
#include <filesystem>

namespace signalmon::rules {

class RulesWatcher {
public:
    // Throws std::system_error if the directory cannot be watched.
    explicit RulesWatcher(const std::filesystem::path& dir,
                          std::chrono::milliseconds debounce = std::chrono::milliseconds(500));
    RulesWatcher(const RulesWatcher&) = delete;
    RulesWatcher& operator=(const RulesWatcher&) = delete;
    ~RulesWatcher();

    // Poll this for POLLIN: it becomes readable when a *.yaml file in the directory is written,
    // created, renamed or deleted, and again when the debounce period has passed.
    int fd() const { return m_epoll; }

    // Consumes what fd() reported; true once per burst of changes, when the burst has been quiet
    // for the debounce period. Never blocks.
    bool changed();

    const std::filesystem::path& dir() const { return m_dir; }

private:
    void close_all();

    std::filesystem::path m_dir;
    std::chrono::milliseconds m_debounce;
    int m_inotify = -1;
    int m_timer = -1;
    int m_epoll = -1;  // both of the above, as one descriptor for the caller's poll loop
};

}  // namespace signalmon::rules
