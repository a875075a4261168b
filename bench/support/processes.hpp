// Real processes for the poll benchmarks: nginx serving feed files on 127.0.0.1, and signalmond
// runs measured by the kernel (wall time, CPU time, peak RSS).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace signalmon::bench {

// nginx (Debian's nginx-light) in the foreground, one process, serving root on 127.0.0.1 (and on
// 127.0.0.2 … 127.0.0.HOSTS, one port: hosts of their own for politeness lanes) with ETag and
// Last-Modified, stopped by its pid when destroyed.
class Nginx {
public:
    // Nothing if nginx is not installed or does not come up.
    static std::optional<Nginx> start(const std::filesystem::path& root, const std::filesystem::path& scratch,
                                      int hosts = 1);
    Nginx(Nginx&& other) noexcept;
    Nginx& operator=(Nginx&&) = delete;
    Nginx(const Nginx&) = delete;
    ~Nginx();

    std::string url(std::string_view file, int host = 1) const;  // http://127.0.0.HOST:PORT/file

private:
    Nginx(pid_t pid, int port) : m_pid(pid), m_port(port) {}
    pid_t m_pid = -1;
    int m_port = 0;
};

struct ProcessRun {
    int exit_status = -1;
    double wall_seconds = 0;
    double cpu_seconds = 0;  // user + system
    std::size_t peak_rss_kib = 0;
};

// Starts argv with stdout and stderr appended to log; the caller waits for it.
pid_t start_process(const std::vector<std::string>& argv, const std::filesystem::path& log);
// A /proc/PID/status figure in KiB ("VmRSS:", "VmHWM:").
std::size_t process_status_kib(pid_t pid, std::string_view field);

// Runs argv to completion with stdout and stderr appended to log.
ProcessRun run_process(const std::vector<std::string>& argv, const std::filesystem::path& log);

// A feeds.yaml for signalmond: feed ids f0…f(n-1) at urls[i], state and rules beside it, per-host
// pacing off (every feed is on 127.0.0.1).
void write_config(const std::filesystem::path& file, const std::vector<std::string>& urls, int max_parallel);

// The signalmond built next to the benchmarks.
std::string signalmond_path();

}  // namespace signalmon::bench
