"""signalmond as a service: the sd_notify protocol read from a datagram socket this test owns
(NOTIFY_SOCKET), journald priority prefixes (JOURNAL_STREAM), Prometheus metrics and /healthz
scraped over HTTP on 127.0.0.1, the control socket through signalctl status/reload/poll, a
refused reload, signalctl with the daemon down, and a clean, bounded stop on SIGTERM."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request

from harness import Checks, parse_args, run

args = parse_args()
checks = Checks()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NotifyListener:
    """The systemd side of sd_notify: collects every datagram the daemon sends."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.messages = []
        self.lock = threading.Lock()
        self.running = True
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while self.running:
            try:
                data = self.sock.recv(4096).decode()
            except socket.timeout:
                continue
            with self.lock:
                self.messages.append(data)

    def wait_for(self, key, after=0, timeout=30):
        """Index of the first message from `after` on holding line `key` (e.g. "READY=1")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for index in range(after, len(self.messages)):
                    if key in self.messages[index].split("\n"):
                        return index
            time.sleep(0.05)
        return None

    def get(self, index):
        with self.lock:
            return self.messages[index]

    def count(self):
        with self.lock:
            return len(self.messages)

    def close(self):
        self.running = False
        self.thread.join()
        self.sock.close()


def scrape(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def metric(text, name, labels=""):
    """The value of one sample line, or None."""
    wanted = f"{name}{{{labels}}}" if labels else name
    for line in text.splitlines():
        if line.startswith(wanted + " "):
            return float(line.split()[-1])
    return None


with tempfile.TemporaryDirectory(prefix="signalmon-svc-") as work:
    shutil.copytree(os.path.join(args.source_dir, "rules"), os.path.join(work, "rules"))
    shutil.copytree(os.path.join(args.source_dir, "demo", "feeds"), os.path.join(work, "feeds"))
    port = free_port()
    control = os.path.join(work, "run", "control.sock")
    config_path = os.path.join(work, "feeds.yaml")
    with open(config_path, "w") as config:
        config.write(f"state_dir: state\nrules_dir: rules\ninterval: 1h\nmetrics_listen: 127.0.0.1:{port}\n"
                     f"control_socket: run/control.sock\nfeeds:\n"
                     "  - id: signals\n    url: feeds/signals-demo.xml\n"
                     "  - id: cloudflare\n    url: feeds/cloudflare-blog.xml\n"
                     "  - id: missing\n    url: feeds/no-such-file.xml\n")
    ctl = [args.signalctl, "--config", config_path]

    notify_path = os.path.join(work, "notify.sock")
    listener = NotifyListener(notify_path)
    env = dict(os.environ, NOTIFY_SOCKET=notify_path, JOURNAL_STREAM="8:12345", WATCHDOG_USEC="2000000")
    env.pop("WATCHDOG_PID", None)
    stderr_path = os.path.join(work, "stderr.log")
    with open(stderr_path, "w") as stderr_file:
        daemon = subprocess.Popen([args.signalmond, "--config", config_path], env=env, stderr=stderr_file,
                                  stdout=subprocess.DEVNULL)
    try:
        ready = listener.wait_for("READY=1")
        checks.true(ready is not None, "READY=1 sent after config and rules load")
        if ready is not None:
            checks.true(any(line.startswith("STATUS=") and "feeds" in line for line in listener.get(ready).split("\n")),
                        "READY=1 comes with a STATUS= line naming feeds")
        checks.true(os.path.exists(control), "control socket created at control_socket")
        checks.equal(oct(os.stat(control).st_mode & 0o777), "0o660", "control socket mode 0660")

        # The first cycle polls every feed; wait for it through the status STATUS= update.
        deadline = time.monotonic() + 30
        status = {}
        while time.monotonic() < deadline:
            result = subprocess.run(ctl + ["status", "--json"], capture_output=True, text=True, timeout=30)
            status = json.loads(result.stdout) if result.returncode == 0 else {}
            if status.get("feeds", {}).get("new", 1) == 0:
                break
            time.sleep(0.2)
        checks.equal(status.get("running"), True, "status: running")
        checks.equal(status.get("pid"), daemon.pid, "status: the daemon's pid")
        checks.equal(status.get("feeds"), {"configured": 3, "ok": 2, "failing": 1, "new": 0}, "status: feeds")
        checks.true(status.get("hits", 0) > 0, "status: hits stored")
        checks.equal(len(status.get("rules_hash", "")), 16, "status: rules hash")
        checks.equal(status.get("rules_generation"), 1, "status: rules generation 1 at start")
        checks.true("uptime_seconds" in status and "version" in status, "status: uptime and version")
        text_status = run(ctl + ["status"]).stdout
        checks.true(f"pid {daemon.pid}" in text_status and "1 failing" in text_status, "status as a table")

        watchdogs_before = listener.count()
        time.sleep(2.5)
        pings = [listener.get(i) for i in range(watchdogs_before, listener.count())]
        checks.true(pings.count("WATCHDOG=1") >= 2, f"WATCHDOG=1 at least every second with WatchdogSec=2s ({pings})")

        code, body = scrape(port, "/metrics")
        checks.equal(code, 200, "GET /metrics")
        checks.equal(metric(body, "signalmon_polls_total"), 3.0, "polls counted")
        checks.true(metric(body, "signalmon_items_parsed_total") > 0, "items parsed counted")
        checks.equal(metric(body, "signalmon_items_new_total"), metric(body, "signalmon_items_parsed_total"),
                     "first poll: every item is new")
        checks.true(metric(body, "signalmon_fetched_bytes_total") > 1000, "bytes fetched counted")
        checks.true(metric(body, "signalmon_scan_bytes_total") > 0, "scan bytes counted")
        checks.true(metric(body, "signalmon_scan_seconds_total") is not None, "scan seconds exported")
        checks.equal(sum(1 for line in body.splitlines() if line.startswith("signalmon_fetch_errors_total{")), 1,
                     "one failing feed, one error reason")
        checks.true(metric(body, "signalmon_hits_total", 'brief="rdm-065-open-weights",kind="confirm"') > 0,
                    "hits by brief and kind")
        checks.equal(metric(body, "signalmon_rules_generation"), 1.0, "rules generation")
        checks.equal(metric(body, "signalmon_feeds", 'state="failing"'), 1.0, "failing feeds gauge")
        checks.true("# TYPE signalmon_polls_total counter" in body, "Prometheus TYPE lines")
        checks.equal(scrape(port, "/healthz"), (200, "ok\n"), "GET /healthz")

        # poll now, over the control socket
        polled = run(ctl + ["poll", "cloudflare"]).stdout
        checks.true(polled.startswith("polled 1 feeds"), f"signalctl poll FEED: {polled!r}")
        run(ctl + ["poll", "no-such-feed"], expect_code=1)
        checks.equal(metric(scrape(port, "/metrics")[1], "signalmon_polls_total"), 4.0, "poll FEED polled one more")

        # reload: good, then bad (kept), both visible in status, metrics and notify messages
        mark = listener.count()
        os.kill(daemon.pid, signal.SIGHUP)
        reloading = listener.wait_for("RELOADING=1", after=mark)
        checks.true(reloading is not None, "RELOADING=1 on SIGHUP")
        checks.true(reloading is not None and listener.wait_for("READY=1", after=reloading) is not None,
                    "READY=1 after the reload")
        reloaded = run(ctl + ["reload"]).stdout
        checks.true(reloaded.startswith("reloaded: 3 feeds, 1 briefs"), f"signalctl reload: {reloaded!r}")
        with open(os.path.join(work, "rules", "broken.yaml"), "w") as broken:
            broken.write("brief: {id: broken, title: B, threshold: 1}\nsignals:\n  - id: s\n    kind: nope\n")
        # The rules watcher sees the new file too and tries a reload of its own once the folder has
        # been quiet for 0.5 s; wait for it, so the counts below do not depend on the machine's speed.
        deadline = time.monotonic() + 20
        while ((metric(scrape(port, "/metrics")[1], "signalmon_reload_failures_total") or 0) < 1
               and time.monotonic() < deadline):
            time.sleep(0.1)
        checks.equal(metric(scrape(port, "/metrics")[1], "signalmon_reload_failures_total"), 1.0,
                     "the rules watcher refuses the broken file")
        refused = run(ctl + ["reload"], expect_code=1)
        checks.true("broken.yaml:" in refused.stderr, f"a refused reload names the file: {refused.stderr!r}")
        status = json.loads(run(ctl + ["status", "--json"]).stdout)
        checks.equal(status["last_reload"]["ok"], False, "status shows the failed reload")
        checks.equal(status["rules_generation"], 3, "the failed reload kept generation 3")
        body = scrape(port, "/metrics")[1]
        checks.equal(metric(body, "signalmon_reload_failures_total"), 2.0, "reload failures counted (watcher + signalctl)")
        checks.equal(metric(body, "signalmon_reloads_total"), 5.0, "reloads counted (start + 4)")

        # stop: STOPPING=1, exit 0 quickly, socket removed
        mark = listener.count()
        started = time.monotonic()
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=30)
        checks.equal(code, 0, "exit 0 on SIGTERM")
        checks.true(time.monotonic() - started < 5, "stops promptly when idle")
        checks.true(listener.wait_for("STOPPING=1", after=mark, timeout=1) is not None, "STOPPING=1 on SIGTERM")
        checks.true(not os.path.exists(control), "control socket removed on exit")
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
        listener.close()

    with open(stderr_path) as stderr_file:
        lines = stderr_file.read().splitlines()
    checks.true(lines and all(line[:3] in ("<2>", "<3>", "<4>", "<6>", "<7>") for line in lines),
                "every log line has a journald priority prefix")
    checks.true(any(line.startswith("<4>feed missing:") for line in lines), "a failing feed logs <4> with its id")
    checks.true(any(line.startswith("<6>feed signals:") for line in lines), "a polled feed logs <6> with its id")
    checks.true(any(line.startswith("<6>feed signals: brief rdm-065-open-weights:") for line in lines),
                "an alerting hit logs feed and brief ids")
    checks.true(any(line.startswith("<3>reload failed") for line in lines), "a failed reload logs <3>")

    # The daemon is down: status says so (exit 3) from the store; read-only commands still work.
    down = run(ctl + ["status"], expect_code=3)
    checks.true("not running" in down.stdout and "hits" in down.stdout, f"status when down: {down.stdout!r}")
    checks.true(json.loads(run(ctl + ["status", "--json"], expect_code=3).stdout)["running"] is False,
                "status --json when down")
    run(ctl + ["reload"], expect_code=3)
    checks.true(len(json.loads(run(ctl + ["hits", "--json"]).stdout)) > 0, "hits from the store with the daemon down")

    # A bad config: no READY=1, exit 1, the error on stderr with a priority prefix.
    with open(config_path, "a") as config:
        config.write("bogus_key: 1\n")
    listener = NotifyListener(notify_path + "2")
    env["NOTIFY_SOCKET"] = notify_path + "2"
    failed = subprocess.run([args.signalmond, "--config", config_path], env=env, capture_output=True, text=True,
                            timeout=60)
    checks.equal(failed.returncode, 1, "bad config exits 1")
    checks.true(failed.stderr.startswith("<2>signalmond: ") and "feeds.yaml:" in failed.stderr,
                f"bad config error: {failed.stderr!r}")
    checks.equal(listener.wait_for("READY=1", timeout=0.5), None, "no READY=1 with a bad config")
    listener.close()

checks.finish()
