#!/usr/bin/env python3
"""An SMTP server that stops answering at a chosen point, for the delivery-timeout tests (stdlib only).

Listens on 127.0.0.1, port 0, and prints the chosen port as its first stdout line. --stall-at says
where it goes silent (keeping the connection open, reading and ignoring everything after):
  banner  never sends the 220 greeting
  data    answers EHLO/MAIL/RCPT/DATA, reads the message up to its final ".", then never replies
  quit    accepts the message (250) but never answers QUIT
Each connection adds a line to --log, so a test can count the attempts."""
import argparse
import socket
import threading
import time


def serve(connection, stall_at, log_path):
    with open(log_path, "a") as log:
        log.write("connection\n")
    reader = connection.makefile("rb")

    def reply(line):
        connection.sendall(line.encode() + b"\r\n")

    def stall():
        try:
            while reader.readline():
                pass
        except OSError:
            pass

    try:
        if stall_at == "banner":
            return stall()
        reply("220 stalling.test ESMTP")
        while True:
            line = reader.readline()
            if not line:
                return
            command = line.strip().upper()
            if command.startswith(b"EHLO") or command.startswith(b"HELO"):
                reply("250 stalling.test")
            elif command.startswith(b"MAIL") or command.startswith(b"RCPT") or command.startswith(b"RSET"):
                reply("250 OK")
            elif command == b"DATA":
                reply("354 go ahead")
                while reader.readline() not in (b".\r\n", b".\n", b""):
                    pass
                if stall_at == "data":
                    return stall()
                reply("250 accepted")
            elif command == b"QUIT":
                if stall_at == "quit":
                    return stall()
                reply("221 bye")
                return
            else:
                reply("250 OK")
    finally:
        time.sleep(0.1)
        connection.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stall-at", choices=["banner", "data", "quit"], required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(listener.getsockname()[1], flush=True)
    while True:
        connection, _ = listener.accept()
        threading.Thread(target=serve, args=(connection, args.stall_at, args.log), daemon=True).start()


if __name__ == "__main__":
    main()
