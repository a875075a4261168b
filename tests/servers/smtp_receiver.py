"""A real SMTP server for the alert tests (aiosmtpd, Debian's python3-aiosmtpd: run with /usr/bin/python3).

Listens on 127.0.0.1 only and writes each message it accepts to DIR/NNNN.eml (the DATA bytes as
received) with DIR/NNNN.json holding the envelope. Prints the port on stdout once listening
(aiosmtpd's controller cannot pick a free port itself, so the test passes one). With --auth
USER:PASSWORD it refuses mail from clients that did not log in with exactly those (over plain
text: this is a loopback test server)."""
import argparse
import json
import logging
import os
import signal
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


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


class Authenticator:
    def __init__(self, credentials):
        self.credentials = credentials

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and \
            (auth_data.login.decode(), auth_data.password.decode()) == self.credentials
        return AuthResult(success=ok, handled=False)  # unhandled: aiosmtpd answers 535 itself


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--auth")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    options = {}
    if args.auth:
        # Plain-text AUTH is what this loopback test wants; aiosmtpd's warnings about it are noise.
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        logging.getLogger("mail.log").setLevel(logging.ERROR)
        options = dict(authenticator=Authenticator(tuple(args.auth.split(":", 1))), auth_required=True,
                       auth_require_tls=False)
    controller = Controller(Recorder(args.dir), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    print(controller.server.sockets[0].getsockname()[1], flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
