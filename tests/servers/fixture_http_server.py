#!/usr/bin/env python3
"""HTTP server on 127.0.0.1 that misbehaves on request, for the fetch tests (stdlib only).

Binds port 0 and prints the chosen port as its first stdout line. GET /_log returns the requests
seen so far as JSON: {"requests": [{"method", "path", "time" (seconds, monotonic), "headers":
{lower-case name: value}}], "max_in_flight": the most requests (other than /_log) it was answering
at once}. GET /data/NAME serves tests/data/feed/NAME with an ETag and Last-Modified, answering 304 to
a matching conditional GET; ?gzip=1 compresses it, ?type=TYPE sets its Content-Type. Any path
containing /pages/NAME serves tests/data/fetch/NAME (web pages and filings for article fetches).
"""

import gzip
import hashlib
import http.server
import json
import os
import sys
import threading
import time
import zlib
from email.utils import parsedate_to_datetime

FEED_BODY = (b'<?xml version="1.0" encoding="utf-8"?>\n'
             b'<rss version="2.0"><channel><title>Fixture</title></channel></rss>\n')
FEED_ETAG = '"feed-v1"'
FEED_LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"
COMPRESSED_TEXT = b"compressed fixture text " * 200
HUGE_BYTES = 20 << 20
BOMB_BYTES = 128 << 20
TRICKLE_BYTES = 30
DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "feed")
PAGES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "fetch")
CACHED_BODY = (b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Cached</title><ttl>90</ttl>'
               b'<item><title>One</title><guid>cached-1</guid></item></channel></rss>\n')


def make_bomb():
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    zeros = bytes(1 << 20)
    parts = [compressor.compress(zeros) for _ in range(BOMB_BYTES // len(zeros))]
    parts.append(compressor.flush())
    return b"".join(parts)


class State:
    lock = threading.Lock()
    requests = []
    in_flight = 0
    max_in_flight = 0
    bomb = None

    @classmethod
    def gzip_bomb(cls):
        with cls.lock:
            if cls.bomb is None:
                cls.bomb = make_bomb()
            return cls.bomb


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass  # stdout carries only the port; test output stays clean

    def handle(self):
        try:
            super().handle()
        except ConnectionError:
            pass  # the client gave up mid-answer, which is what several tests make it do

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/_log":
            with State.lock:
                log = {"requests": list(State.requests), "max_in_flight": State.max_in_flight}
            self.send_body(200, json.dumps(log).encode(), {"Content-Type": "application/json"})
            return
        with State.lock:
            State.requests.append({"method": self.command, "path": self.path, "time": time.monotonic(),
                                   "headers": {k.lower(): v for k, v in self.headers.items()}})
            State.in_flight += 1
            State.max_in_flight = max(State.max_in_flight, State.in_flight)
        try:
            route = ROUTES.get(path)
            if route is not None:
                route(self)
            elif path.startswith("/data/"):
                self.data_file(path[len("/data/"):])
            elif "/pages/" in path:
                self.page(path.rsplit("/pages/", 1)[1])
            elif path.startswith("/status/"):
                self.status(int(path[len("/status/"):]))
            else:
                self.send_body(404, b"no such fixture\n")
        finally:
            with State.lock:
                State.in_flight -= 1

    def send_body(self, status, body, headers=None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def not_modified(self, etag, last_modified):
        """Answers 304 and returns True when the request's validators match (ETag wins, as in RFC 9110)."""
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        unchanged = False
        if if_none_match is not None:
            unchanged = if_none_match == etag
        elif if_modified_since is not None:
            try:
                unchanged = parsedate_to_datetime(if_modified_since) >= parsedate_to_datetime(last_modified)
            except (TypeError, ValueError):
                unchanged = False
        if unchanged:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
        return unchanged

    def feed(self):
        if self.not_modified(FEED_ETAG, FEED_LAST_MODIFIED):
            return
        self.send_body(200, FEED_BODY, {"ETag": FEED_ETAG, "Last-Modified": FEED_LAST_MODIFIED,
                                        "Content-Type": "application/rss+xml; charset=utf-8"})

    def data_file(self, name):
        query = dict(part.split("=", 1) for part in self.path.partition("?")[2].split("&") if "=" in part)
        file_path = os.path.join(DATA_DIR, os.path.basename(name))
        if not os.path.isfile(file_path):
            self.send_body(404, b"no such data file\n")
            return
        with open(file_path, "rb") as data:
            body = data.read()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if self.not_modified(etag, FEED_LAST_MODIFIED):
            return
        headers = {"ETag": etag, "Last-Modified": FEED_LAST_MODIFIED,
                   "Content-Type": query.get("type", "application/xml").replace("+", " ").replace("%3D", "=")}
        if query.get("gzip") == "1":
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self.send_body(200, body, headers)

    def page(self, name):
        file_path = os.path.join(PAGES_DIR, os.path.basename(name))
        if not os.path.isfile(file_path):
            self.send_body(404, b"no such page\n")
            return
        with open(file_path, "rb") as page:
            body = page.read()
        kind = "application/xml" if name.endswith(".xml") else "text/html; charset=utf-8"
        self.send_body(200, body, {"Content-Type": kind})

    def cached(self):
        self.send_body(200, CACHED_BODY, {"Cache-Control": "public, max-age=7200",
                                          "Expires": "Wed, 21 Oct 2015 09:28:00 GMT",
                                          "Date": "Wed, 21 Oct 2015 07:28:00 GMT",
                                          "Content-Type": "application/rss+xml"})

    def lower_case_headers(self):
        self.send_body(200, FEED_BODY, {"etag": 'W/"lower"', "last-modified": FEED_LAST_MODIFIED,
                                        "CONTENT-TYPE": "text/xml"})

    def gzip_body(self):
        self.send_body(200, gzip.compress(COMPRESSED_TEXT), {"Content-Encoding": "gzip"})

    def deflate_body(self):
        self.send_body(200, zlib.compress(COMPRESSED_TEXT), {"Content-Encoding": "deflate"})

    def redirect(self, status, location):
        self.send_body(status, b"", {"Location": location})

    def status(self, code):
        headers = {"Retry-After": "120"} if code in (429, 503) else {}
        self.send_body(code, f"status {code}\n".encode(), headers)

    def slow(self):
        time.sleep(0.5)
        self.send_body(200, b"slow but fine\n")

    def trickle(self):
        self.send_response(200)
        self.send_header("Content-Length", str(TRICKLE_BYTES))
        self.end_headers()
        for _ in range(TRICKLE_BYTES):
            self.wfile.write(b"x")
            self.wfile.flush()
            time.sleep(1)

    def huge(self):
        # No Content-Length: only counting the bytes as they arrive can catch this one.
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b"y" * (1 << 16)
        for _ in range(HUGE_BYTES // len(chunk)):
            self.wfile.write(chunk)

    def huge_content_length(self):
        # Announces far more than it sends, then stalls: only an early Content-Length check is quick.
        self.send_response(200)
        self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        self.wfile.write(b"z" * 1024)
        self.wfile.flush()
        time.sleep(10)
        self.close_connection = True

    def gzip_bomb(self):
        self.send_body(200, State.gzip_bomb(), {"Content-Encoding": "gzip"})


ROUTES = {
    "/feed.xml": Handler.feed,
    "/lower-case-headers": Handler.lower_case_headers,
    "/gzip": Handler.gzip_body,
    "/deflate": Handler.deflate_body,
    "/old-feed": lambda h: h.redirect(301, "/feed.xml"),
    "/moved-feed": lambda h: h.redirect(308, f"http://127.0.0.1:{h.server.server_port}/feed.xml"),
    "/temporary-feed": lambda h: h.redirect(302, "/old-feed"),
    "/permanent-then-temporary": lambda h: h.redirect(301, "/temporary-feed"),
    "/loop": lambda h: h.redirect(302, "/loop"),
    "/to-file": lambda h: h.redirect(302, "file:///etc/hostname"),
    "/slow": Handler.slow,
    "/trickle": Handler.trickle,
    "/huge": Handler.huge,
    "/huge-content-length": Handler.huge_content_length,
    "/gzip-bomb": Handler.gzip_bomb,
    "/cached": Handler.cached,
}


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_port, flush=True)
    sys.stdout.close()  # the port is all a test reads; a closed pipe must not block us later
    server.serve_forever()


if __name__ == "__main__":
    main()
