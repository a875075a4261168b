"""signalmond as a long-running process: SIGHUP reloads, keeping the running rules when the new ones
are bad; SIGTERM finishes and exits 0."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

from harness import Checks, parse_args, run_json

args = parse_args()
checks = Checks()


def wait_for(process, log_path, text, timeout=20):
    """Waits until text appears in the daemon's log; False if it does not in time or the daemon died."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(log_path) as log:
            if text in log.read():
                return True
        if process.poll() is not None:
            return False
        time.sleep(0.05)
    return False


with tempfile.TemporaryDirectory(prefix="signalmon-it-") as work:
    shutil.copytree(os.path.join(args.source_dir, "rules"), os.path.join(work, "rules"))
    shutil.copy(os.path.join(args.source_dir, "demo", "feeds", "signals-demo.xml"), os.path.join(work, "demo.xml"))
    config_path = os.path.join(work, "feeds.yaml")
    with open(config_path, "w") as config:
        config.write("interval: 1h\nfeeds:\n  - id: demo\n    url: demo.xml\n")
    log_path = os.path.join(work, "daemon.log")
    with open(log_path, "w") as log:
        daemon = subprocess.Popen([args.signalmond, "--config", config_path], stderr=log)
    try:
        checks.true(wait_for(daemon, log_path, "cycle: 1 feeds polled"), "the daemon polls on start")

        rule_file = os.path.join(work, "rules", "rdm-065-open-weights.yaml")
        good_rules = open(rule_file).read()
        with open(rule_file, "w") as broken:
            broken.write(good_rules.replace("    weight: 5\n", "    wieght: 5\n", 1))
        daemon.send_signal(signal.SIGHUP)
        checks.true(wait_for(daemon, log_path, "reload failed, keeping the running config and rules"),
                    "a bad rule edit is refused on SIGHUP")
        broken_line = good_rules[: good_rules.index("    weight: 5\n")].count("\n") + 1
        checks.true(wait_for(daemon, log_path, f"rdm-065-open-weights.yaml:{broken_line}:5: unknown key 'wieght'"),
                    "the refusal names file:line:col")
        checks.equal(daemon.poll(), None, "the daemon keeps running after a bad reload")

        with open(rule_file, "w") as fixed:
            fixed.write(good_rules)
        with open(config_path, "a") as config:
            config.write("  - id: demo-copy\n    url: demo.xml\n")
        daemon.send_signal(signal.SIGHUP)
        checks.true(wait_for(daemon, log_path, "loaded 2 feeds"), "a good reload takes the new feeds")
        checks.true(wait_for(daemon, log_path, "feed demo-copy: 11 items, 11 new"), "the new feed is polled at once")

        daemon.send_signal(signal.SIGTERM)
        checks.equal(daemon.wait(timeout=30), 0, "SIGTERM exits 0")
        checks.true(wait_for(daemon, log_path, "stopped"), "the daemon says it stopped")
    finally:
        if daemon.poll() is None:
            daemon.kill()

    ctl = [args.signalctl, "--config", config_path]
    feeds = {feed["id"]: feed for feed in run_json(ctl + ["feeds", "--json"])}
    checks.equal(sorted(feeds), ["demo", "demo-copy"], "both feeds were polled")
    checks.equal(len({hit["item_id"] for hit in run_json(ctl + ["hits", "--json"]) if hit["feed"] == "demo-copy"}),
                 8, "the copy feed's items are matched as its own")

checks.finish()
