"""Several daemons on one PostgreSQL store, one of them SIGKILLed mid-cycle: three signalmond
instances share 2,000 loopback feeds on twenty hosts (127.0.0.1-20, one politeness lane each) and
deliver alerts to a loopback webhook receiver. Afterwards every feed is still polled on schedule,
no item is matched twice, every alert is delivered once per idempotency key (at most one repeat,
with the same key, for the kill) and no host saw more than its rate budget.

Needs the throwaway cluster of the CTest fixture (SIGNALMON_TEST_POSTGRES_HOST); skipped without it."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict

from crash_fixture import CANARY_RULES, start_webhook_receiver
from harness import Checks, parse_args

args = parse_args()
checks = Checks()
ENV = {key: value for key, value in os.environ.items() if key not in ("RUNTIME_DIRECTORY", "NOTIFY_SOCKET")}
PG_HOST = os.environ.get("SIGNALMON_TEST_POSTGRES_HOST")
if not PG_HOST:
    print("SKIP: needs SIGNALMON_TEST_POSTGRES_HOST (the postgresql CTest fixture)")
    sys.exit(77)

FEEDS = 2000
HOSTS = 20
INTERVAL = 10  # seconds; jitter 0.1
LEASE = 4
RATE = 40  # requests per second per host
DATABASE = f"instances_{os.getpid()}"


def psql(sql, database=DATABASE):
    result = subprocess.run(["psql", "-h", PG_HOST, "-U", "signalmon", "-d", database, "-At", "-F", "\t", "-c", sql],
                            capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        sys.exit(f"FAIL: psql {sql!r}: {result.stderr}")
    return [line.split("\t") for line in result.stdout.splitlines()]


def write_instance(work, name, feed_port, hook_port):
    folder = os.path.join(work, name)
    os.makedirs(os.path.join(folder, "rules"))
    with open(os.path.join(folder, "rules", "canary.yaml"), "w") as rules:
        rules.write(CANARY_RULES)
    config = os.path.join(folder, "feeds.yaml")
    with open(config, "w") as out:
        out.write(f"state_dir: state\nrules_dir: rules\ninstance_id: {name}\nlease: {LEASE}s\n"
                  f"store: postgresql:///{DATABASE}?host={PG_HOST}&user=signalmon\n"
                  f"interval: {INTERVAL}s\nmin_interval: 1s\ntimeout: 10s\nmax_parallel: 16\n"
                  f"per_host_connections: 2\nper_host_rate: {RATE}\nhealth_alert_after: 1h\n"
                  "alerts:\n  cluster_distance: 0\n  retry_base: 1s\n  retry_max: 2s\n  channels:\n"
                  f"    - id: hook\n      type: webhook\n      url: http://127.0.0.1:{hook_port}/hook\n"
                  "  routes:\n    - channels: [hook]\nfeeds:\n")
        for n in range(FEEDS):
            out.write(f"  - id: f{n}\n    url: http://127.0.0.{1 + n % HOSTS}:{feed_port}/feed/{n}.xml\n")
    return config


def start(config, log_path):
    with open(log_path, "a") as log:
        return subprocess.Popen([args.signalmond, "--config", config], stderr=log, env=ENV)


def read(path):
    with open(path, errors="replace") as text:
        return text.read()


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
        return answer.read()


def most_in_a_second(times):
    """The most requests that started within any one second."""
    times = sorted(times)
    most = 0
    first = 0
    for last, at in enumerate(times):
        while at - times[first] >= 1.0:
            first += 1
        most = max(most, last - first + 1)
    return most


def main():
    psql(f"CREATE DATABASE {DATABASE}", database="postgres")
    feed_server = subprocess.Popen([sys.executable, os.path.join(args.source_dir, "tests", "servers",
                                                                 "lane_feed_server.py"),
                                    "--hosts", str(HOSTS), "--epoch", "12"], stdout=subprocess.PIPE, text=True)
    feed_port = int(feed_server.stdout.readline())
    daemons = {}
    with tempfile.TemporaryDirectory(prefix="signalmon-instances-") as work:
        receiver, hook_port, hook_log = start_webhook_receiver(args.source_dir, work)
        try:
            configs = {name: write_instance(work, name, feed_port, hook_port) for name in ("i1", "i2", "i3")}
            logs = {name: os.path.join(work, name + ".log") for name in configs}
            for name, config in configs.items():
                daemons[name] = start(config, logs[name])
            checks.true(wait_for(lambda: all("cycle:" in read(logs[name]) for name in daemons), 30),
                        "every instance polls")
            # Every lane held, by every instance, none beyond its fair share (20 over 3: 7), within a few renewals.
            checks.true(wait_for(lambda: spread(lane_counts()), 20),
                        f"the lanes spread over three instances: {psql('SELECT holder, lane FROM lanes')}")
            status = json.loads(subprocess.run([args.signalctl, "--config", configs["i1"], "status", "--json"],
                                               capture_output=True, text=True, env=ENV, timeout=30).stdout or "{}")
            instance = status.get("instance", {})
            checks.equal(instance.get("id"), "i1", "signalctl status names the instance")
            checks.true(1 <= len(instance.get("lanes", [])) <= -(-HOSTS // 3), f"status lists its lanes: {instance}")
            checks.equal(len(instance.get("instances", [])), 3, "status lists the three instances alive")

            # Kill the one holding the most lanes, in the middle of its polling.
            victim = max(lane_counts(), key=len)[0]
            victim_lanes = {lane for holder, lane in psql("SELECT holder, lane FROM lanes") if holder == victim}
            checks.true(wait_for(lambda: read(logs[victim]).count("cycle:") >= 3, 30), "the victim polls")
            killed_at = time.time()
            daemons[victim].send_signal(signal.SIGKILL)
            daemons[victim].wait()
            # Its lanes pass to the survivors once its leases run out and it no longer counts as alive
            # (a lease after its last heartbeat), at their next rebalance between cycles.
            checks.true(wait_for(lambda: not any(holder == victim for holder, _ in psql("SELECT holder, lane FROM lanes")),
                                 2 * LEASE + 20), "the dead instance's lanes are taken over")
            taken_over_after = time.time() - killed_at
            time.sleep(INTERVAL / 2)  # the taken-over feeds are due: polled at once
            get(feed_port, "/freeze")
            checks.true(wait_for(lambda: psql("SELECT count(*) FROM outbox WHERE status <> 'sent'") == [["0"]],
                                 LEASE + 20),
                        f"every alert is delivered: {psql('SELECT status, count(*) FROM outbox GROUP BY status')}")
            stopped_at = time.time()
        finally:
            for daemon in daemons.values():
                if daemon.poll() is None:
                    daemon.terminate()
            for daemon in daemons.values():
                daemon.wait(timeout=60)
            receiver.kill()
            receiver.wait()
        requests = json.loads(get(feed_port, "/requests"))
        feed_server.kill()
        feed_server.wait()

        # On schedule: every feed is polled at least every interval (+ jitter); a dead instance's feeds
        # wait at most two leases more (its last lease runs out; it stops counting as alive, so the
        # survivors' share grows), a renewal, the survivor's cycle in flight, then their turn in their
        # lane, which the host's budget paces (FEEDS / HOSTS polls at RATE a second).
        polls = defaultdict(list)
        for host, feed, at in requests:
            polls[feed].append(at)
        checks.equal(len(polls), FEEDS, "every feed is polled")
        lane_round = FEEDS / HOSTS / RATE
        allowed_gap = INTERVAL * 1.1 + 2 * LEASE + LEASE / 3 + 3 * lane_round + 5
        late = {}
        for feed, times in polls.items():
            times.sort()
            gaps = [later - earlier for earlier, later in zip(times, times[1:])]
            if gaps and max(gaps) > allowed_gap:
                late[feed] = round(max(gaps), 1)
            if stopped_at - times[-1] > allowed_gap:
                late[feed] = f"last polled {stopped_at - times[-1]:.1f}s before the end"
        checks.true(not late, f"every feed polled within {allowed_gap:.0f}s of its last poll: "
                              f"{len(late)} late, e.g. {list(late.items())[:5]}")
        taken_over = [feed for feed in range(FEEDS) if f"host:127.0.0.{1 + feed % HOSTS}" in victim_lanes]
        checks.true(all(any(at > killed_at for at in polls[feed]) for feed in taken_over),
                    "the dead instance's feeds are polled after the kill")

        # No item matched twice: each item once per (feed, key), each canary item exactly one hit.
        checks.equal(psql("SELECT count(*) FROM (SELECT feed_id, key FROM items GROUP BY 1, 2 HAVING count(*) > 1) t"),
                     [["0"]], "no item stored twice")
        checks.equal(psql("SELECT count(*) FROM (SELECT item_id FROM hits GROUP BY item_id HAVING count(*) > 1) t"),
                     [["0"]], "no item matched twice")
        unmatched = psql("SELECT count(*) FROM items i WHERE i.feed_id ~ '^f[0-9]+$' "
                         "AND substr(i.feed_id, 2)::int % 25 = 0 AND NOT EXISTS (SELECT 1 FROM hits h WHERE h.item_id = i.id)")
        checks.equal(unmatched, [["0"]], "every canary item has its hit")
        hashes = psql("SELECT DISTINCT rules_hash FROM hits")
        checks.true(len(hashes) == 1 and hashes[0][0] != "", f"hits record the one rules hash: {hashes}")

        # Once per idempotency key, apart from at most one repeat for the kill.
        deliveries = [json.loads(line) for line in read(hook_log).splitlines()]
        by_key = Counter(entry["headers"].get("Idempotency-Key") for entry in deliveries if entry["status"] == 200)
        keys = {row[0] for row in psql("SELECT idempotency_key FROM outbox")}
        checks.true(len(keys) > 100, f"alerts were raised: {len(keys)}")
        checks.equal(set(by_key), keys, "every alert reached the receiver, and nothing else did")
        repeats = {key: count for key, count in by_key.items() if count > 1}
        checks.true(len(repeats) <= 1 and all(count == 2 for count in repeats.values()),
                    f"each key delivered once, at most one repeat for the kill: {repeats}")

        # The per-host budget held across instances.
        by_host = defaultdict(list)
        for host, feed, at in requests:
            by_host[host].append(at)
        busiest = {host: most_in_a_second(times) for host, times in by_host.items()}
        checks.true(max(busiest.values()) <= RATE + 2,
                    f"no host got more than {RATE} requests a second (+2 at a cycle's edge): {busiest}")
        print(f"polls: {len(requests)}, alerts: {len(keys)}, repeats: {len(repeats)}, busiest second per host: "
              f"{max(busiest.values())}, lanes taken over {taken_over_after:.1f}s after the kill")
        for name, log in logs.items():
            print(name, [line[:19] + line[-80:] for line in read(log).splitlines() if "leases:" in line][-6:])
    psql(f"DROP DATABASE {DATABASE} WITH (FORCE)", database="postgres")
    checks.finish()


def spread(counts):
    """Whether all HOSTS lanes are held by three live instances, each within its fair share."""
    held = [len(row) - 1 for row in counts]
    return len(held) == 3 and sum(held) == HOSTS and min(held) >= 1 and max(held) <= -(-HOSTS // 3)


def lane_counts():
    """Lanes held per live holder: [[holder, lane, lane, ...], ...]."""
    held = defaultdict(list)
    for holder, lane in psql(f"SELECT holder, lane FROM lanes WHERE expires_at > extract(epoch FROM now())::bigint"):
        if holder:
            held[holder].append(lane)
    return [[holder] + lanes for holder, lanes in held.items()]


main()
