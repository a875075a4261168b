// signalmond's command line: options, logging, signal routing (signalfd, so signals are plain
// events in the loop rather than code running at arbitrary points), then the Daemon.
#include "app/daemon_main.hpp"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/signalfd.h>

#include <cstdio>
#include <string_view>

#include "app/daemon.hpp"
#include "app/logging.hpp"

namespace signalmon::app {
namespace {

constexpr int k_exit_ok = 0;
constexpr int k_exit_failure = 1;
constexpr int k_exit_usage = 2;

constexpr std::string_view k_usage = R"(usage: signalmond [--config FILE] [--once] [--verbose]

Polls the feeds in FILE (default ./feeds.yaml), matches new items against rules_dir/*.yaml and
stores hits in state_dir/signalmon.db.

  --config FILE  the feeds.yaml to run
  --once         poll every feed once, then exit (0 on success; 1 if the config or rules are bad)
  --verbose      log debug detail
  --version      print the version
  --help         print this help

Signals: SIGTERM/SIGINT finish the cycle in flight and exit; SIGHUP reloads feeds.yaml and rules,
keeping the running ones if the new ones are bad.

While running it answers `signalctl status|reload|poll` on its control socket (control_socket in
FILE; default $RUNTIME_DIRECTORY/control.sock, else state_dir/control.sock), serves Prometheus
metrics and /healthz if metrics_listen is set, prunes old items and hits (retention), and speaks
the systemd notify protocol (READY, STATUS, RELOADING, STOPPING, WATCHDOG) when NOTIFY_SOCKET is
set. With JOURNAL_STREAM set, log lines carry journald priority prefixes instead of timestamps.

Exit status: 0 clean stop, 1 bad config or rules or a startup failure, 2 bad command line.
)";

struct Options {
    std::string config_path = "feeds.yaml";
    bool once = false;
    bool verbose = false;
};

int parse_options(int argc, char** argv, Options& options) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--help") {
            std::fputs(k_usage.data(), stdout);
            return k_exit_ok;
        }
        if (arg == "--version") {
            std::puts("signalmond " SIGNALMON_VERSION);
            return k_exit_ok;
        }
        if (arg == "--once") {
            options.once = true;
        } else if (arg == "--verbose") {
            options.verbose = true;
        } else if (arg == "--config" && i + 1 < argc) {
            options.config_path = argv[++i];
        } else {
            std::fprintf(stderr, "signalmond: unknown option '%s'\n%s", argv[i], k_usage.data());
            return k_exit_usage;
        }
    }
    return -1;
}

}  // namespace

int run_signalmond(int argc, char** argv) {
    Options options;
    if (const int exit_code = parse_options(argc, argv, options); exit_code >= 0) return exit_code;
    setup_logging(options.verbose);

    sigset_t handled;
    sigemptyset(&handled);
    for (int signal_number : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&handled, signal_number);
    pthread_sigmask(SIG_BLOCK, &handled, nullptr);
    const int signal_fd = signalfd(-1, &handled, SFD_CLOEXEC | SFD_NONBLOCK);

    try {
        Daemon daemon(load_setup(options.config_path), signal_fd);
        if (options.once) {
            daemon.run_once();
        } else {
            daemon.run_forever();
        }
    } catch (const std::exception& error) {
        // Config and rule errors already read "FILE:LINE:COL: message"; print them as they are.
        std::fprintf(stderr, "%ssignalmond: %s\n", journal_logging() ? "<2>" : "", error.what());
        return k_exit_failure;
    }
    return k_exit_ok;
}

}  // namespace signalmon::app
