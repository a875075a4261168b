"""Crash consistency: SIGKILL signalmond at random moments while it ingests growing feeds from a
loopback server, 50 times over, then check the store: integrity_check passes, every item is stored
once, every item carrying the canary phrase has exactly one hit, no other item has one."""
import os
import random
import signal
import subprocess
import tempfile
import time

from crash_fixture import count, start_bulk_server, store_problems, write_setup
from harness import Checks, parse_args, run

KILLS = 50
FEEDS = 24
args = parse_args()
checks = Checks()
rng = random.Random(int(os.environ.get("SIGNALMON_CRASH_SEED", "8")))
server, port = start_bulk_server(args.source_dir)
started = time.monotonic()
try:
    with tempfile.TemporaryDirectory(prefix="signalmon-crash-") as work:
        config = write_setup(work, port, FEEDS)
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
        print(f"{KILLS} kills, {count(database, 'items')} items, {hits} hits in {time.monotonic() - started:.0f}s")
finally:
    server.kill()
    server.wait()
checks.finish()
