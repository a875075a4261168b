"""signalctl ledger on a real store: its figures equal a count made here independently from
`signalctl hits --json` (stories = copies sharing a canonical link, counted once per kind, dated by
their first copy); a rule change followed by `replay` changes the ledger; CSV and --help work."""
import calendar
import collections
import csv
import io
import os
import tempfile
import time
import urllib.parse
from email.utils import formatdate

from harness import Checks, parse_args, run, run_json, store_yaml

args = parse_args()
checks = Checks()

RULES = """brief: {id: nickel, title: Nickel supply tightens, threshold: 2}
signals:
  - {id: mine-closes, kind: confirm, weight: 3, any: ["mine closure*", "smelter halt*"]}
  - {id: export-ban, kind: confirm, weight: 2, any: ["export ban*"]}
  - {id: new-supply, kind: kill, weight: 3, any: ["new mine*", "output surge*"]}
  - {id: talks, kind: watch, weight: 1, any: [nickel]}
"""
# The edit replay must pick up: tariffs now count as kill evidence.
RULES_EDITED = RULES + "  - {id: tariff-cut, kind: kill, weight: 2, any: [\"tariff cut*\"]}\n"

NOW = int(time.time())
DAY = 86400
# (key, days ago, title, link): the wire feed and a paper that reprints two of its stories with
# tracking parameters and www. added, a day later.
WIRE = [
    ("w1", 40, "Nickel smelter halts after mine closure", "https://wire.example/a/1"),
    ("w2", 20, "Indonesia weighs nickel export ban", "https://wire.example/a/2"),
    ("w3", 12, "Output surge at new mine", "https://wire.example/a/3"),
    ("w4", 5, "Nickel mine closure spreads", "https://wire.example/a/4"),
    ("w5", 3, "Nickel tariff cut agreed", "https://wire.example/a/5"),
    ("w6", 200, "Old nickel mine closure", "https://wire.example/a/6"),  # outside --since 90d
    ("w7", 1, "Copper prices", "https://wire.example/a/7"),  # no hit at all
]
PAPER = [
    ("p1", 39, "Nickel smelter halts after mine closure", "https://www.wire.example/a/1/?utm_source=paper"),
    ("p2", 11, "Output surge at new mine (wire)", "http://wire.example/a/3?fbclid=abc#top"),
]


def rss(items):
    body = "".join(f"<item><guid>{key}</guid><title>{title}</title><link>{link.replace('&', '&amp;')}</link>"
                   f"<pubDate>{formatdate(NOW - days * DAY + 3600, usegmt=True)}</pubDate>"
                   f"<description>{title}.</description></item>" for key, days, title, link in items)
    return f"<rss version='2.0'><channel><title>t</title>{body}</channel></rss>"


def canonical(link):
    """The canonical link as the README documents it, written here from scratch."""
    parts = urllib.parse.urlsplit(link)
    host = parts.netloc.lower().removeprefix("www.")
    query = sorted(p for p in parts.query.split("&") if p and not p.split("=")[0].startswith("utm_")
                   and p.split("=")[0] not in {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref",
                                               "cmpid", "ocid"})
    return host + parts.path.rstrip("/") + ("?" + "&".join(query) if query else "")


def to_unix(rfc3339):
    return calendar.timegm(time.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ"))


def independent_ledger(ctl, since):
    """Per kind: {canonical link: (first evidence time, best score)} from hits --json."""
    stories = {kind: {} for kind in ("confirm", "kill", "watch")}
    for hit in run_json(ctl + ["hits", "--json", "--since", "3650d", "--limit", "1000"]):
        evidence = min(to_unix(hit["published"]), to_unix(hit["found_at"]))
        if evidence < since:
            continue
        for kind in {signal["kind"] for signal in hit["signals"]}:
            key = canonical(hit["link"])
            first, best = stories[kind].get(key, (evidence, 0))
            stories[kind][key] = (min(first, evidence), max(best, hit["scores"][kind]))
    return stories


def check_ledger(ctl, what):
    ledger = run_json(ctl + ["ledger", "--json", "--by", "day", "--since", "90d"])
    checks.equal([entry["brief"] for entry in ledger], ["nickel"], f"{what}: one brief")
    nickel = ledger[0]
    since = to_unix(nickel["since"])
    expected = independent_ledger(ctl, since)
    for kind, stories in expected.items():
        checks.equal(nickel["totals"][kind], len(stories), f"{what}: distinct {kind} stories")
        per_day = collections.Counter((first - first % DAY) for first, _ in stories.values())
        actual_days = {to_unix(p["start"]): p[kind] for p in nickel["periods"] if p[kind]}
        checks.equal(actual_days, dict(per_day), f"{what}: {kind} stories per day")
        best = sorted((score for _, score in stories.values()), reverse=True)[:3]
        checks.equal([s["score"] for s in nickel["strongest"][kind]], best, f"{what}: strongest {kind} scores")
        last = max((first for first, _ in stories.values()), default=None)
        checks.equal(to_unix(nickel["last"][kind]) if nickel["last"][kind] else None, last, f"{what}: last {kind}")
    confirm, kill = len(expected["confirm"]), len(expected["kill"])
    lead = (f"confirm evidence leads {confirm}–{kill}" if confirm > kill else
            f"kill evidence leads {kill}–{confirm}" if kill > confirm else
            f"confirm and kill evidence are level at {confirm}–{kill}")
    checks.true(nickel["verdict"].startswith(lead + " over 90 days; last "), f"{what}: verdict {nickel['verdict']!r}")
    return nickel


with tempfile.TemporaryDirectory(prefix="signalmon-ledger-") as work:
    os.mkdir(os.path.join(work, "rules"))
    rule_file = os.path.join(work, "rules", "nickel.yaml")
    with open(rule_file, "w") as out:
        out.write(RULES)
    with open(os.path.join(work, "rules", "other.yaml"), "w") as out:
        out.write("brief: {id: other, title: A brief nothing matches, threshold: 1}\n"
                  "signals: [{id: never, kind: confirm, weight: 1, any: [\"zinc smelter strike\"]}]\n")
    for name, items in (("wire.xml", WIRE), ("paper.xml", PAPER)):
        with open(os.path.join(work, name), "w") as out:
            out.write(rss(items))
    config = os.path.join(work, "feeds.yaml")
    with open(config, "w") as out:
        out.write("state_dir: state\nrules_dir: rules\n" + store_yaml() + "feeds:\n  - {id: wire, url: wire.xml}\n"
                  "  - {id: paper, url: paper.xml}\n")
    ctl = [args.signalctl, "--config", config]
    run([args.signalmond, "--config", config, "--once"])

    before = check_ledger(ctl, "after the poll")
    # The hand count of the fixture, so the comparison above cannot pass on two empty ledgers.
    checks.equal(before["totals"], {"confirm": 3, "kill": 1, "watch": 4}, "fixture totals")
    checks.equal(sorted(story["copies"] for story in before["strongest"]["confirm"]), [1, 1, 2],
                 "the reprinted story has two copies")
    checks.equal(before["strongest"]["kill"][0]["copies"], 2, "so has the reprinted kill story")
    checks.true(before["verdict"].endswith("last kill evidence 11 days ago"), "verdict dates the last kill story")

    with open(rule_file, "w") as out:
        out.write(RULES_EDITED)
    run(ctl + ["replay", "--since", "3650d"])
    after = check_ledger(ctl, "after replay")
    checks.equal(after["totals"]["kill"], 2, "replay's new kill evidence is in the ledger")
    checks.true(after["verdict"].startswith("confirm evidence leads 3–2 over 90 days; last kill evidence "),
                "the verdict follows the replay")

    weekly = run_json(ctl + ["ledger", "--json", "--brief", "nickel", "--by", "month", "--since", "400d"])[0]
    checks.equal(weekly["totals"]["confirm"], 4, "a wider window reaches the old story")
    checks.equal(run_json(ctl + ["ledger", "--json", "--brief", "other"])[0]["verdict"],
                 "no confirm or kill evidence over 90 days", "a named brief without evidence")

    rows = list(csv.DictReader(io.StringIO(run(ctl + ["ledger", "--csv", "--by", "week"]).stdout)))
    checks.equal(sum(int(row["confirm"]) for row in rows), 3, "CSV rows add up to the total")
    table = run(ctl + ["ledger"]).stdout
    checks.true("strongest confirm:" in table and "(2 copies)" in table, "the table lists the strongest stories")
    checks.true(run(ctl + ["ledger", "--help"]).stdout.startswith("usage: signalctl ledger"), "ledger --help")
    run(ctl + ["ledger", "--by", "year"], expect_code=2)
    run(ctl + ["ledger", "--json", "--csv"], expect_code=2)
    unknown = run(ctl + ["ledger", "--brief", "nosuch"], expect_code=1)
    checks.true("unknown brief 'nosuch'" in unknown.stderr, "an unknown --brief is an error naming it")

checks.finish()
