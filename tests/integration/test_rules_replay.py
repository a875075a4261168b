"""Replay, hits --explain and match on a real store: after a rule edit, replay records the hits the
new rules produce (marked replayed) and lists those they no longer produce; --dry-run writes
nothing; a second replay adds nothing; explanations use the current rules; match never writes."""
import os
import subprocess
import tempfile

from harness import Checks, parse_args, run, run_json

args = parse_args()
checks = Checks()

OLD_RULES = """brief: {id: alpha, title: Alpha, threshold: 2, watch_threshold: 2}
signals:
  - {id: zebra, kind: watch, weight: 1, any: ["zebra crossing"]}
"""
NEW_RULES = """brief: {id: alpha, title: Alpha, threshold: 2}
signals:
  - {id: giraffe, kind: confirm, weight: 2, any: [giraffe*]}
"""

with tempfile.TemporaryDirectory(prefix="signalmon-replay-") as work:
    os.mkdir(os.path.join(work, "rules"))
    rule_file = os.path.join(work, "rules", "alpha.yaml")
    with open(rule_file, "w") as out:
        out.write(OLD_RULES)
    with open(os.path.join(work, "feed.xml"), "w") as out:
        out.write("<rss version='2.0'><channel><title>t</title>"
                  "<item><guid>item-0</guid><link>https://example.org/zebra</link><title>A zebra crossing opens</title>"
                  "<description>Near the zoo.</description></item>"
                  "<item><guid>item-1</guid><link>https://example.org/giraffes</link><title>Giraffes escape</title>"
                  "<description>Two giraffes left the zoo.</description></item>"
                  "</channel></rss>")
    config = os.path.join(work, "feeds.yaml")
    with open(config, "w") as out:
        # The webhook points at a closed local port: alerts stay in the outbox, which is what is checked.
        out.write("state_dir: state\nrules_dir: rules\nitem_retention: 30d\nfeeds:\n  - id: news\n    url: feed.xml\n"
                  "alerts:\n  channels:\n    - {id: hook, type: webhook, url: 'http://127.0.0.1:9/hook'}\n"
                  "  routes:\n    - channels: [hook]\n")
    ctl = [args.signalctl, "--config", config]

    def hits():
        return sorted((hit["item_id"], signal["signal"], hit["replayed"]) for hit in run_json(ctl + ["hits", "--json"])
                      for signal in hit["signals"])

    run([args.signalmond, "--config", config, "--once"])
    checks.equal(hits(), [("item-0", "zebra", False)], "hits from the poll")

    with open(rule_file, "w") as out:
        out.write(NEW_RULES)
    dry = run_json(ctl + ["replay", "--dry-run", "--json"])
    checks.equal(dry["items"], 2, "dry run re-scores both stored items")
    checks.equal([(hit["item_id"], hit["signal"], hit["score"], hit["alerting"]) for hit in dry["new"]],
                 [("item-1", "giraffe", 2, True)], "dry run finds the new hit")
    checks.equal([(hit["item_id"], hit["signal"]) for hit in dry["no_longer_produced"]], [("item-0", "zebra")],
                 "dry run lists the hit the new rules no longer produce")
    checks.equal(dry["recorded"], False, "dry run records nothing")
    checks.equal(hits(), [("item-0", "zebra", False)], "hits unchanged after the dry run")

    text = run(ctl + ["replay"]).stdout
    checks.true("1 new hits (recorded as replayed; no alerts sent)" in text, "replay says what it recorded")
    checks.true("  + alpha/giraffe  confirm  score 2!  news  Giraffes escape" in text, "replay lists the new hit")
    checks.true("  - alpha/zebra  news  A zebra crossing opens" in text, "replay lists the retracted hit")
    checks.equal(hits(), [("item-0", "zebra", False), ("item-1", "giraffe", True)], "replayed hit stored and marked")
    again = run_json(ctl + ["replay", "--json"])
    checks.equal((len(again["new"]), len(again["no_longer_produced"])), (0, 1), "a second replay adds nothing")
    checks.equal(len(run_json(ctl + ["replay", "--json", "--dry-run", "--brief", "alpha"])["no_longer_produced"]), 1,
                 "--brief alpha replays that brief")
    unknown = subprocess.run(ctl + ["replay", "--dry-run", "--brief", "other"], capture_output=True, text=True)
    checks.equal(unknown.returncode, 1, "an unknown --brief is an error")
    checks.true("known briefs: alpha" in unknown.stderr, "the error names the known briefs")

    checks.equal(run_json(ctl + ["alerts", "--json"]), [], "replay without --alert queues no alert")

    explained = run_json(ctl + ["hits", "--json", "--explain"])
    checks.true("current rules" in explained["note"], "--explain says it uses the current rules")
    by_item = {hit["item_id"]: hit["explanation"] for hit in explained["hits"]}
    checks.equal(by_item["item-1"]["briefs"][0]["signals"][0]["matches"],
                 [{"pattern": "giraffe*", "field": "title", "text": "Giraffes"},
                  {"pattern": "giraffe*", "field": "summary", "text": "giraffes"}], "explanation of the replayed hit")
    checks.equal(by_item["item-0"]["briefs"][0]["signals"], [], "the retracted hit no longer matches today")
    table = run(ctl + ["hits", "--explain"]).stdout
    checks.true("explanations re-evaluate the stored item text with the current rules" in table, "table note")
    checks.true("title: «Giraffes» escape" in table, "table explanation with the marked snippet")

    database = os.path.join(work, "state", "signalmon.db")
    before = os.stat(database).st_mtime_ns
    matched = run_json(ctl + ["match", "--json", os.path.join(work, "feed.xml")])
    checks.equal([item["briefs"][0]["scores"]["confirm"] if item["briefs"] else 0 for item in matched], [0, 2],
                 "match scores the feed")
    piped = subprocess.run(ctl + ["match", "-"], input="Giraffe sighting\nA giraffe was seen downtown.\n",
                           capture_output=True, text=True, check=True).stdout
    checks.equal(piped.splitlines()[:3], ["item: Giraffe sighting",
                                          "  brief alpha: confirm 2, kill 0, watch 0; threshold 2 (watch 1); ALERT confirm",
                                          "    matched confirm giraffe, weight 2"], "match on text from stdin")
    checks.true("      'giraffe*' matched \"giraffe\" in summary" in piped,
                "stdin text after the first line is the summary, where fields: [title, summary] signals look")
    checks.equal(os.stat(database).st_mtime_ns, before, "match does not touch the store")

    with open(rule_file, "w") as out:
        out.write(NEW_RULES + "  - {id: zoo, kind: watch, weight: 2, any: [zoo]}\n")
    alerted = run_json(ctl + ["replay", "--alert", "--json"])
    checks.equal(sorted((hit["item_id"], hit["signal"]) for hit in alerted["new"]), [("item-0", "zoo"), ("item-1", "zoo")],
                 "replay --alert records the new hits")
    queued = run_json(ctl + ["alerts", "--pending", "--json"])
    checks.equal(len(queued), 2, "replay --alert queues one alert per alerting item in the outbox")
    checks.true(all(row["brief"] == "alpha" for row in queued), "the queued alerts are for the brief")

    with open(rule_file, "w") as out:
        out.write("brief: {id: alpha, title: Alpha, threshold: 2}\nsignals:\n  - {id: g, kind: confrim, weight: 2, any: [x]}\n")
    bad = run(ctl + ["match", "-"], expect_code=1, input="x\n")
    checks.true(f"{rule_file}:3:19: unknown kind 'confrim' (did you mean 'confirm'?)" in bad.stderr,
                "bad rules are reported with FILE:LINE:COL")

checks.finish()
