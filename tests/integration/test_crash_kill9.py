"""Crash consistency: SIGKILL signalmond at random moments while it ingests growing feeds from a
loopback server and delivers their alerts to a loopback webhook, 50 times over, then check the
store: integrity_check passes, every item is stored once, every item carrying the canary phrase has
exactly one hit, no other item has one; and the alerts: every one the store calls sent reached the
receiver, none reached it that the store does not know, and a key arrived twice only where a kill
fell between sending and recording (at most once per kill; the receiver drops the repeat by its
Idempotency-Key)."""
import json
import os
import random
import signal
import sqlite3
import subprocess
import tempfile
import time

from crash_fixture import count, start_bulk_server, start_webhook_receiver, store_problems, write_setup
from harness import Checks, parse_args, run

KILLS = 50
FEEDS = 24
args = parse_args()
checks = Checks()
rng = random.Random(int(os.environ.get("SIGNALMON_CRASH_SEED", "8")))


def outbox(database):
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT idempotency_key, status FROM outbox").fetchall())
    finally:
        db.close()


def deliveries(log_path):
    if not os.path.exists(log_path):
        return []
    with open(log_path) as log:
        return [json.loads(line) for line in log]


server, port = start_bulk_server(args.source_dir)
receiver = None
started = time.monotonic()
try:
    with tempfile.TemporaryDirectory(prefix="signalmon-crash-") as work:
        receiver, hook_port, hook_log = start_webhook_receiver(args.source_dir, work)
        alerts_yaml = (f"  retry_base: 1s\n  retry_max: 2s\n  channels:\n    - id: hook\n      type: webhook\n"
                       f"      url: http://127.0.0.1:{hook_port}/hook\n  routes:\n    - channels: [hook]\n")
        config = write_setup(work, port, FEEDS, alerts_yaml=alerts_yaml)
        database = os.path.join(work, "state", "signalmon.db")
        killed_mid_work = 0
        for attempt in range(KILLS):
            with open(os.path.join(work, "daemon.log"), "w") as log:
                daemon = subprocess.Popen([args.signalmond, "--config", config], stderr=log)
                # Early kills land in startup and migrations, later ones mid-cycle and mid-transaction.
                time.sleep(rng.uniform(0.0, 1.2))
                killed_mid_work += daemon.poll() is None
                daemon.send_signal(signal.SIGKILL)
                daemon.wait()
            if os.path.exists(database):
                problems = store_problems(database)
                if problems:
                    checks.equal(problems, [], f"store after kill {attempt + 1}")
                    break
        checks.true(killed_mid_work == KILLS, f"the daemon was still running at every kill ({killed_mid_work})")
        items_before = count(database, "items")
        checks.true(items_before > 0, f"items were stored between kills ({items_before})")

        # A clean run afterwards finishes the work; nothing the kills interrupted is lost or doubled.
        run([args.signalmond, "--config", config, "--once"])
        checks.equal(store_problems(database), [], "store after the final clean run")
        checks.true(count(database, "items") >= items_before, "no stored item disappeared")
        hits = count(database, "hits")
        checks.true(hits > 0, f"canary hits were stored ({hits})")

        # Let the dispatcher drain what the kills left pending (retries wait up to retry_max).
        deadline = time.monotonic() + 30
        while "pending" in outbox(database).values() and time.monotonic() < deadline:
            time.sleep(2.5)
            run([args.signalmond, "--config", config, "--once"])
        rows = outbox(database)
        received = deliveries(hook_log)
        accepted = [r["headers"].get("Idempotency-Key") for r in received if r["accepted"]]
        repeats = [r["headers"].get("Idempotency-Key") for r in received if r["duplicate"]]
        sent = {key for key, status in rows.items() if status == "sent"}
        checks.true(len(sent) > 0, f"alerts were sent ({len(sent)} of {len(rows)} outbox rows)")
        checks.equal([s for s in rows.values() if s == "pending"], [], "no alert left pending")
        checks.equal(sorted(sent - set(accepted)), [], "every alert the store calls sent reached the receiver")
        checks.equal(sorted(set(accepted) - set(rows)), [], "the receiver got no alert the store does not know")
        checks.true(len(repeats) <= KILLS, f"repeats only where a kill fell between send and record ({len(repeats)})")
        print(f"{KILLS} kills, {count(database, 'items')} items, {hits} hits, {len(sent)} alerts sent, "
              f"{len(repeats)} repeats dropped by key, in {time.monotonic() - started:.0f}s")
finally:
    for process in (server, receiver):
        if process:
            process.kill()
            process.wait()
checks.finish()
