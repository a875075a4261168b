"""End to end: signalmond --once over fixture feeds with the shipped rules, then signalctl.

The shipped brief must fire exactly on the demo items that paraphrase its lines, stay quiet on the
real off-topic feeds, record a broken feed as failing without stopping the others, and never store a
hit twice when polled again."""
import os
import shutil
import tempfile

from harness import Checks, parse_args, run, run_json, store_yaml

args = parse_args()
checks = Checks()
source = args.source_dir

# (item key, signal) pairs the shipped brief must produce on the demo items, and nothing else.
EXPECTED_HITS = {
    ("demo-confirm-procurement", "procurement-demands-open-weights"),
    ("demo-confirm-agentic-gap", "agentic-gap-despite-benchmarks"),
    ("demo-confirm-compute-contracts", "standardized-compute-contracts"),
    ("demo-confirm-compute-contracts", "compute-commodity-market"),
    ("demo-kill-procurement", "procurement-prefers-closed-frontier"),
    ("demo-kill-procurement", "procurement-rarely-asks-open-weights"),
    ("demo-kill-parity", "open-weights-reach-agentic-parity"),
    ("demo-kill-compute-market", "compute-market-fails-to-standardize"),
    ("demo-kill-compute-market", "compute-commodity-market"),
    ("demo-watch-nationalize", "nationalize-frontier-labs"),
    ("demo-watch-nationalize", "government-moves-against-ai-labs"),
    ("demo-watch-sovereign", "sovereign-funds-back-open-models"),
}

with tempfile.TemporaryDirectory(prefix="signalmon-it-") as work:
    shutil.copytree(os.path.join(source, "rules"), os.path.join(work, "rules"))
    shutil.copytree(os.path.join(source, "demo", "feeds"), os.path.join(work, "feeds"))
    with open(os.path.join(work, "feeds", "broken.xml"), "w") as broken:
        broken.write("<rss><channel><item><title>unterminated")
    with open(os.path.join(work, "feeds.yaml"), "w") as config:
        config.write("state_dir: state\nrules_dir: rules\ninterval: 1h\ntimezone: Europe/Berlin\n" + store_yaml() +
                     "feeds:\n")
        for feed_id, name in [("signals", "signals-demo.xml"), ("cloudflare", "cloudflare-blog.xml"),
                              ("dustri", "dustri-blog.atom.xml"), ("bbc", "bbc-in-our-time.xml"),
                              ("jsonfeed", "jsonfeed-example.json"), ("edgar", "sec-edgar-current.atom.xml"),
                              ("broken", "broken.xml"), ("missing", "no-such-file.xml")]:
            config.write(f"  - id: {feed_id}\n    url: feeds/{name}\n")
        offtopic = os.path.join(source, "tests", "data", "pipeline", "offtopic")
        for name in sorted(os.listdir(offtopic)):
            config.write(f"  - id: offtopic-{name.replace('_', '-')}\n    url: {os.path.join(offtopic, name)}\n")
    ctl = [args.signalctl, "--config", os.path.join(work, "feeds.yaml")]

    run([args.signalmond, "--config", os.path.join(work, "feeds.yaml"), "--once"])
    hits = run_json(ctl + ["hits", "--json"])
    checks.equal({(hit["item_id"], signal["signal"]) for hit in hits for signal in hit["signals"]}, EXPECTED_HITS,
                 "hits after the first poll")
    checks.equal(len(hits), len({(hit["item_id"], hit["brief"]) for hit in hits}), "one row per story per brief")
    checks.equal({hit["feed"] for hit in hits}, {"signals"}, "only the demo feed produces hits")
    offtopic_feeds = [feed for feed in run_json(ctl + ["feeds", "--json"]) if feed["id"].startswith("offtopic-")]
    checks.true(len(offtopic_feeds) >= 40 and sum(feed["items"] for feed in offtopic_feeds) >= 450,
                "hundreds of real off-topic items were read (and produced no hit)")
    required = {"found_at", "brief", "scores", "alerting", "alerting_kinds", "feed", "item_id", "title", "link",
                "published", "signals", "replayed"}
    checks.true(all(required <= set(hit) for hit in hits), "every story has the documented JSON fields")
    checks.true(all({"signal", "kind", "weight", "alerting", "terms", "snippet"} <= set(signal)
                    for hit in hits for signal in hit["signals"]), "every signal has the documented JSON fields")
    by_item = {hit["item_id"]: hit for hit in hits}
    procurement = by_item["demo-confirm-procurement"]
    checks.equal([signal["kind"] for signal in procurement["signals"]], ["confirm"], "procurement hit kind")
    checks.equal(procurement["scores"], {"confirm": 5, "kill": 0, "watch": 0}, "procurement scores, kind by kind")
    checks.equal(procurement["alerting_kinds"], ["confirm"], "procurement hit alerts (confirm 5 >= threshold 5)")
    checks.equal(procurement["published"], "2026-03-09T08:00:00Z", "published as RFC 3339 UTC")
    checks.equal(procurement["link"], "https://demo.signalmon.invalid/2026/03/eu-tender-open-weights", "link")
    signal = procurement["signals"][0]
    checks.true(any("tender" in term.lower() for term in signal["terms"]), "terms name the matched words")
    checks.true(signal["snippet"] != "", "snippet is not empty")
    both = by_item["demo-kill-compute-market"]
    checks.equal(sorted(signal["kind"] for signal in both["signals"]), ["kill", "watch"],
                 "a story with kill and watch evidence is one row listing both")
    checks.equal(by_item["demo-watch-nationalize"]["alerting"], True, "watch evidence alerts by default (watch_threshold 1)")

    feeds = {feed["id"]: feed for feed in run_json(ctl + ["feeds", "--json"])}
    checks.equal(feeds["broken"]["status"], "failing", "the malformed feed is recorded as failing")
    checks.true(feeds["broken"].get("last_error", "").startswith("parse: "), "its error says parse")
    checks.equal(feeds["missing"]["status"], "failing", "the missing file is recorded as failing")
    checks.true(feeds["missing"].get("last_error", "").startswith("fetch: "), "its error says fetch")
    for feed_id in ["signals", "cloudflare", "dustri", "bbc", "jsonfeed", "edgar"]:
        checks.equal(feeds[feed_id]["status"], "ok", f"feed {feed_id} is ok")
        checks.true(feeds[feed_id]["items"] > 0, f"feed {feed_id} stored items")

    # A second cycle finds nothing new: items are matched once.
    run([args.signalmond, "--config", os.path.join(work, "feeds.yaml"), "--once"])
    again = run_json(ctl + ["hits", "--json"])
    checks.equal(len(again), len(hits), "no duplicate hits after polling again")
    failures = {feed["id"]: feed["consecutive_failures"] for feed in run_json(ctl + ["feeds", "--json"])}
    checks.equal(failures["broken"], 2, "the broken feed counts its consecutive failures")
    checks.equal(failures["signals"], 0, "a healthy feed has none")

    # Filters.
    checks.equal({signal["kind"] for hit in run_json(ctl + ["hits", "--json", "--kind", "kill"])
                  for signal in hit["signals"]}, {"kill"}, "--kind")
    checks.true(all(max(hit["scores"].values()) >= 5 for hit in run_json(ctl + ["hits", "--json", "--min-score", "5"])),
                "--min-score")
    checks.equal(len(run_json(ctl + ["hits", "--json", "--limit", "2"])), 2, "--limit")
    checks.equal(run_json(ctl + ["hits", "--json", "--since", "2999-01-01T00:00:00Z"]), [], "--since in the future")
    csv = run(ctl + ["hits", "--csv"]).stdout.splitlines()
    checks.equal(len(csv), len(hits) + 1, "--csv prints a header and one line per story")
    table = run(ctl + ["hits"]).stdout
    checks.true("rdm-065-open-weights" in table and f"{len(hits)} stories" in table and "signals: " in table,
                "table output: one entry per story with its signals")
    # 80 columns: titles wrap inside their column, each link is a line of its own, times on the
    # timezone's clock (Berlin: CET or CEST), or UTC with --utc.
    lines = table.splitlines()
    checks.equal([line for line in lines if len(line) > 80 and not line.strip().startswith("http")], [],
                 "every table line but a long link fits 80 columns")
    checks.true(all(f"    {hit['link']}" in lines for hit in hits), "each link on its own line")
    long_title = max((hit["title"] for hit in hits), key=len)
    checks.true(len(long_title) < 76 or long_title not in table, "a long title is wrapped, not printed on one line")
    checks.true(" ".join(long_title.split()) in " ".join(line.strip() for line in lines), "the wrapped title reads whole")
    checks.true(any(line.split()[2] in ("CET", "CEST") for line in lines if line[:2] == "20"), "times in Berlin's zone")
    checks.true(all(line.split()[2] == "UTC" for line in run(ctl + ["hits", "--utc"]).stdout.splitlines()
                    if line[:2] == "20"), "--utc shows UTC")

    # An unknown id is an error naming the known ones, never "0 hits".
    unknown = run(ctl + ["hits", "--brief", "nope"], expect_code=1).stderr
    checks.true("unknown brief 'nope'" in unknown and "known briefs: rdm-065-open-weights" in unknown,
                f"hits --brief nope names the known briefs: {unknown}")
    typo = run(ctl + ["hits", "--brief", "rdm-065-open-weight"], expect_code=1).stderr
    checks.true("did you mean 'rdm-065-open-weights'" in typo, "a typo of a brief id gets a suggestion")
    checks.true("known kinds: confirm, kill, watch" in run(ctl + ["hits", "--kind", "kil"], expect_code=1).stderr,
                "hits --kind names the kinds")
    match_feed = run(ctl + ["match", "--feed", "nope", os.path.join(work, "feeds", "signals-demo.xml")],
                     expect_code=1).stderr
    checks.true("unknown feed 'nope'" in match_feed and "signals, cloudflare" in match_feed,
                "match --feed names the feeds")
    checks.true("known briefs: rdm-065-open-weights" in run(ctl + ["match", "--brief", "x", "-"], expect_code=1,
                                                            input="text").stderr, "match --brief names the briefs")
    checks.true("unknown brief 'x'" in run(ctl + ["replay", "--dry-run", "--brief", "x"], expect_code=1).stderr,
                "replay --brief names the briefs")

    # signalctl parse --json: the contract feed conformance is checked against.
    parsed = run_json(ctl + ["parse", os.path.join(work, "feeds", "signals-demo.xml"), "--json",
                             "--base-url", "https://demo.signalmon.invalid/feed.xml"])
    checks.equal(parsed["format"], "rss", "parse: format")
    checks.equal(parsed["title"], "signalmon demo wire", "parse: feed title")
    checks.equal(len(parsed["items"]), 11, "parse: every item")
    first = parsed["items"][0]
    checks.equal(first["id"], "demo-confirm-procurement", "parse: item id is the guid")
    checks.equal(first["published"], "2026-03-09T08:00:00Z", "parse: RFC 3339 UTC")
    checks.equal(first["author"], "Demo Desk", "parse: dc:creator is the author")
    checks.equal(first["categories"], ["Procurement"], "parse: categories")
    checks.true("<" not in first["summary"] and "open\u2011weight" in first["summary"], "parse: HTML stripped, entities decoded")
    checks.true("updated" not in first and "content" not in first, "parse: absent fields omitted")
    checks.equal(run(ctl + ["parse", os.path.join(work, "feeds", "broken.xml"), "--json"], expect_code=1).stdout, "",
                 "parse: a malformed feed is an error, exit 1")

    # Usage errors exit 2 with a message; a bad config exits 1 and names file:line:col.
    checks.true("did you mean '--kind'" in run(ctl + ["hits", "--knd", "x"], expect_code=2).stderr, "did you mean")
    with open(os.path.join(work, "bad.yaml"), "w") as bad:
        bad.write("feeds:\n  - id: a\n    url: a.xml\n    intrval: 5m\n")
    bad_run = run([args.signalmond, "--config", os.path.join(work, "bad.yaml"), "--once"], expect_code=1)
    checks.true("bad.yaml:4:5: unknown key 'intrval' in feed (did you mean 'interval'?)" in bad_run.stderr,
                "signalmond refuses a bad config with file:line:col")

checks.finish()
