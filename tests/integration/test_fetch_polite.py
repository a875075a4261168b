"""Polite fetching end to end: signalmond --once, twice, against the fixture HTTP server on 127.0.0.1.

Asserts what the server saw (conditional headers, User-Agent, pacing under the per-host budget, a
moved feed polled at its new URL) and what was stored (304s counted with the bytes they saved,
next polls from Retry-After, rate limiting, max-age and backoff, errors for trickling, oversized and
gzip-bomb bodies, text decoded from wrong or legacy charsets), plus the EDGAR User-Agent refusal and
OPML export/import."""
import datetime
import os
import shutil
import sqlite3
import subprocess
import tempfile

from harness import Checks, parse_args, run, run_json

args = parse_args()
checks = Checks()
source = args.source_dir
USER_AGENT = "signalmon-it/1.0 (it@example.com)"
PER_HOST_RATE = 8


def start_server():
    server = subprocess.Popen(["python3", os.path.join(source, "tests", "servers", "fixture_http_server.py")],
                              stdout=subprocess.PIPE, text=True)
    return server, int(server.stdout.readline())


def seconds(rfc3339):
    return datetime.datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()


def wait_between(feed):
    return seconds(feed["next_poll"]) - seconds(feed["last_poll"])


server, port = start_server()
base = f"http://127.0.0.1:{port}"
os.environ["no_proxy"] = os.environ["NO_PROXY"] = "127.0.0.1,localhost"
FEEDS = [  # id, url, extra keys
    ("conditional", f"{base}/data/federal_register_ai.rss.xml", ""),
    ("gzip", f"{base}/data/edgar_getcurrent_10-K.atom.xml?gzip=1", ""),
    ("moved-301", f"{base}/old-feed", ""),
    ("moved-308", f"{base}/moved-feed", ""),
    ("wrong-charset", f"{base}/data/windows-1252_labelled_latin1.xml?type=text/xml;+charset%3Dutf-8", ""),
    ("koi8r", f"{base}/data/miniflux_koi8r.xml?type=text/xml;+charset%3Dkoi8-r", ""),
    ("cached", f"{base}/cached", ""),
    ("limited", f"{base}/status/429", "    interval: 1m\n"),
    ("broken", f"{base}/status/500", "    interval: 2m\n    health_alert_after: 1s\n"),
    ("forbidden", f"{base}/status/403", "    interval: 2m\n"),
    ("edgar-forbidden", f"http://localhost:{port}/status/403", "    interval: 2m\n"),
    ("trickle", f"{base}/trickle", ""),
    ("huge", f"{base}/huge", ""),
    ("bomb", f"{base}/gzip-bomb", ""),
    ("article", f"{base}/pages/articles.rss.xml", "    fetch_article: true\n    allow_private: true\n"),
    ("article-guarded", f"{base}/pages/articles.rss.xml", "    fetch_article: true\n"),
    ("edgar-document", f"http://localhost:{port}/pages/edgar_company.atom.xml",
     "    fetch_document: true\n    allow_private: true\n"),
]

try:
    with tempfile.TemporaryDirectory(prefix="signalmon-polite-") as work:
        shutil.copytree(os.path.join(source, "rules"), os.path.join(work, "rules"))
        config_path = os.path.join(work, "feeds.yaml")
        with open(config_path, "w") as config:
            config.write(f'state_dir: state\nrules_dir: rules\nuser_agent: "{USER_AGENT}"\ninterval: 1h\n'
                         f"jitter: 0.1\nmax_body_size: 1MiB\nlow_speed_limit: 1000\nlow_speed_time: 2s\n"
                         f"per_host_connections: 2\nper_host_rate: {PER_HOST_RATE}\n"
                         # The built-in EDGAR profile, pointed at the fixture server under another name.
                         f"sources:\n  sec-edgar:\n    hosts: [localhost]\nfeeds:\n")
            for feed_id, url, extra in FEEDS:
                config.write(f'  - id: {feed_id}\n    url: "{url}"\n{extra}')
        daemon = [args.signalmond, "--config", config_path, "--once"]
        ctl = [args.signalctl, "--config", config_path]

        first = run(daemon)
        feeds = {feed["id"]: feed for feed in run_json(ctl + ["feeds", "--json"])}
        for feed_id in ["conditional", "gzip", "moved-301", "moved-308", "wrong-charset", "koi8r", "cached"]:
            checks.equal(feeds[feed_id]["status"], "ok", f"{feed_id} is ok")
        checks.equal(feeds["moved-301"].get("moved_to"), f"{base}/feed.xml", "301 records the new URL")
        checks.equal(feeds["moved-308"].get("moved_to"), f"{base}/feed.xml", "308 records the new URL")
        checks.true("moved permanently" in first.stderr, "a move is reported in the log")
        hit_signals = {(hit["feed"], signal["signal"]) for hit in run_json(ctl + ["hits", "--json"])
                       for signal in hit["signals"]}
        checks.true(("article", "procurement-demands-open-weights") in hit_signals,
                    "the article's text is matched by the rules")
        checks.true(not any(feed == "article-guarded" for feed, _ in hit_signals), "the summary alone does not match")

        # Next polls: interval with jitter, max-age as a lower bound, Retry-After, rate limiting, backoff.
        checks.true(3600 <= wait_between(feeds["conditional"]) <= 3960 + 1, "next poll: 1 h interval plus up to 10 %")
        checks.true(7200 <= wait_between(feeds["cached"]) <= 7920 + 1, "next poll: Cache-Control max-age=7200 wins")
        checks.true(120 <= wait_between(feeds["limited"]) <= 130, "next poll: 429 Retry-After: 120 obeyed")
        checks.true(108 - 1 <= wait_between(feeds["forbidden"]) <= 120, "a plain 403 backs off by the 2 m interval")
        checks.true(600 <= wait_between(feeds["edgar-forbidden"]) <= 601, "403 from the EDGAR profile pauses 10 min")
        checks.true(wait_between(feeds["broken"]) <= 120, "first failure: one interval")

        # Errors that must not hang or exhaust the daemon.
        checks.true("too slow" in feeds["trickle"].get("last_error", ""), "a trickling server is cut off")
        checks.equal(feeds["huge"].get("last_error"), "fetch: body larger than 1 MiB", "an oversized body is refused")
        checks.equal(feeds["bomb"].get("last_error"), "fetch: body larger than 1 MiB", "a gzip bomb is refused")

        db = sqlite3.connect(os.path.join(work, "state", "signalmon.db"))
        titles = dict(db.execute("SELECT feed_id, title FROM items WHERE feed_id IN ('wrong-charset', 'koi8r') "
                                 "ORDER BY id DESC").fetchall())
        checks.equal(titles.get("wrong-charset"), "It’s … € 5", "XML declaration beats a wrong HTTP charset")
        checks.equal(titles.get("koi8r"), "Первая новость", "KOI8-R from the HTTP Content-Type")
        content = dict(db.execute("SELECT feed_id, content FROM items WHERE feed_id IN "
                                  "('article', 'article-guarded', 'edgar-document')").fetchall())
        article = content.get("article", "")
        checks.true("procurement notice requires open weights" in article and "six weeks" in article,
                    "fetch_article: the page's readable text is the item's content")
        checks.true(not any(word in article for word in ["Markets", "Subscribe", "Cookie", "Share", "track", "Home"]),
                    f"fetch_article: navigation boilerplate dropped ({article!r})")
        checks.equal(content.get("article-guarded"), "", "fetch_article without allow_private: loopback refused")
        checks.true("refused to connect to non-public address 127.0.0.1" in first.stderr, "the refusal is logged")
        checks.true("standardized compute capacity contract" in content.get("edgar-document", ""),
                    "fetch_document: the filing's primary document (found on its index page) is the content")
        gzip_keys = [key for (key,) in db.execute("SELECT key FROM items WHERE feed_id = 'gzip' ORDER BY id")]
        checks.true(len(gzip_keys) > 0 and gzip_keys[0] == "0000050104-16-000055",
                    "gzip body decoded; EDGAR accession number is the item key")
        db.close()

        # Second cycle: conditional GETs, 304s counted with the bytes they saved, moved feeds at the new URL.
        second = run(daemon)
        feeds = {feed["id"]: feed for feed in run_json(ctl + ["feeds", "--json"])}
        size = os.path.getsize(os.path.join(source, "tests", "data", "feed", "federal_register_ai.rss.xml"))
        checks.equal(feeds["conditional"]["not_modified"], 1, "the second poll was answered 304")
        checks.equal(feeds["conditional"]["bytes_saved"], size, "a 304 saves the size of the last full answer")
        checks.equal(feeds["moved-301"]["not_modified"], 1, "the moved feed's validators are used at its new URL")
        checks.equal(feeds["broken"]["consecutive_failures"], 2, "failures are counted")
        checks.true(feeds["broken"]["health_alert"], "failing longer than health_alert_after raises a health alert")
        checks.true("health alert: feed broken" in second.stderr, "the health alert is logged")
        checks.equal([feed["id"] for feed in run_json(ctl + ["feeds", "--json", "--failing"])],
                     ["limited", "broken", "forbidden", "edgar-forbidden", "trickle", "huge", "bomb"], "--failing")
        table = run(ctl + ["feeds"]).stdout
        checks.true("moved to " + f"{base}/feed.xml" in table, "the table shows the move")

        log = run_json(["curl", "-s", "--noproxy", "*", f"{base}/_log"])["requests"]
        edgar_paths = [r["path"] for r in log if "localhost" in r["headers"].get("host", "") and "/pages/" in r["path"]]
        checks.equal(edgar_paths[:3], ["/pages/edgar_company.atom.xml", "/pages/0000999999-26-000001-index.htm",
                                       "/Archives/edgar/data/999999/000099999926000001/pages/ex8k.htm"],
                     "fetch_document: feed, then index page, then primary document")
        conditional = [r["headers"] for r in log if r["path"].startswith("/data/federal_register")]
        checks.equal(len(conditional), 2, "two polls of the conditional feed")
        checks.equal("if-none-match" in conditional[0], False, "the first poll is unconditional")
        checks.true(conditional[1].get("if-none-match", "").startswith('"'), "the second sends If-None-Match")
        checks.equal(conditional[1].get("if-modified-since"), "Wed, 21 Oct 2015 07:28:00 GMT",
                     "the second sends If-Modified-Since")
        checks.equal(len([r for r in log if r["path"] == "/old-feed"]), 1, "the old URL of a moved feed is not polled again")
        checks.true(all(r["headers"].get("user-agent") == USER_AGENT for r in log), "every request carries the User-Agent")
        # Pacing: starts on one host are 1/per_host_rate apart (arrival jitter allowed). A redirect hop
        # (/feed.xml here) belongs to the request that was paced, and follows it at once; article
        # pages (/pages/) are a later round with a budget of its own.
        loopback = sorted(r["time"] for r in log if r["headers"].get("host", "").startswith("127.0.0.1")
                          and r["path"] != "/feed.xml" and "/pages/" not in r["path"])
        gaps = [b - a for a, b in zip(loopback, loopback[1:])]
        checks.true(min(gaps) >= 1 / PER_HOST_RATE - 0.02, f"per-host pacing (smallest gap {min(gaps):.3f} s)")

        # A restarted daemon resumes the stored schedule (next polls, backoff, Retry-After): no burst.
        seen_before = len(run_json(["curl", "-s", "--noproxy", "*", f"{base}/_log"])["requests"])
        daemon_process = subprocess.Popen([args.signalmond, "--config", config_path], stderr=subprocess.PIPE, text=True)
        try:
            daemon_process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            daemon_process.terminate()
        daemon_process.communicate(timeout=30)
        checks.equal(daemon_process.returncode, 0, "the daemon stops cleanly on SIGTERM")
        seen_after = len(run_json(["curl", "-s", "--noproxy", "*", f"{base}/_log"])["requests"])
        checks.equal(seen_after, seen_before, "a restart polls nothing before its stored next poll")

        # OPML: export, then import into a config that has none of them.
        opml = run(ctl + ["feeds", "export"]).stdout
        checks.true('<opml version="2.0">' in opml and f'xmlUrl="{base}/cached"' in opml, "OPML export")
        opml_path = os.path.join(work, "subscriptions.opml")
        with open(opml_path, "w") as out:
            out.write(opml)
        empty_config = os.path.join(work, "empty.yaml")
        with open(empty_config, "w") as out:
            out.write("feeds:\n  - id: cached\n    url: http://example.org/other\n")
        imported = run([args.signalctl, "--config", empty_config, "feeds", "import", opml_path]).stdout
        checks.true("  - id: cached-2\n" in imported and f'    url: "{base}/cached"\n' in imported, "OPML import")

        # import --write and add --write edit feeds.yaml in place, comments and order kept.
        with open(empty_config, "w") as out:
            out.write("# my feeds\nfeeds:\n  # the first\n  - id: cached\n    url: http://example.org/other\n"
                      "# after the list\ninterval: 15m\n")
        run([args.signalctl, "--config", empty_config, "feeds", "import", opml_path, "--write"])
        page = os.path.join(work, "page.html")
        with open(page, "w") as out:
            out.write('<html><head><link rel="alternate" type="application/rss+xml" title="One" href="http://example.org/one.rss">'
                      '<link rel="alternate" type="application/atom+xml" title="Two" href="http://example.org/two.atom">'
                      "</head></html>")
        choose = run([args.signalctl, "--config", empty_config, "feeds", "add", page], expect_code=1).stderr
        checks.true("announces 2 feeds; choose one with --pick N" in choose and "http://example.org/two.atom" in choose,
                    "feeds add lists the page's feeds")
        run([args.signalctl, "--config", empty_config, "feeds", "add", page, "--pick", "2", "--write"])
        with open(empty_config) as edited:
            text = edited.read()
        checks.true(text.startswith("# my feeds\nfeeds:\n  # the first\n  - id: cached\n    url: http://example.org/other\n"
                                    "  - id: ")
                    and "  - id: cached-2\n" in text
                    and text.endswith('  - id: two\n    url: "http://example.org/two.atom"\n# after the list\ninterval: 15m\n'),
                    "feeds import/add --write keep comments and order")
        exported = run([args.signalctl, "--config", empty_config, "feeds", "export"]).stdout
        checks.true('xmlUrl="http://example.org/two.atom"' in exported, "the edited feeds.yaml loads")

        # The filing fields rules filter on are visible to users through `signalctl parse --json`.
        parsed = run_json(ctl + ["parse", os.path.join(source, "tests", "data", "feed", "edgarWebR_company_AAPL_all.atom.xml"),
                                 "--json"])
        checks.equal(parsed["items"][0].get("fields"), {"accession_number": "0001193125-21-054710", "cik": "0000320193",
                                                        "company": "Apple Inc.", "form_type": "8-K"},
                     "parse --json shows the EDGAR fields")

        # SEC EDGAR without a contact e-mail: refused at startup, before any request.
        edgar_config = os.path.join(work, "edgar.yaml")
        with open(edgar_config, "w") as out:
            out.write("feeds:\n  - id: edgar\n    url: https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent\n")
        refused = run([args.signalmond, "--config", edgar_config, "--once"], expect_code=1)
        checks.true("requires a User-Agent with a contact e-mail" in refused.stderr, "EDGAR UA refusal")
finally:
    server.terminate()
    server.wait()

checks.finish()
