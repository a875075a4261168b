#!/usr/bin/python3
"""Conformance report: `signalctl parse --json` against Python feedparser on every feed fixture.

Run with Debian's python3-feedparser (apt-get install python3-feedparser):

    tests/conformance/feedparser_conformance.py [--signalctl build/daemon/signalctl]
        [--fixtures tests/data/feed] [--quiet]

For each fixture both parsers read the same bytes with the same base URL. Items are paired in
document order; titles, links, dates (published, else updated, in UTC) and text (content, else
summary) are compared after both sides are reduced to plain text with collapsed whitespace,
because signalmon stores text where feedparser keeps sanitized HTML. The report prints the
agreement rate per field and every disagreement; docs/feed-conformance.md explains them.
Exit status: 0 whatever the rates (this is a report, not a gate), 2 on a usage error.
"""

import argparse
import calendar
import html
import html.parser
import json
import os
import re
import subprocess
import sys

try:
    import feedparser
except ImportError:
    sys.exit("feedparser is missing: apt-get install python3-feedparser (and run with /usr/bin/python3)")

BASE_URL = "http://example.com/feed.xml"
FIELDS = ("title", "link", "date", "text")
BLOCKS = {"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
          "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li", "main", "nav", "ol", "p",
          "pre", "section", "table", "td", "th", "tr", "ul"}


class TextOnly(html.parser.HTMLParser):
    """feedparser's sanitized HTML as the plain text signalmon would store for it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, [])

    def handle_data(self, data):
        self.parts.append(data)


def collapse(text):
    return re.sub(r"[\s\u00a0]+", " ", text or "").strip()


def as_text(value, detail):
    kind = (detail or {}).get("type", "text/plain")
    if kind in ("text/html", "application/xhtml+xml"):
        reader = TextOnly()
        reader.feed(value or "")
        reader.close()
        return collapse("".join(reader.parts))
    return collapse(value)


def theirs(path):
    with open(path, "rb") as handle:
        parsed = feedparser.parse(handle.read(), response_headers={"content-location": BASE_URL})
    items = []
    for entry in parsed.entries:
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        if entry.get("content") and entry.content[0].get("value"):
            text = as_text(entry.content[0].get("value"), entry.content[0])
        else:
            text = as_text(entry.get("summary"), entry.get("summary_detail"))
        items.append({
            "title": as_text(entry.get("title"), entry.get("title_detail")),
            "link": entry.get("link", ""),
            "date": calendar.timegm(when) if when else None,
            "text": text,
        })
    return items, bool(parsed.get("bozo"))


def ours(signalctl, path):
    run = subprocess.run([signalctl, "parse", "--json", "--base-url", BASE_URL, path], capture_output=True,
                         text=True, check=False)
    if run.returncode != 0:
        return None, run.stderr.strip()
    items = []
    for item in json.loads(run.stdout)["items"]:
        when = item.get("published") or item.get("updated")
        items.append({
            "title": collapse(item.get("title")),
            "link": item.get("link", ""),
            "date": calendar.timegm(tuple(map(int, re.findall(r"\d+", when)[:6])) + (0, 0, 0)) if when else None,
            "text": collapse(item.get("content") or item.get("summary")),
        })
    return items, ""


def shown(value):
    text = repr(value)
    return text if len(text) <= 90 else text[:87] + "..."


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(os.path.dirname(here))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signalctl", default=os.path.join(root, "build", "daemon", "signalctl"))
    parser.add_argument("--fixtures", default=os.path.join(root, "tests", "data", "feed"))
    parser.add_argument("--quiet", action="store_true", help="print the rates only")
    args = parser.parse_args()
    if not os.access(args.signalctl, os.X_OK):
        parser.error(f"no signalctl at {args.signalctl}: build first")

    names = sorted(name for name in os.listdir(args.fixtures) if not name.endswith(".md"))
    feeds_agreeing = 0
    items_paired = items_most = 0
    agree = dict.fromkeys(FIELDS, 0)
    compared = dict.fromkeys(FIELDS, 0)
    disagreements = []
    for name in names:
        path = os.path.join(args.fixtures, name)
        their_items, bozo = theirs(path)
        our_items, error = ours(args.signalctl, path)
        if our_items is None:
            our_items = []
            if their_items:
                disagreements.append((name, "-", "feed", error, f"{len(their_items)} items"))
        if len(our_items) == len(their_items):
            feeds_agreeing += 1
        elif our_items or not error:
            disagreements.append((name, "-", "items", len(our_items), f"{len(their_items)}{' (bozo)' if bozo else ''}"))
        items_paired += min(len(our_items), len(their_items))
        items_most += max(len(our_items), len(their_items))
        for index, (mine, reference) in enumerate(zip(our_items, their_items)):
            for field in FIELDS:
                compared[field] += 1
                if mine[field] == reference[field]:
                    agree[field] += 1
                else:
                    disagreements.append((name, index, field, mine[field], reference[field]))

    def rate(numerator, denominator):
        return f"{100.0 * numerator / denominator:5.1f} % ({numerator}/{denominator})" if denominator else "n/a"

    print(f"signalmon vs feedparser {feedparser.__version__} on {len(names)} fixtures in {args.fixtures}")
    print(f"  feeds with the same item count: {rate(feeds_agreeing, len(names))}")
    print(f"  items read by both:             {rate(items_paired, items_most)}")
    for field in FIELDS:
        print(f"  {field + ':':31} {rate(agree[field], compared[field])}")
    total = sum(agree.values())
    print(f"  {'all fields:':31} {rate(total, sum(compared.values()))}")
    if not args.quiet and disagreements:
        print(f"\n{len(disagreements)} disagreements (fixture, item, field: signalmon | feedparser)")
        for name, index, field, mine, reference in disagreements:
            print(f"  {name} #{index} {field}: {shown(mine)} | {shown(reference)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
