"""Hot reload under a running daemon: a bad edit to a rule file keeps the old rules matching and
logs FILE:LINE:COL; a good edit (and a new rule file) takes effect without a restart."""
import os
import signal
import subprocess
import tempfile
import time

from harness import Checks, parse_args, run_json

args = parse_args()
checks = Checks()

GOOD_ALPHA = """brief: {id: alpha, title: Alpha, threshold: 1}
signals:
  - {id: zebra, kind: watch, weight: 1, any: ["zebra crossing"]}
"""
BAD_ALPHA = """brief: {id: alpha, title: Alpha, threshold: 1}
signals:
  - {id: zebra, kind: watch, weight: 1, any: ["zebra crossing"], wieght: 2}
"""
BETA = """brief: {id: beta, title: Beta, threshold: 1}
signals:
  - {id: giraffe, kind: watch, weight: 1, any: [giraffe]}
"""


def write(path, text):
    # Write then rename, as editors do, so the daemon never reads half a file.
    with open(path + ".tmp", "w") as out:
        out.write(text)
    os.replace(path + ".tmp", path)


def write_feed(path, titles):
    items = "".join(f"<item><guid>item-{i}</guid><title>{title}</title></item>" for i, title in enumerate(titles))
    write(path, f"<rss version='2.0'><channel><title>t</title>{items}</channel></rss>")


def wait_for(what, condition, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    checks.true(False, f"timed out waiting for {what}")
    return False


with tempfile.TemporaryDirectory(prefix="signalmon-reload-") as work:
    os.mkdir(os.path.join(work, "rules"))
    alpha = os.path.join(work, "rules", "alpha.yaml")
    feed = os.path.join(work, "feed.xml")
    write(alpha, GOOD_ALPHA)
    titles = ["A zebra crossing opens"]
    write_feed(feed, titles)
    config = os.path.join(work, "feeds.yaml")
    with open(config, "w") as out:
        out.write("state_dir: state\nrules_dir: rules\ninterval: 1s\nmin_interval: 1s\njitter: 0\nfeeds:\n  - id: news\n    url: feed.xml\n")
    ctl = [args.signalctl, "--config", config]
    log_path = os.path.join(work, "daemon.log")

    def briefs_hit():
        return sorted(hit["brief"] + ":" + hit["item_id"] for hit in run_json(ctl + ["hits", "--json", "--since", "1h"]))

    def log():
        with open(log_path) as text:
            return text.read()

    with open(log_path, "w") as log_file:
        daemon = subprocess.Popen([args.signalmond, "--config", config], stderr=log_file)
        try:
            wait_for("the first hit", lambda: os.path.exists(os.path.join(work, "state", "signalmon.db")) and
                     briefs_hit() == ["alpha:item-0"])

            write(alpha, BAD_ALPHA)
            wait_for("the failed reload", lambda: "reload failed" in log())
            checks.true(f"{os.path.join(work, 'rules', 'alpha.yaml')}:3:66: unknown key 'wieght' in signal" in log(),
                        "the failed reload logs FILE:LINE:COL: message")
            titles.append("Second zebra crossing approved")
            write_feed(feed, titles)
            wait_for("a hit from the old rules after the bad edit",
                     lambda: briefs_hit() == ["alpha:item-0", "alpha:item-1"])
            checks.equal(daemon.poll(), None, "the daemon keeps running after a bad edit")

            write(alpha, GOOD_ALPHA)
            write(os.path.join(work, "rules", "beta.yaml"), BETA)
            wait_for("the good reload", lambda: "2 briefs with 2 signals" in log())
            titles.append("A giraffe escapes")
            write_feed(feed, titles)
            wait_for("a hit from the new brief", lambda: "beta:item-2" in briefs_hit())
            checks.equal(log().count("reloading"), 2, "one reload per burst of edits (bad edit, then good edit)")
        finally:
            daemon.send_signal(signal.SIGTERM)
            checks.equal(daemon.wait(timeout=30), 0, "clean exit on SIGTERM")

checks.finish()
