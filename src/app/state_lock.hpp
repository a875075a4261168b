// The exclusive claim one signalmond process holds on its state directory, so two daemons (or a
// `--once` run beside a running daemon) never poll and deliver the same alerts twice.
#pragma once

#include <filesystem>

namespace signalmon::app {

class StateDirLock {
public:
    // Creates state_dir if needed and locks state_dir/signalmond.lock (flock, released by the kernel
    // when the process ends, however it ends), writing this process's PID into it. Throws
    // std::runtime_error naming the holder's PID when another process holds it (a startup error).
    explicit StateDirLock(const std::filesystem::path& state_dir);
    StateDirLock(const StateDirLock&) = delete;
    StateDirLock& operator=(const StateDirLock&) = delete;
    ~StateDirLock();

    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
    int m_fd = -1;
};

}  // namespace signalmon::app
