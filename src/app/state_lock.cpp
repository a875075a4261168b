// The state directory's lock file. flock rather than a PID file alone: the kernel drops the lock
// when its holder dies, so a crashed daemon never leaves a stale claim behind.
#include "app/state_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include "text/ascii.hpp"

namespace signalmon::app {
namespace {

// The PID the holder wrote, or "unknown" if it has not written it yet.
std::string holder_pid(int fd) {
    char buffer[32] = {};
    const ssize_t length = ::pread(fd, buffer, sizeof buffer - 1, 0);
    const std::string_view pid =
        length > 0 ? text::trim_ascii_space(std::string_view(buffer, static_cast<std::size_t>(length))) : "";
    return pid.empty() ? "unknown" : std::string(pid);
}

}  // namespace

StateDirLock::StateDirLock(const std::filesystem::path& state_dir) : m_path(state_dir / "signalmond.lock") {
    std::filesystem::create_directories(state_dir);
    m_fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        throw std::runtime_error("opening " + m_path.string() + ": cannot write in " + state_dir.string() + " (" +
                                 std::strerror(errno) + ")");
    }
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        const std::string message = error == EWOULDBLOCK
                                        ? "another signalmond (pid " + holder_pid(m_fd) + ") is working " +
                                              state_dir.string() + " (it holds " + m_path.string() +
                                              "); stop it first, or give this one its own state_dir"
                                        : "locking " + m_path.string() + ": " + std::strerror(error);
        ::close(m_fd);
        throw std::runtime_error(message);
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(m_fd, 0) != 0 || ::pwrite(m_fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        const std::string message = "writing " + m_path.string() + ": " + std::strerror(errno);
        ::close(m_fd);
        throw std::runtime_error(message);
    }
}

StateDirLock::~StateDirLock() { ::close(m_fd); }

}  // namespace signalmon::app
