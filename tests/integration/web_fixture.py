"""A running signalmond with the web view on 127.0.0.1 (sharing its port with metrics, under a base
path), over a store holding confirm and kill evidence, an item no brief hit, and hostile titles."""
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from email.utils import formatdate

BASE = "/sm"
RULES = """brief: {id: nickel, title: "Nickel supply tightens", threshold: 2}
signals:
  - {id: mine-closes, kind: confirm, weight: 3, says: A mine or smelter stops, any: ["mine closure*", "smelter halt*"]}
  - {id: new-supply, kind: kill, weight: 3, says: New supply comes online, any: ["new mine*", "output surge*"]}
  - {id: talks, kind: watch, weight: 1, any: [nickel]}
"""
# Titles that would run script if a page or feed pasted them unescaped. Each names a mine closure,
# so they are hits and show on every page.
HOSTILE_SCRIPT = "Mine closure <script>document.title='pwned'</script>"
HOSTILE_IMG = "Smelter halts <img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"


def _item(key, days_ago, title, link, text):
    def esc(value):
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    published = formatdate(time.time() - days_ago * 86400, usegmt=True)
    # Titles are escaped twice, as a feed does that means its markup to show as text: the stored
    # title then holds a literal "<script>", which is what the pages must keep inert.
    return (f"<item><guid>{key}</guid><title>{esc(esc(title))}</title><link>{esc(link)}</link>"
            f"<pubDate>{published}</pubDate><description>{esc(text)}</description></item>")


FEED = ("<rss version='2.0'><channel><title>Metals wire</title>"
        + _item("a", 20, "Nickel mine closure in Sulawesi", "https://wire.example/a", "The nickel mine closure cuts output.")
        + _item("b", 9, "Output surge at a new mine", "https://wire.example/b", "A new mine doubles supply.")
        + _item("c", 2, HOSTILE_SCRIPT, "javascript:alert(1)", "A mine closure, reported by a hostile feed.")
        + _item("d", 1, HOSTILE_IMG, "https://wire.example/d", "The smelter halts.")
        + _item("e", 1, "Copper cathode premiums rise", "https://wire.example/e", "Copper traders in Shanghai.")
        + "</channel></rss>")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class WebDaemon:
    """signalmond serving the fixture; use as a context manager. url(path) is under the base path."""

    def __init__(self, signalmond):
        self.signalmond = signalmond
        self.work = tempfile.TemporaryDirectory(prefix="signalmon-web-")
        self.port = free_port()
        self.daemon = None

    def __enter__(self):
        work = self.work.name
        os.mkdir(os.path.join(work, "rules"))
        with open(os.path.join(work, "rules", "nickel.yaml"), "w") as out:
            out.write(RULES)
        with open(os.path.join(work, "metals.xml"), "w") as out:
            out.write(FEED)
        config = os.path.join(work, "feeds.yaml")
        with open(config, "w") as out:
            out.write(f"interval: 1h\nmetrics_listen: 127.0.0.1:{self.port}\n"
                      f"web:\n  listen: 127.0.0.1:{self.port}\n  base_path: {BASE}/\n"
                      "feeds:\n  - {id: metals, url: metals.xml}\n")
        self.log_path = os.path.join(work, "daemon.log")
        with open(self.log_path, "w") as log:
            self.daemon = subprocess.Popen([self.signalmond, "--config", config], stderr=log)
        deadline = time.time() + 20
        while time.time() < deadline:
            with open(self.log_path) as log:
                if "cycle: 1 feeds polled" in log.read():
                    return self
            if self.daemon.poll() is not None:
                break
            time.sleep(0.05)
        self.__exit__(None, None, None)
        raise SystemExit("FAIL: the daemon did not poll its feed:\n" + open(self.log_path).read())

    def __exit__(self, *exc):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            self.daemon.wait(timeout=20)
        self.work.cleanup()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{BASE}{path}"

    def get(self, path, headers=None):
        """(status, headers, body text) of a GET under the base path; errors are answers too."""
        request = urllib.request.Request(self.url(path), headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()
