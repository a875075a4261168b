"""Resource bounds end to end: signalmond polls a gzip bomb, an endless body, a body that lies about
its length and a feed with more items than the cap, from loopback and local fixtures. Each bad feed
is recorded as failing with the cap in its error, the good ones are stored up to the item cap, and
the daemon's peak memory stays far below what the hostile answers would need. A 12 MB JSON Feed of
tiny members (the shape that costs a JSON DOM most) is parsed in bounded memory too."""
import json
import os
import resource
import subprocess
import sys
import tempfile

from harness import Checks, parse_args, run, run_json

K_MAX_ITEMS = 10_000  # feed::k_max_items
args = parse_args()
checks = Checks()
server = subprocess.Popen([sys.executable, os.path.join(args.source_dir, "tests", "servers", "fixture_http_server.py")],
                          stdout=subprocess.PIPE, text=True)
port = int(server.stdout.readline())
try:
    with tempfile.TemporaryDirectory(prefix="signalmon-bounds-") as work:
        with open(os.path.join(work, "many.xml"), "w") as many:
            many.write('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Many</title>')
            many.writelines(f"<item><guid>item-{n}</guid><title>Item {n}</title></item>" for n in range(K_MAX_ITEMS + 500))
            many.write("</channel></rss>\n")
        os.makedirs(os.path.join(work, "rules"))
        with open(os.path.join(work, "rules", "any.yaml"), "w") as rules:
            rules.write("brief:\n  id: b\n  title: t\n  threshold: 1\nsignals:\n  - id: s\n    kind: watch\n"
                        "    weight: 1\n    any: [\"item 7\"]\n")
        config = os.path.join(work, "feeds.yaml")
        with open(config, "w") as out:
            out.write("state_dir: state\nrules_dir: rules\ntimeout: 8s\nmax_body_size: 4MiB\nfeeds:\n"
                      "  - id: many\n    url: many.xml\n")
            for feed_id, path in [("bomb", "/gzip-bomb"), ("endless", "/huge"), ("liar", "/huge-content-length"),
                                  ("good", "/feed.xml")]:
                out.write(f"  - id: {feed_id}\n    url: http://127.0.0.1:{port}{path}\n")
        run([args.signalmond, "--config", config, "--once"])
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        feeds = {feed["id"]: feed for feed in run_json([args.signalctl, "--config", config, "feeds", "--json"])}
        for feed_id in ["bomb", "endless", "liar"]:
            checks.equal(feeds[feed_id]["status"], "failing", f"{feed_id} is recorded as failing")
            checks.true("larger than 4 MiB" in feeds[feed_id].get("last_error", ""),
                        f"{feed_id}'s error names the cap: {feeds[feed_id].get('last_error')!r}")
        checks.equal(feeds["good"]["status"], "ok", "a good feed on the same server is unaffected")
        checks.equal(feeds["many"]["items"], K_MAX_ITEMS, "a feed is cut at k_max_items items")
        # The bomb inflates to 128 MiB and /huge sends 20 MiB: neither may be held in memory.
        # Sanitizer runtimes keep freed memory in quarantine, so only an uninstrumented build is measured.
        with open(args.signalmond, "rb") as binary:
            image = binary.read()
        instrumented = b"__asan_init" in image or b"__tsan_init" in image
        print(f"peak memory {peak_mib:.0f} MiB{' (sanitizer build: not checked)' if instrumented else ''}")
        if not instrumented:
            checks.true(peak_mib < 120, f"peak memory of the daemon stays bounded ({peak_mib:.0f} MiB)")
    with tempfile.TemporaryDirectory(prefix="signalmon-json-") as work:
        # Tiny members make a DOM cost ~30x the text; past the item cap, items are not even kept.
        item = {"id": "", "title": "t", "content_text": "c", "tags": ["a"] * 40, "_x": {str(n): n for n in range(40)}}
        with open(os.path.join(work, "big.json"), "w") as big:
            big.write('{"version": "https://jsonfeed.org/version/1.1", "title": "Big", "items": [')
            for n in range(25_000):
                item["id"] = f"item-{n}"
                big.write(("," if n else "") + json.dumps(item, separators=(",", ":")))
            big.write("]}")
        size_mib = os.path.getsize(os.path.join(work, "big.json")) / 2**20
        os.makedirs(os.path.join(work, "rules"))
        with open(os.path.join(work, "rules", "any.yaml"), "w") as rules:
            rules.write("brief:\n  id: b\n  title: t\n  threshold: 1\nsignals:\n  - id: s\n    kind: watch\n"
                        "    weight: 1\n    any: [\"item 7\"]\n")
        config = os.path.join(work, "feeds.yaml")
        with open(config, "w") as out:
            out.write("state_dir: state\nrules_dir: rules\nmax_body_size: 64MiB\nfeeds:\n  - id: big\n    url: big.json\n")
        # A child python measures its own children, so this peak is this run's alone.
        measured = run([sys.executable, "-c", "import resource, subprocess, sys; "
                        "subprocess.run(sys.argv[1:], check=True); "
                        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)",
                        args.signalmond, "--config", config, "--once"])
        json_peak_mib = int(measured.stdout.split()[-1])
        feeds = {feed["id"]: feed for feed in run_json([args.signalctl, "--config", config, "feeds", "--json"])}
        checks.equal(feeds["big"]["items"], K_MAX_ITEMS, "a JSON feed is cut at k_max_items items")
        print(f"JSON feed of {size_mib:.0f} MiB: peak memory {json_peak_mib} MiB")
        if not instrumented:
            checks.true(json_peak_mib < 6 * size_mib,
                        f"a {size_mib:.0f} MiB JSON feed is parsed in bounded memory ({json_peak_mib} MiB)")
finally:
    server.kill()
    server.wait()
checks.finish()
