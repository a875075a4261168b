"""A real SMTP server for the alert tests (aiosmtpd, Debian's python3-aiosmtpd: run with /usr/bin/python3).

Listens on 127.0.0.1 only and writes each message it accepts to DIR/NNNN.eml (the DATA bytes as
received) with DIR/NNNN.json holding the envelope. Prints the port on stdout once listening
(aiosmtpd's controller cannot pick a free port itself, so the test passes one)."""
import argparse
import json
import os
import signal
import threading

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            stem = os.path.join(self.directory, f"{self.count:04d}")
        with open(stem + ".eml.tmp", "wb") as out:
            out.write(envelope.original_content)
        with open(stem + ".json", "w") as out:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, out)
        os.rename(stem + ".eml.tmp", stem + ".eml")  # the .eml appears complete or not at all
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Recorder(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(controller.server.sockets[0].getsockname()[1], flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
