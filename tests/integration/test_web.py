"""The web view and Atom feeds of a running signalmond: pages under the base path beside /metrics on
one port, feed text escaped, search over items that did not hit, feed health, Atom validated by
Debian's python3-feedparser (bozo 0) with stable entry ids, and conditional GET (ETag and
Last-Modified answered 304)."""
import os
import sys
import urllib.request

try:
    import feedparser
except ImportError:
    # Debian's python3-feedparser belongs to Debian's interpreter; a pyenv or venv python lacks it.
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    raise

from harness import Checks, parse_args
from web_fixture import HOSTILE_IMG, HOSTILE_SCRIPT, WebDaemon

args = parse_args()
checks = Checks()

with WebDaemon(args.signalmond) as web:
    with urllib.request.urlopen(f"http://127.0.0.1:{web.port}/metrics", timeout=10) as response:
        checks.true(b"signalmon_polls_total" in response.read(), "metrics share the web view's port")

    status, headers, page = web.get("/")
    checks.equal(status, 200, "briefs page")
    checks.equal(headers["Content-Type"], "text/html; charset=utf-8", "briefs page is HTML")
    checks.true("script-src" not in headers["Content-Security-Policy"] and
                "default-src 'none'" in headers["Content-Security-Policy"], "the CSP allows no script")
    checks.true("Nickel supply tightens" in page, "the brief's title from the rules")
    checks.true("confirm evidence leads 3–1 over 90 days; last kill evidence 9 days ago" in page,
                "the brief's verdict")

    status, _, ledger = web.get("/briefs/nickel?by=day&since=30d")
    checks.equal(status, 200, "ledger page")
    checks.true('<svg class="chart"' in ledger and 'class="confirm"' in ledger, "the ledger page has its chart")
    checks.true("<script" not in ledger and "<img" not in ledger, "no hostile markup on the ledger page")
    checks.true("&lt;script&gt;" in ledger, "the hostile title is shown as text")
    checks.equal(web.get("/briefs/nickel?by=year")[0], 400, "a bad period is refused")
    checks.equal(web.get("/briefs/nope")[0], 404, "an unknown brief is not found")

    status, _, hits = web.get("/briefs/nickel/hits")
    checks.equal(status, 200, "hits page")
    checks.true("<mark>mine closure</mark>" in hits.lower(), "matched words are highlighted")
    checks.true("A mine or smelter stops" in hits, "each signal's says: from the rules")
    checks.true('href="javascript:' not in hits, "a javascript: link is not a link")
    checks.true("<img" not in hits and "&lt;img src=x onerror=" in hits, "the hostile image is text")

    status, _, search = web.get("/search?q=copper+traders")
    checks.true('<p id="count">1 items</p>' in search and "no hits" in search, "search finds an item without hits")
    checks.true("<mark>Copper</mark>" in search, "search highlights the words found")
    _, _, search = web.get("/search?q=%22%3Cscript%3E")
    checks.true("<script" not in search, "the query is escaped back into the form")

    status, _, health = web.get("/health")
    checks.true(status == 200 and "metals.xml" in health and ">ok<" in health, "feed health lists the feed")

    for path, count in (("/feeds/hits.atom", 4), ("/feeds/nickel.atom", 4), ("/feeds/nickel/kill.atom", 1),
                        ("/feeds/nickel/confirm.atom", 3)):
        status, headers, body = web.get(path)
        checks.equal(status, 200, f"{path} answers")
        checks.equal(headers["Content-Type"], "application/atom+xml; charset=utf-8", f"{path} type")
        parsed = feedparser.parse(body)
        checks.equal((parsed.bozo, parsed.version), (0, "atom10"), f"{path} is valid Atom 1.0")
        checks.equal(len(parsed.entries), count, f"{path} entries")
        checks.true(all(entry.id.startswith("urn:uuid:") for entry in parsed.entries), f"{path} entry ids")
        checks.true(parsed.feed.links[0].href.startswith(f"http://127.0.0.1:{web.port}/sm/feeds/"), f"{path} self")

        # Conditional GET: the same validators answer 304 with no body; another ETag gets the feed.
        etag, modified = headers["ETag"], headers["Last-Modified"]
        checks.equal(web.get(path, {"If-None-Match": etag})[0], 304, f"{path} If-None-Match")
        checks.equal(web.get(path, {"If-Modified-Since": modified})[0], 304, f"{path} If-Modified-Since")
        checks.equal(web.get(path, {"If-None-Match": '"other"'})[0], 200, f"{path} changed ETag")
        checks.equal(web.get(path)[1]["ETag"], etag, f"{path} ETag is stable")

    everything = feedparser.parse(web.get("/feeds/hits.atom")[2])
    titles = [entry.title for entry in everything.entries]
    checks.true(any(HOSTILE_SCRIPT in title for title in titles), "the hostile title arrives as text in Atom")
    checks.true(any(HOSTILE_IMG.split(" <")[0] in title for title in titles), "the image title too")
    by_brief = {entry.id for entry in feedparser.parse(web.get("/feeds/nickel.atom")[2]).entries}
    checks.equal({entry.id for entry in everything.entries}, by_brief, "an entry keeps its id across feeds")
    checks.equal(web.get("/feeds/nickel/bogus.atom")[0], 404, "unknown kind")
    checks.equal(web.get("/feeds/nope.atom")[0], 404, "unknown brief's feed")

checks.finish()
