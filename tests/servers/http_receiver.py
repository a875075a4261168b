"""A real HTTP webhook receiver for the alert tests (Python standard library only).

Listens on 127.0.0.1:PORT and appends one JSON line per request to LOG: method, path, headers,
body, the status it answered and whether it accepted the delivery. How it answers is read from
CONTROL (a JSON file) at each request, so a test can change it while the daemon runs:
  {"status": 200}                   answer this status (default 200)
  {"status": 500, "retry_after": 1}  ... with a Retry-After header
  {"hang": 30}                       read the request, record it, then sleep before answering
It drops repeats the way a careful receiver would: a 2xx for an Idempotency-Key it accepted
before is recorded with "duplicate": true."""
import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
accepted_keys = set()


def make_handler(log_path, control_path):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def record(self, entry):
            with lock, open(log_path, "a") as log:
                log.write(json.dumps(entry) + "\n")

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                with open(control_path) as control_file:
                    control = json.load(control_file)
            except (OSError, ValueError):
                control = {}
            entry = {"method": "POST", "path": self.path, "headers": dict(self.headers.items()),
                     "body": body.decode("utf-8"), "time": time.time()}
            if control.get("hang"):
                entry.update(status=None, accepted=False, duplicate=False)
                self.record(entry)
                time.sleep(control["hang"])
                return
            status = int(control.get("status", 200))
            key = self.headers.get("Idempotency-Key")
            with lock:
                duplicate = 200 <= status < 300 and key in accepted_keys
                if 200 <= status < 300:
                    accepted_keys.add(key)
            entry.update(status=status, accepted=200 <= status < 300 and not duplicate, duplicate=duplicate)
            self.record(entry)
            self.send_response(status)
            if "retry_after" in control:
                self.send_header("Retry-After", str(control["retry_after"]))
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--control", required=True)
    args = parser.parse_args()
    if os.path.exists(args.log):  # a restarted receiver remembers what it accepted
        with open(args.log) as log:
            for line in log:
                entry = json.loads(line)
                if entry.get("accepted"):
                    accepted_keys.add(entry["headers"].get("Idempotency-Key"))
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.log, args.control))
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
