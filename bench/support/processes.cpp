// nginx and signalmond as child processes, measured with wait4's rusage.
#include "support/processes.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "support/workload.hpp"

namespace signalmon::bench {

namespace {

// A port the kernel says is free right now on 127.0.0.1.
int free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        port = ntohs(address.sin_port);
    }
    ::close(fd);
    return port;
}

bool accepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

}  // namespace

pid_t start_process(const std::vector<std::string>& argv, const std::filesystem::path& log) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        std::vector<char*> args;
        for (const std::string& arg : argv) {
            args.push_back(const_cast<char*>(arg.c_str()));
        }
        args.push_back(nullptr);
        ::execvp(args[0], args.data());
        ::_exit(127);
    }
    return pid;
}

std::optional<Nginx> Nginx::start(const std::filesystem::path& root, const std::filesystem::path& scratch, int hosts) {
    const std::filesystem::path binary = "/usr/sbin/nginx";
    if (!std::filesystem::exists(binary)) {
        return std::nullopt;
    }
    const int port = free_port();
    std::filesystem::create_directories(scratch);
    std::string listen;
    for (int host = 1; host <= hosts; ++host) {
        listen += "    listen 127.0.0." + std::to_string(host) + ":" + std::to_string(port) + ";\n";
    }
    std::ofstream(scratch / "nginx.conf")
        << "daemon off;\nmaster_process off;\nworker_processes 1;\npid " << (scratch / "nginx.pid").string()
        << ";\nerror_log " << (scratch / "nginx-error.log").string() << " warn;\n"
        << "events { worker_connections 4096; }\n"
        << "http {\n  access_log off;\n  types { application/rss+xml xml; }\n  keepalive_requests 1000000;\n"
        << "  server {\n"
        << listen << "    root " << root.string() << ";\n    etag on;\n  }\n}\n";
    const pid_t pid = start_process({binary.string(), "-p", scratch.string(), "-e",
                                     (scratch / "nginx-error.log").string(), "-c", (scratch / "nginx.conf").string()},
                                    scratch / "nginx.out");
    for (int attempt = 0; attempt < 100; ++attempt) {
        if (accepts(port)) {
            return Nginx(pid, port);
        }
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            return std::nullopt;  // it exited: see scratch/nginx-error.log
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
    return std::nullopt;
}

Nginx::Nginx(Nginx&& other) noexcept : m_pid(other.m_pid), m_port(other.m_port) { other.m_pid = -1; }

Nginx::~Nginx() {
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        ::waitpid(m_pid, nullptr, 0);
    }
}

std::string Nginx::url(std::string_view file, int host) const {
    return "http://127.0.0." + std::to_string(host) + ":" + std::to_string(m_port) + "/" + std::string(file);
}

ProcessRun run_process(const std::vector<std::string>& argv, const std::filesystem::path& log) {
    const auto start = Clock::now();
    const pid_t pid = start_process(argv, log);
    int status = 0;
    rusage usage{};
    ::wait4(pid, &status, 0, &usage);
    ProcessRun run;
    run.wall_seconds = seconds_since(start);
    run.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    const auto seconds = [](const timeval& time) {
        return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
    };
    run.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    run.peak_rss_kib = static_cast<std::size_t>(usage.ru_maxrss);
    return run;
}

void write_config(const std::filesystem::path& file, const std::vector<std::string>& urls, int max_parallel) {
    std::ofstream out(file);
    // Every feed is on one loopback host: per-host pacing, right for the Internet, is off here.
    out << "state_dir: state\nrules_dir: rules\nuser_agent: \"signalmon-bench\"\ninterval: 1h\nmax_parallel: "
        << max_parallel << "\nper_host_connections: " << max_parallel << "\nper_host_rate: 0\nfeeds:\n";
    for (std::size_t i = 0; i < urls.size(); ++i) {
        out << "  - {id: f" << i << ", url: \"" << urls[i] << "\"}\n";
    }
}

std::size_t process_status_kib(pid_t pid, std::string_view field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.starts_with(field)) {
            return std::strtoull(line.c_str() + field.size(), nullptr, 10);
        }
    }
    return 0;
}

std::string signalmond_path() { return SIGNALMON_BENCH_SIGNALMOND; }

}  // namespace signalmon::bench
