"""Process faults on one state directory: a second signalmond (a daemon, or `--once` beside one)
must not work it too, signalctl must still read it, a store of a newer schema is refused, and a
database file deleted or replaced under the running daemon stops it with a clear error."""
import shutil
import os
import sqlite3
import subprocess
import tempfile
import time

from crash_fixture import count, start_bulk_server, write_setup
from harness import Checks, parse_args, run

args = parse_args()
checks = Checks()
ENV = {key: value for key, value in os.environ.items() if key not in ("RUNTIME_DIRECTORY", "NOTIFY_SOCKET")}


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def read_log(path):
    with open(path, errors="replace") as log:
        return log.read()


def second_process(server_port):
    with tempfile.TemporaryDirectory(prefix="signalmon-two-") as work:
        config = write_setup(work, server_port, feed_count=2)
        database = os.path.join(work, "state", "signalmon.db")
        log_path = os.path.join(work, "daemon.log")
        with open(log_path, "w") as log:
            daemon = subprocess.Popen([args.signalmond, "--config", config], stderr=log, env=ENV)
        try:
            checks.true(wait_for(lambda: "cycle:" in read_log(log_path), 30), "the first daemon polls")
            for second in ([args.signalmond, "--config", config, "--once"], [args.signalmond, "--config", config]):
                started = time.monotonic()
                result = run(second, expect_code=1, env=ENV)
                checks.true(f"another signalmond (pid {daemon.pid}) is working" in result.stderr,
                            f"{' '.join(second[1:])} beside a running daemon names its PID: {result.stderr!r}")
                checks.true(time.monotonic() - started < 10, "the second process exits at once")
            checks.equal(daemon.poll(), None, "the first daemon keeps running")
            listed = run([args.signalctl, "--config", config, "feeds"], env=ENV)
            checks.true("bulk-0" in listed.stdout, "signalctl reads the store while the daemon holds the lock")
            status = run([args.signalctl, "--config", config, "status"], env=ENV)
            checks.true(str(daemon.pid) in status.stdout, "signalctl status reaches the running daemon")
        finally:
            daemon.terminate()
            daemon.wait(timeout=30)
        # The lock goes with its holder, even one killed outright: the next run starts normally.
        with open(log_path, "a") as log:
            killed = subprocess.Popen([args.signalmond, "--config", config], stderr=log, env=ENV)
        time.sleep(1)
        killed.kill()
        killed.wait()
        before = count(database, "items")
        run([args.signalmond, "--config", config, "--once"], env=ENV)
        checks.true(count(database, "items") > before, "after a holder is killed the lock is free again")


def newer_schema(server_port):
    with tempfile.TemporaryDirectory(prefix="signalmon-schema-") as work:
        config = write_setup(work, server_port, feed_count=1)
        database = os.path.join(work, "state", "signalmon.db")
        run([args.signalmond, "--config", config, "--once"], env=ENV)
        with sqlite3.connect(database) as db:
            db.execute("PRAGMA user_version=999")
        items = count(database, "items")
        daemon = run([args.signalmond, "--config", config, "--once"], expect_code=1, env=ENV)
        checks.true("schema version 999, newer than this signalmon knows" in daemon.stderr,
                    f"signalmond refuses a newer store: {daemon.stderr!r}")
        reader = run([args.signalctl, "--config", config, "feeds"], expect_code=1, env=ENV)
        checks.true("newer than this signalmon knows" in reader.stderr, "signalctl refuses it the same way")
        with sqlite3.connect(database) as db:
            checks.equal(db.execute("PRAGMA user_version").fetchone()[0], 999, "the newer store's version is kept")
        checks.equal(count(database, "items"), items, "nothing was written to the newer store")


def database_swapped(server_port):
    for case in ("deleted", "replaced"):
        with tempfile.TemporaryDirectory(prefix=f"signalmon-{case}-") as work:
            config = write_setup(work, server_port, feed_count=2)
            database = os.path.join(work, "state", "signalmon.db")
            log_path = os.path.join(work, "daemon.log")
            with open(log_path, "w") as log:
                daemon = subprocess.Popen([args.signalmond, "--config", config], stderr=log, env=ENV)
            try:
                checks.true(wait_for(lambda: "cycle:" in read_log(log_path), 30), f"{case}: the daemon polls")
                if case == "deleted":
                    os.remove(database)
                else:
                    shutil.copy(database, database + ".copy")
                    os.replace(database + ".copy", database)
                checks.true(wait_for(lambda: daemon.poll() is not None, 15), f"{case}: the daemon stops")
            finally:
                if daemon.poll() is None:
                    daemon.kill()
                daemon.wait()
            checks.equal(daemon.returncode, 1, f"{case}: the daemon exits 1")
            checks.true(f"{database} was {case}" in read_log(log_path),
                        f"{case}: the error names the file and what happened: {read_log(log_path)[-400:]!r}")


server, port = start_bulk_server(args.source_dir)
try:
    second_process(port)
    newer_schema(port)
    database_swapped(port)
finally:
    server.kill()
    server.wait()
checks.finish()
