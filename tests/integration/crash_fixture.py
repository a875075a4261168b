"""Shared setup for the crash and fault tests: a bulk feed server, a work folder with a canary brief
and a feeds.yaml pointing at the server, and store checks straight from SQLite."""
import os
import sqlite3
import subprocess
import sys

CANARY_RULES = """brief:
  id: canary
  title: Items that carry the canary phrase
  threshold: 1
signals:
  - id: canary-phrase
    kind: watch
    weight: 1
    any: ["canary phrase"]
"""


def start_bulk_server(source_dir):
    """Starts tests/servers/bulk_feed_server.py; returns (process, port)."""
    server = subprocess.Popen([sys.executable, os.path.join(source_dir, "tests", "servers", "bulk_feed_server.py")],
                              stdout=subprocess.PIPE, text=True)
    port = int(server.stdout.readline())
    return server, port


def write_setup(work, port, feed_count, interval="1s", alerts_yaml=""):
    """Writes work/rules/canary.yaml and work/feeds.yaml (feed_count bulk feeds, then alerts_yaml, the
    body of an `alerts:` section, if given); returns the config path."""
    os.makedirs(os.path.join(work, "rules"), exist_ok=True)
    with open(os.path.join(work, "rules", "canary.yaml"), "w") as rules:
        rules.write(CANARY_RULES)
    config = os.path.join(work, "feeds.yaml")
    with open(config, "w") as out:
        out.write(f"state_dir: state\nrules_dir: rules\ninterval: {interval}\nmin_interval: 1s\ntimeout: 20s\nmax_parallel: 8\nfeeds:\n")
        for n in range(feed_count):
            out.write(f"  - id: bulk-{n}\n    url: http://127.0.0.1:{port}/feed/{n}.xml\n")
        if alerts_yaml:
            out.write("alerts:\n" + alerts_yaml)
    return config


def start_webhook_receiver(source_dir, work):
    """Starts tests/servers/http_receiver.py answering 200; returns (process, port, log path)."""
    log = os.path.join(work, "webhook.jsonl")
    control = os.path.join(work, "webhook.control.json")
    with open(control, "w") as out:
        out.write('{"status": 200}')
    receiver = subprocess.Popen([sys.executable, os.path.join(source_dir, "tests", "servers", "http_receiver.py"),
                                 "--port", "0", "--log", log, "--control", control], stdout=subprocess.PIPE, text=True)
    return receiver, int(receiver.stdout.readline()), log


def store_problems(database):
    """Everything wrong with the store, as messages: integrity, duplicate or missing or stray hits."""
    problems = []
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity}")
        duplicates = db.execute("SELECT item_id, brief, signal, COUNT(*) FROM hits GROUP BY item_id, brief, signal "
                                "HAVING COUNT(*) > 1").fetchall()
        if duplicates:
            problems.append(f"duplicate hits: {duplicates[:5]}")
        twice = db.execute("SELECT feed_id, key, COUNT(*) FROM items GROUP BY feed_id, key HAVING COUNT(*) > 1").fetchall()
        if twice:
            problems.append(f"items stored twice: {twice[:5]}")
        rows = db.execute("SELECT i.key, i.summary, COUNT(h.id) FROM items i LEFT JOIN hits h ON h.item_id = i.id "
                          "AND h.brief = 'canary' AND h.signal = 'canary-phrase' GROUP BY i.id").fetchall()
        lost = [key for key, summary, hits in rows if "canary phrase" in summary and hits != 1]
        stray = [key for key, summary, hits in rows if "canary phrase" not in summary and hits != 0]
        if lost:
            problems.append(f"{len(lost)} canary items without exactly one hit, e.g. {lost[:5]}")
        if stray:
            problems.append(f"{len(stray)} items with a hit they should not have, e.g. {stray[:5]}")
        orphans = db.execute("SELECT COUNT(*) FROM hits WHERE item_id NOT IN (SELECT id FROM items)").fetchone()[0]
        if orphans:
            problems.append(f"{orphans} hits of items that do not exist")
    finally:
        db.close()
    return problems


def count(database, table):
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        db.close()
