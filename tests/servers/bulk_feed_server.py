#!/usr/bin/env python3
"""HTTP server on 127.0.0.1 serving many generated RSS feeds that grow, for the crash tests (stdlib only).

GET /feed/N.xml answers feed N: each request to it publishes GROWTH more items (up to MAX_ITEMS),
so a daemon restarted again and again always finds new items to store. Every item whose number is a
multiple of 3 says "canary phrase" in its description and nowhere else, so a test knows exactly which
stored items must have a hit. GET /requests answers how many feed requests it has served (a test
tells a poll storm from polite polling). Binds port 0 and prints the chosen port as its first stdout
line.
"""

import http.server
import sys
import threading

GROWTH = 25
MAX_ITEMS = 1000


def item_xml(feed, number):
    text = f"Routine notice {number} of feed {feed}."
    if number % 3 == 0:
        text += " This one carries the canary phrase &amp; more."
    return (f"<item><title>Item {number} of feed {feed}</title><guid>feed{feed}-item{number}</guid>"
            f"<link>http://bulk.invalid/{feed}/{number}</link><description>&lt;p&gt;{text}&lt;/p&gt;</description>"
            f"<pubDate>Mon, 02 Mar 2026 10:{number % 60:02d}:00 GMT</pubDate></item>")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    lock = threading.Lock()
    published = {}
    feed_requests = 0

    def log_message(self, format, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except ConnectionError:
            pass  # the daemon was killed mid-request, which is the point of the tests using this

    def do_GET(self):
        name = self.path.split("?", 1)[0]
        if name == "/requests":
            with Handler.lock:
                body = str(Handler.feed_requests).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if not (name.startswith("/feed/") and name.endswith(".xml") and name[6:-4].isdigit()):
            self.send_error(404)
            return
        feed = int(name[6:-4])
        with Handler.lock:
            count = min(Handler.published.get(feed, 0) + GROWTH, MAX_ITEMS)
            Handler.published[feed] = count
            Handler.feed_requests += 1
        body = ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                f"<title>Bulk feed {feed}</title>" + "".join(item_xml(feed, n) for n in range(count)) +
                "</channel></rss>\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_port, flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
