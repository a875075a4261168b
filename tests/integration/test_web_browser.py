"""The web view in a real browser: headless Debian chromium opens the briefs page, a ledger page with
its chart and a search, at phone width; the DOM it built is checked (a hostile feed title stays
text: no script ran, no element came from it) and a screenshot of each page is saved under the
build directory (build/screenshots/)."""
import concurrent.futures
import html.parser
import os
import shutil
import subprocess
import tempfile

from harness import Checks, parse_args
from web_fixture import WebDaemon

args = parse_args()
checks = Checks()
build_dir = os.path.dirname(os.path.dirname(os.path.abspath(args.signalmond)))
screenshots = os.path.join(build_dir, "screenshots")
os.makedirs(screenshots, exist_ok=True)
chromium = shutil.which("chromium")
if chromium is None:
    raise SystemExit("FAIL: chromium is not installed (scripts/setup.sh installs Debian's chromium)")


class Dom(html.parser.HTMLParser):
    """The elements of a serialized DOM: (tag, attributes) in document order, and its text."""

    def __init__(self, text):
        super().__init__()
        self.elements = []
        self.text = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag, **attrs):
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def browse(url, name):
    """The DOM chromium built for url (script enabled, as for any visitor), and a 390 px wide screenshot."""
    with tempfile.TemporaryDirectory(prefix="signalmon-chromium-") as profile:
        shot = os.path.join(screenshots, name + ".png")
        command = [chromium, "--headless", "--disable-gpu", f"--user-data-dir={profile}", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   # Every host name but the local address fails to resolve: the page may fetch nothing.
                   "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                   "--window-size=390,1400", f"--screenshot={shot}", "--dump-dom", url]
        if os.geteuid() == 0:
            command.insert(1, "--no-sandbox")
        result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": profile})
        return Dom(result.stdout), shot


with WebDaemon(args.signalmond) as web:
    pages = {"briefs": web.url("/"), "ledger": web.url("/briefs/nickel?by=week&since=90d"),
             "search": web.url("/search?q=mine+closure")}
    with concurrent.futures.ThreadPoolExecutor(len(pages)) as pool:
        done = {name: pool.submit(browse, url, name) for name, url in pages.items()}
        seen = {name: future.result() for name, future in done.items()}

for name, (dom, shot) in seen.items():
    with open(shot, "rb") as image:
        checks.equal(image.read(8), b"\x89PNG\r\n\x1a\n", f"{name}: screenshot saved as {shot}")
    # The hostile titles ran nothing: the page title is the page's own, no element carries the
    # marker the img's onerror would set, and neither a script nor an img element came from them.
    checks.true(dom.find("title") and "pwned" not in "".join(dom.text).split("·")[0], f"{name}: title untouched")
    checks.equal(dom.find("body", **{"data-pwned": "1"}), [], f"{name}: onerror did not run")
    checks.equal(dom.find("script") + dom.find("img"), [], f"{name}: no script or img element from feed text")
    checks.true(dom.find("meta", name="viewport"), f"{name}: phone-width viewport")

briefs = seen["briefs"][0]
checks.true(briefs.find("section", **{"class": "brief", "id": "brief-nickel"}), "briefs page lists the brief")
checks.true(any("confirm evidence leads 3–1" in text for text in briefs.text), "briefs page shows the verdict")

ledger = seen["ledger"][0]
checks.true(ledger.find("svg", **{"class": "chart"}), "the ledger page has its chart")
bars = ledger.find("rect", **{"class": "confirm"})
checks.equal(sum(int(bar.get("data-count", 0)) for bar in bars), 3, "confirm bars add up to the ledger's total")
checks.equal(sum(int(bar.get("data-count", 0)) for bar in ledger.find("rect", **{"class": "kill"})), 1, "kill bars")
checks.true(any("<script>" in text for text in ledger.text), "the hostile title shows as text on the ledger page")

search = seen["search"][0]
checks.true(search.find("input", type="search", name="q", value="mine closure"), "the search form keeps the words")
checks.equal(len(search.find("div", **{"class": "result"})), 2, "two items mention a mine closure")
checks.true(search.find("mark"), "the words found are marked")

checks.finish()
