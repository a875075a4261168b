"""Storage faults: the state directory fills up (a small tmpfs) and is read-only at startup, and a
signalctl-style reader holds a long read transaction. The daemon must say what is wrong (log,
status, metric), poll nothing while polls cannot be recorded (no poll storm), recover on its own
once space returns, and never block on or starve a reader (WAL)."""
import os
import socket
import sqlite3
import subprocess
import tempfile
import time
import urllib.request

from crash_fixture import count, start_bulk_server, store_problems, write_setup
from harness import Checks, parse_args, run

args = parse_args()
checks = Checks()


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    checks.true(False, f"timed out waiting for {what}")
    return False


def read_log(path):
    with open(path, errors="replace") as log:
        return log.read()


def requests_served(server_port):
    with urllib.request.urlopen(f"http://127.0.0.1:{server_port}/requests", timeout=5) as answer:
        return int(answer.read())


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def metric(metrics_port, name):
    with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5) as answer:
        for line in answer.read().decode().splitlines():
            if line.startswith(name + " "):
                return line.split()[1]
    return None


def can_mount():
    """tmpfs mounts need root (CAP_SYS_ADMIN); elsewhere the disk-full case is skipped, loudly."""
    if os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as probe:
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe], capture_output=True).returncode:
            return False
        subprocess.run(["umount", probe], check=True)
    return True


def disk_full(server_port):
    with tempfile.TemporaryDirectory(prefix="signalmon-full-") as work:
        config = write_setup(work, server_port, feed_count=12)
        metrics_port = free_port()
        with open(config, "a") as out:
            out.write(f"metrics_listen: 127.0.0.1:{metrics_port}\n")
        state = os.path.join(work, "state")
        os.makedirs(state)
        # Room for the schema's migrations (their WAL included) and little more: the polls fill it
        # (migration 10's index rebuild and 12's lanes and instances tables each needed 64 KiB more).
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", state], check=True)
        log_path = os.path.join(work, "daemon.log")
        try:
            with open(log_path, "w") as log:
                daemon = subprocess.Popen([args.signalmond, "--config", config], stderr=log)
            try:
                full = wait_for(lambda: "database or disk is full" in read_log(log_path), 60, "the disk-full error")
                checks.true(full, "the daemon logs SQLite's 'database or disk is full'")
                paused = wait_for(lambda: "polls cannot be recorded" in read_log(log_path), 30, "the store fault")
                checks.true(paused, "the daemon reports the store fault and pauses")
                checks.equal(daemon.poll(), None, "the daemon keeps running on a full disk")
                # A daemon that cannot record a poll polls nothing until the store takes writes again (the
                # unfixed one polled each feed again at once: a poll storm, slowed here only by SQLite
                # taking ~1 s to fail each commit on this tmpfs).
                before_requests = requests_served(server_port)
                time.sleep(6)
                storm = requests_served(server_port) - before_requests
                checks.equal(storm, 0, "requests while polls cannot be recorded (6 s)")
                status = run([args.signalctl, "--config", config, "status"]).stdout
                checks.true("store      FAULT since" in status and ("disk is full" in status or "KiB free" in status),
                            f"signalctl status reports the store fault: {status!r}")
                checks.equal(metric(metrics_port, "signalmon_store_fault"), "1", "the store-fault metric is raised")
                checks.true(int(metric(metrics_port, "signalmon_store_failures_total") or 0) > 0,
                            "store failures are counted")
                database = os.path.join(state, "signalmon.db")
                before = count(database, "items")
                subprocess.run(["mount", "-o", "remount,size=64m", state], check=True)
                wait_for(lambda: count(database, "items") > before, 30, "items stored after space returned")
                checks.true(count(database, "items") > before, "the daemon recovers once space returns")
                checks.equal(daemon.poll(), None, "the daemon is still running after recovering")
                checks.true("polling resumes" in read_log(log_path), "the daemon logs that polling resumes")
                checks.equal(metric(metrics_port, "signalmon_store_fault"), "0", "the store-fault metric is cleared")
                checks.true("FAULT" not in run([args.signalctl, "--config", config, "status"]).stdout,
                            "signalctl status no longer reports a store fault")
            finally:
                daemon.kill()
                daemon.wait()
            checks.equal(store_problems(os.path.join(state, "signalmon.db")), [], "the store after the disk-full episode")
        finally:
            subprocess.run(["umount", "-l", state], check=False)


def read_only_state(server_port):
    with tempfile.TemporaryDirectory(prefix="signalmon-ro-") as work:
        config = write_setup(work, server_port, feed_count=2)
        state = os.path.join(work, "state")
        os.makedirs(state)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,ro", "tmpfs", state], check=True)
        try:
            result = run([args.signalmond, "--config", config, "--once"], expect_code=1)
            checks.true(state in result.stderr and "read-only" in result.stderr.lower(),
                        f"a read-only state directory is reported with the path and the cause: {result.stderr!r}")
            subprocess.run(["mount", "-o", "remount,rw", state], check=True)
            run([args.signalmond, "--config", config, "--once"])
            checks.true(count(os.path.join(state, "signalmon.db"), "items") > 0, "it works once writable again")
        finally:
            subprocess.run(["umount", "-l", state], check=False)


def long_reader(server_port):
    with tempfile.TemporaryDirectory(prefix="signalmon-reader-") as work:
        config = write_setup(work, server_port, feed_count=8)
        database = os.path.join(work, "state", "signalmon.db")
        run([args.signalmond, "--config", config, "--once"])
        with open(os.path.join(work, "daemon.log"), "w") as log:
            daemon = subprocess.Popen([args.signalmond, "--config", config], stderr=log)
        try:
            reader = sqlite3.connect(f"file:{database}?mode=ro", uri=True, isolation_level=None)
            reader.execute("BEGIN")
            snapshot = reader.execute("SELECT COUNT(*) FROM items").fetchone()[0]
            slowest = 0.0
            grew = False
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline:
                started = time.monotonic()
                checks_count = count(database, "items")  # a fresh reader sees the daemon's commits
                slowest = max(slowest, time.monotonic() - started)
                grew = grew or checks_count > snapshot
                time.sleep(0.1)
            held = reader.execute("SELECT COUNT(*) FROM items").fetchone()[0]
            reader.execute("COMMIT")
            reader.close()
            checks.true(grew, "the daemon kept committing while a reader held a transaction open")
            checks.equal(held, snapshot, "the long reader saw one consistent snapshot")
            checks.true(slowest < 1.0, f"readers are never starved by the writer (slowest read {slowest:.2f}s)")
            checks.equal(daemon.poll(), None, "the daemon is still running")
            checks.true("store:" not in read_log(os.path.join(work, "daemon.log")), "no store errors while a reader waits")
        finally:
            daemon.kill()
            daemon.wait()
        checks.equal(store_problems(database), [], "the store after the long read")


def read_errors(server_port):
    """Another process renames the feeds table under the running daemon: every read of feed state
    on the poll path fails. Each is one recorded error; the daemon keeps running and resumes."""
    with tempfile.TemporaryDirectory(prefix="signalmon-reads-") as work:
        config = write_setup(work, server_port, feed_count=4)
        database = os.path.join(work, "state", "signalmon.db")
        log_path = os.path.join(work, "daemon.log")
        run([args.signalmond, "--config", config, "--once"])
        with open(log_path, "w") as log:
            daemon = subprocess.Popen([args.signalmond, "--config", config], stderr=log)
        try:
            time.sleep(1)
            with sqlite3.connect(database, isolation_level=None, timeout=30) as db:
                db.execute("ALTER TABLE feeds RENAME TO feeds_elsewhere")
            wait_for(lambda: "no such table: feeds" in read_log(log_path), 20, "the read error")
            time.sleep(3)
            checks.equal(daemon.poll(), None, "a failed read on the poll path leaves the daemon running")
            checks.true("no such table: feeds" in read_log(log_path), "the failed read is logged")
            with sqlite3.connect(database, isolation_level=None, timeout=30) as db:
                db.execute("ALTER TABLE feeds_elsewhere RENAME TO feeds")
            before = count(database, "items")
            wait_for(lambda: count(database, "items") > before, 30, "items stored after the table returned")
            checks.true(count(database, "items") > before, "polling resumes once reads work again")
        finally:
            daemon.kill()
            daemon.wait()
        checks.equal(store_problems(database), [], "the store after the read errors")


server, port = start_bulk_server(args.source_dir)
try:
    long_reader(port)
    read_errors(port)
    if can_mount():
        disk_full(port)
        read_only_state(port)
    else:
        print("SKIP: disk-full and read-only cases need root to mount a tmpfs (documented in docs/reliability.md)")
finally:
    server.kill()
    server.wait()
checks.finish()
