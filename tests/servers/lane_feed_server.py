#!/usr/bin/env python3
"""HTTP server for the several-instances tests (stdlib only): many small RSS feeds served on several
loopback addresses, 127.0.0.1 to 127.0.0.HOSTS, one port, so that each address is a host of its
own (a politeness lane of its own) for the daemons.

GET /feed/N.xml answers feed N with its three latest items; a new item appears every EPOCH seconds
(all feeds at once), and the answer carries the epoch as ETag, so a poll within an epoch is a 304.
Items of feeds whose number is a multiple of 25 say "canary phrase". Every feed request is logged
as (host, feed, time). GET /requests answers that log as JSON; GET /freeze stops new items from
appearing (a test lets the alerts drain before it checks them). Prints the port as its first line.
"""

import argparse
import http.server
import json
import socket
import sys
import threading
import time

lock = threading.Lock()
requests = []
frozen_epoch = None


def current_epoch(epoch_seconds):
    with lock:
        if frozen_epoch is not None:
            return frozen_epoch
    return int(time.time() // epoch_seconds)


def feed_xml(feed, epoch):
    items = []
    for number in range(epoch - 2, epoch + 1):
        text = f"Notice {number} of feed {feed}, filed under docket {feed * 7919 + number}."
        if feed % 25 == 0:
            text += " It carries the canary phrase."
        items.append(f"<item><title>Notice {number} of feed {feed}</title><guid>feed{feed}-{number}</guid>"
                     f"<link>http://lanes.invalid/{feed}/{number}</link><description>{text}</description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>Feed {feed}</title>{''.join(items)}</channel></rss>\n").encode()


def make_handler(epoch_seconds):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            pass

        def handle(self):
            try:
                super().handle()
            except ConnectionError:
                pass  # a daemon killed mid-request: the point of the test

        def answer(self, status, body=b"", headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            global frozen_epoch
            name = self.path.split("?", 1)[0]
            if name == "/requests":
                with lock:
                    body = json.dumps(requests).encode()
                self.answer(200, body)
                return
            if name == "/freeze":
                epoch = current_epoch(epoch_seconds)
                with lock:
                    frozen_epoch = epoch
                self.answer(200)
                return
            if not (name.startswith("/feed/") and name.endswith(".xml") and name[6:-4].isdigit()):
                self.answer(404)
                return
            feed = int(name[6:-4])
            with lock:
                requests.append((self.connection.getsockname()[0], feed, time.time()))
            epoch = current_epoch(epoch_seconds)
            etag = f'"{epoch}"'
            if self.headers.get("If-None-Match") == etag:
                self.answer(304, headers=[("ETag", etag)])
                return
            self.answer(200, feed_xml(feed, epoch),
                        [("Content-Type", "application/rss+xml; charset=utf-8"), ("ETag", etag)])

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=1)
    parser.add_argument("--epoch", type=float, default=15)
    args = parser.parse_args()
    handler = make_handler(args.epoch)
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)]
    port = servers[0].server_port
    for host in range(2, args.hosts + 1):
        servers.append(http.server.ThreadingHTTPServer((f"127.0.0.{host}", port), handler))
    for server in servers:
        server.daemon_threads = True
        server.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    print(port, flush=True)
    sys.stdout.close()
    threads = [threading.Thread(target=server.serve_forever, daemon=True) for server in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
