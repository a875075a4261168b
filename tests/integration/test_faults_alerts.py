"""Alert receivers and the outbox at fault: an SMTP server that goes silent (at the banner, after
DATA, at QUIT) costs a delivery attempt no more than the channel's timeout per exchange, and the
alert waits for its retry; a 429 with a huge Retry-After pauses the channel, its queue waits and
none dies; a write lock held on the store by another process while alerts go out sends none of
them twice."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

from crash_fixture import start_bulk_server, start_webhook_receiver, write_setup
from harness import Checks, parse_args, run

args = parse_args()
checks = Checks()
ENV = {key: value for key, value in os.environ.items() if key not in ("RUNTIME_DIRECTORY", "NOTIFY_SOCKET")}


def outbox_by_status(database):
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return dict(db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall())


def stalling_smtp(server_port):
    for stall_at in ("banner", "data", "quit"):
        with tempfile.TemporaryDirectory(prefix=f"signalmon-smtp-{stall_at}-") as work:
            connections = os.path.join(work, "smtp.log")
            smtp = subprocess.Popen([sys.executable, os.path.join(args.source_dir, "tests", "servers",
                                                                  "stalling_smtp_server.py"),
                                     "--stall-at", stall_at, "--log", connections], stdout=subprocess.PIPE, text=True)
            try:
                smtp_port = int(smtp.stdout.readline())
                alerts_yaml = (f"  channels:\n    - id: mail\n      type: email\n      url: smtp://127.0.0.1:{smtp_port}\n"
                               f"      starttls: off\n      timeout: 2s\n      from: alerts@example.org\n"
                               f"      to: [analyst@example.org]\n  routes:\n    - channels: [mail]\n")
                config = write_setup(work, server_port, feed_count=1, alerts_yaml=alerts_yaml)
                started = time.monotonic()
                run([args.signalmond, "--config", config, "--once"], env=ENV)
                elapsed = time.monotonic() - started
                with open(connections) as log:
                    attempts = len(log.readlines())
                if stall_at == "quit":
                    # Each message is accepted, so each alert is sent on its own connection; only its
                    # QUIT goes unanswered, and that wait is bounded too (libcurl's own is 120 s).
                    checks.true(elapsed < 6 + 3 * attempts,
                                f"stalled at QUIT: {attempts} deliveries took {elapsed:.1f}s with a 2s channel timeout")
                    continue
                # One attempt per failing channel per pass; each of its exchanges waits at most 2 s.
                checks.true(elapsed < 15, f"stalled at {stall_at}: --once took {elapsed:.1f}s with a 2s channel timeout")
                checks.equal(attempts, 1, f"stalled at {stall_at}: one attempt, the rest wait")
                by_status = outbox_by_status(os.path.join(work, "state", "signalmon.db"))
                checks.true(by_status.get("pending", 0) > 0 and "failed" not in by_status,
                            f"stalled at {stall_at}: the alerts wait for a retry: {by_status}")
            finally:
                smtp.kill()
                smtp.wait()


def hook_yaml(hook_port, extra=""):
    return (f"  max_age: 1h\n  retry_base: 1s\n  retry_max: 2s\n{extra}  channels:\n    - id: hook\n      type: webhook\n"
            f"      url: http://127.0.0.1:{hook_port}/hook\n  routes:\n    - channels: [hook]\n")


def set_receiver(work, control):
    with open(os.path.join(work, "webhook.control.json"), "w") as out:
        json.dump(control, out)


def receiver_log(path):
    if not os.path.exists(path):
        return []
    with open(path) as log:
        return [json.loads(line) for line in log]


def huge_retry_after(server_port):
    with tempfile.TemporaryDirectory(prefix="signalmon-429-") as work:
        receiver, hook_port, hook_log = start_webhook_receiver(args.source_dir, work)
        try:
            set_receiver(work, {"status": 429, "retry_after": 18446744073709551615})
            config = write_setup(work, server_port, feed_count=1, alerts_yaml=hook_yaml(hook_port))
            run([args.signalmond, "--config", config, "--once"], env=ENV)
            database = os.path.join(work, "state", "signalmon.db")
            by_status = outbox_by_status(database)
            checks.true(by_status.get("pending", 0) > 1 and "failed" not in by_status,
                        f"a 429 with a huge Retry-After kills no alert: {by_status}")
            checks.equal(len(receiver_log(hook_log)), 1, "the 429 pauses the channel: one request, the queue waits")
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
                latest = db.execute("SELECT MAX(not_before) - MAX(last_attempt) FROM outbox").fetchone()[0]
            checks.true(latest is not None and latest <= 3600, f"the pause is capped at max_age (1h): {latest}s")
        finally:
            receiver.kill()
            receiver.wait()


def held_write_lock(server_port):
    with tempfile.TemporaryDirectory(prefix="signalmon-locked-") as work:
        receiver, hook_port, hook_log = start_webhook_receiver(args.source_dir, work)
        daemon = None
        try:
            set_receiver(work, {"status": 503})
            # One poll (interval 1h): the alerts are in the outbox before the lock, and no poll competes for it.
            config = write_setup(work, server_port, feed_count=1, interval="1h", alerts_yaml=hook_yaml(hook_port))
            database = os.path.join(work, "state", "signalmon.db")
            with open(os.path.join(work, "daemon.log"), "w") as log:
                daemon = subprocess.Popen([args.signalmond, "--config", config], stderr=log, env=ENV)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not receiver_log(hook_log):
                time.sleep(0.2)
            checks.true(receiver_log(hook_log), "the daemon attempts its alerts (503, to be retried)")
            holder = sqlite3.connect(database, isolation_level=None, timeout=30)
            holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
            set_receiver(work, {"status": 200})
            time.sleep(20)
            holder.execute("COMMIT")
            holder.close()
            deadline = time.monotonic() + 40
            while time.monotonic() < deadline and outbox_by_status(database).get("pending", 0) > 0:
                time.sleep(0.5)
            checks.equal(outbox_by_status(database).get("pending", 0), 0, "every alert is delivered once the lock goes")
            accepted = [entry for entry in receiver_log(hook_log) if entry["status"] == 200]
            keys = [entry["headers"].get("Idempotency-Key") for entry in accepted]
            repeats = len(keys) - len(set(keys))
            checks.equal(repeats, 0, f"no alert is sent twice while its outcome cannot be recorded ({len(keys)} sent)")
        finally:
            if daemon:
                daemon.kill()
                daemon.wait()
            receiver.kill()
            receiver.wait()


server, port = start_bulk_server(args.source_dir)
try:
    stalling_smtp(port)
    huge_retry_after(port)
    held_write_lock(port)
finally:
    server.kill()
    server.wait()
checks.finish()
