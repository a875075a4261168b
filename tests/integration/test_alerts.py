"""Alerts end to end against real servers on 127.0.0.1: an SMTP server (aiosmtpd) and an HTTP
receiver, both recording what they get. Covers MIME and header safety, webhook signature and
schema, receiver down or failing then back, SIGKILL before delivery, wire copies clustering,
rate-limit overflow folded into a digest, signalctl alerts / retry, and feed health alerts raised
once per episode across restarts."""
import email
import email.policy
import glob
import hashlib
import hmac
import html as html_module
import html.parser as html_parser
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from harness import Checks, parse_args, run, run_json

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, which has python3-aiosmtpd
SECRET = "test-webhook-secret-\u00e9"

args = parse_args()
if subprocess.run([SYSTEM_PYTHON, "-c", "import aiosmtpd"], capture_output=True).returncode != 0:
    sys.exit(f"FAIL: {SYSTEM_PYTHON} cannot import aiosmtpd: apt-get install python3-aiosmtpd (scripts/setup.sh does)")
checks = Checks()
servers_dir = os.path.join(args.source_dir, "tests", "servers")
schema_text = open(os.path.join(args.source_dir, "docs", "webhook.md")).read()
SCHEMA = json.loads(re.search(r"```json schema\n(.*?)```", schema_text, re.S).group(1))

RULE = """brief:
  id: alert-test
  title: Alert test brief
  source: tests/integration/test_alerts.py
  threshold: 5
signals:
  - id: open-weights-tender
    kind: confirm
    weight: 5
    says: A tender <requires> open weights & escrow
    any: ["open weights"]
  - id: closed-frontier
    kind: kill
    weight: 5
    says: Buyers prefer closed frontier models
    any: ["closed frontier"]
"""

WORDS = ("harbor lantern quartz meadow copper violet falcon glacier orchard saffron timber velvet "
         "prairie cobalt ember willow granite lagoon thistle basalt juniper marble nectar oyster").split()


def distinct_body(n):
    """A body about open weights that shares few word triples with the others."""
    words = [WORDS[(n * 7 + i * (n + 3)) % len(WORDS)] + str(n) for i in range(40)]
    return "open weights " + " ".join(words)


def rss(items):
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>t</title>'
             '<link>https://example.org/</link>']
    for guid, title, link, body in items:
        parts.append(f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
                     f"<description>{body}</description></item>")
    parts.append("</channel></rss>\n")
    return "".join(parts)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    checks.true(False, f"timed out after {timeout}s waiting for {what}")
    return False


def validate(instance, schema, path="$"):
    """The subset of JSON Schema docs/webhook.md uses: oneOf, type, enum, required, properties, items, minItems, minLength."""
    if "oneOf" in schema:
        matching = [sub for sub in schema["oneOf"] if not validate(instance, sub, path)]
        return [] if len(matching) == 1 else [f"{path}: matches {len(matching)} of the oneOf shapes, not 1"]
    errors = []
    types = {"object": dict, "array": list, "string": str, "integer": int}
    expected = schema.get("type")
    if expected and (not isinstance(instance, types[expected]) or (expected == "integer" and isinstance(instance, bool))):
        return [f"{path}: expected {expected}"]
    if "enum" in schema and instance not in schema["enum"]:
        errors.append(f"{path}: {instance!r} not in {schema['enum']}")
    if schema.get("format") == "date-time" and not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", instance):
        errors.append(f"{path}: not an RFC 3339 UTC time")
    if "minLength" in schema and len(instance) < schema["minLength"]:
        errors.append(f"{path}: too short")
    if "minItems" in schema and len(instance) < schema["minItems"]:
        errors.append(f"{path}: too few items")
    for key in schema.get("required", []):
        if key not in instance:
            errors.append(f"{path}: missing {key}")
    for key, sub in schema.get("properties", {}).items():
        if isinstance(instance, dict) and key in instance:
            errors += validate(instance[key], sub, f"{path}.{key}")
    if "items" in schema:
        for i, element in enumerate(instance):
            errors += validate(element, schema["items"], f"{path}[{i}]")
    return errors


class Receiver:
    """The HTTP receiver as a process, restartable on the same port."""

    def __init__(self, work, name, port=None):
        self.log = os.path.join(work, name + ".jsonl")
        self.control = os.path.join(work, name + ".control.json")
        self.port = port or free_port()
        self.process = None
        self.set(status=200)

    def set(self, **control):
        with open(self.control + ".tmp", "w") as out:
            json.dump(control, out)
        os.replace(self.control + ".tmp", self.control)

    def start(self):
        self.process = subprocess.Popen([sys.executable, os.path.join(servers_dir, "http_receiver.py"), "--port",
                                         str(self.port), "--log", self.log, "--control", self.control],
                                        stdout=subprocess.PIPE, text=True)
        self.process.stdout.readline()
        started.append(self.process)

    def stop(self):
        if self.process:
            self.process.kill()
            self.process.wait()
            self.process = None

    def requests(self):
        if not os.path.exists(self.log):
            return []
        with open(self.log) as log:
            return [json.loads(line) for line in log]

    def accepted(self):
        return [r for r in self.requests() if r["accepted"]]


class Setup:
    """A feeds.yaml in its own folder with the test rule, a feed file and an alerts section."""

    def __init__(self, work, name, items, alerts_yaml):
        self.dir = os.path.join(work, name)
        os.makedirs(os.path.join(self.dir, "rules"))
        with open(os.path.join(self.dir, "rules", "alert-test.yaml"), "w") as out:
            out.write(RULE)
        self.write_feed(items)
        self.config = os.path.join(self.dir, "feeds.yaml")
        with open(self.config, "w") as out:
            out.write("state_dir: state\nrules_dir: rules\ninterval: 1h\nfeeds:\n  - id: wire\n    url: feed.xml\n")
            out.write("alerts:\n" + alerts_yaml)
        self.daemon = None

    def write_feed(self, items):
        with open(os.path.join(self.dir, "feed.xml"), "w") as out:
            out.write(rss(items))

    def once(self, env=None):
        return run([args.signalmond, "--config", self.config, "--once"], env=env)

    def start(self, env=None):
        self.log = open(os.path.join(self.dir, "daemon.log"), "w")
        self.daemon = subprocess.Popen([args.signalmond, "--config", self.config], stderr=self.log, env=env)
        started.append(self.daemon)

    def kill(self, sig=signal.SIGTERM):
        if self.daemon:
            self.daemon.send_signal(sig)
            self.daemon.wait(timeout=60)
            self.daemon = None

    def ctl(self, *words):
        return run_json([args.signalctl, "--config", self.config, *words])


def webhook_yaml(port, extra="", route_extra=""):
    return (f"  retry_base: 1s\n  retry_max: 2s\n  channels:\n    - id: hook\n      type: webhook\n"
            f"      url: http://127.0.0.1:{port}/hook\n      secret_env: SIGNALMON_TEST_SECRET\n"
            f"      headers: {{X-Team: research}}\n      timeout: 5s\n{extra}"
            f"  routes:\n    - channels: [hook]\n{route_extra}")


def render_in_chromium(html):
    """Opens the e-mail's HTML part in headless Chromium: the DOM it builds has every required part,
    and nothing from the hostile title became an element; a screenshot goes to the build directory."""
    chromium = shutil.which("chromium")
    if not chromium:
        checks.true(False, "chromium is installed (apt-get install chromium; scripts/setup.sh does)")
        return
    out_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(args.signalmond))), "test-artifacts")
    os.makedirs(out_dir, exist_ok=True)
    page = os.path.join(out_dir, "alert-email.html")
    with open(page, "w", encoding="utf-8") as file:
        file.write(html)
    with tempfile.TemporaryDirectory(prefix="signalmon-chromium-") as profile:
        # No network: the page is a local file and loads nothing; --no-sandbox because CI runs as root.
        base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                "--no-first-run", "--disable-extensions", "--window-size=800,1000"]
        dom = subprocess.run(base + ["--dump-dom", f"file://{page}"], capture_output=True, text=True, timeout=60).stdout
        png = os.path.join(out_dir, "alert-email.png")
        if os.path.exists(png):
            os.remove(png)
        subprocess.run(base + [f"--screenshot={png}", f"file://{page}"], capture_output=True, timeout=60)
    parser = PartsParser()
    parser.feed(dom)
    parts = parser.parts
    checks.equal(parts.get("kind"), "CONFIRM", "the DOM labels the kind in words")
    checks.equal(parts.get("kind-meaning"), "evidence for the thesis", "and says what it means")
    checks.true("background:#1a7f37" in parser.styles.get("kind", ""), "the kind is coloured")
    checks.equal(parts.get("brief"), "Alert test brief", "the brief's title")
    checks.true("A tender <requires> open weights & escrow" in parts.get("says", ""), "the signal's says")
    checks.true(parts.get("title", "").startswith("Zürich <script>alert(1)</script> tender"),
                f"the hostile title is text: {parts.get('title')!r}")
    checks.equal(parser.links.get("title"), "https://example.org/m1?a=1&b=2", "the title links the story")
    checks.true(parts.get("summary", "").startswith("open weights required"), "the summary")
    checks.true("open weights" in parser.marked, f"the matched words are marked: {parser.marked}")
    checks.true(re.match(r"wire, (published|found) \d{4}-\d\d-\d\d \d\d:\d\d UTC$", parts.get("source", "")),
                f"the source and time: {parts.get('source')!r}")
    checks.equal(parser.links.get("ledger"), "https://signalmon.example.org/desk/briefs/alert-test", "the ledger link")
    checks.equal(parser.elements & {"script", "img", "iframe", "object", "embed"}, set(),
                 "no element from feed text in the rendered DOM")
    with open(png, "rb") as file:
        checks.true(file.read(8) == b"\x89PNG\r\n\x1a\n", f"chromium saved a PNG screenshot at {png}")


class PartsParser(html_parser.HTMLParser):
    """The text, style and link of each data-part element, the marked words, every element name."""

    def __init__(self):
        super().__init__()
        self.parts, self.styles, self.links, self.marked, self.elements = {}, {}, {}, [], set()
        self.open = []  # (tag, part name or None)
        self.in_mark = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.add(tag)
        if tag in ("br", "meta"):
            return
        part = attrs.get("data-part")
        if part:
            self.parts.setdefault(part, "")
            self.styles[part] = attrs.get("style", "")
            if tag == "a":
                self.links[part] = attrs.get("href")
        if tag == "a" and self.open and self.open[-1][1] and "href" in attrs:
            self.links.setdefault(self.open[-1][1], attrs["href"])
        self.in_mark = self.in_mark or tag == "mark"
        if tag == "mark":
            self.marked.append("")
        self.open.append((tag, part))

    def handle_endtag(self, tag):
        while self.open:
            opened, _ = self.open.pop()
            if opened == tag:
                break
        if tag == "mark":
            self.in_mark = False

    def handle_data(self, data):
        for _, part in self.open:
            if part:
                self.parts[part] += data
        if self.in_mark:
            self.marked[-1] += data


env = dict(os.environ, SIGNALMON_TEST_SECRET=SECRET)
story_items = [(f"s{n}", f"Story {n} on open weights", f"https://news{n}.example/s{n}", distinct_body(n)) for n in range(3)]
started = []  # every server and daemon process, stopped at the end whatever happens

with tempfile.TemporaryDirectory(prefix="signalmon-alerts-") as work:
    try:
        # --- e-mail: MIME structure, encodings, one safe Subject, HTML escaping ----------------
        mail_dir = os.path.join(work, "mail")
        smtp = subprocess.Popen([SYSTEM_PYTHON, os.path.join(servers_dir, "smtp_receiver.py"), "--dir", mail_dir,
                                 "--port", str(free_port())],
                                stdout=subprocess.PIPE, text=True)
        started.append(smtp)
        smtp_port = int(smtp.stdout.readline())
        # RSS titles are HTML: the double escape survives as the text "<script>…", the CR/LF as a line break.
        hostile_title = ("Zürich &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; tender&#13;&#10;"
                         "Bcc: victim@example.org — open weights €")
        mail_setup = Setup(work, "mail-setup", [("m1", hostile_title, "https://example.org/m1?a=1&amp;b=2", "open weights required")],
                           f"  public_url: https://signalmon.example.org/desk/\n"
                           f"  channels:\n    - id: mail\n      type: email\n      url: smtp://127.0.0.1:{smtp_port}\n"
                           f"      starttls: off\n      from: \"signalmon <alerts@example.org>\"\n"
                           f"      to: [analyst@example.org, desk@example.org]\n"
                           f"  routes:\n    - channels: [mail]\n")
        mail_setup.once()
        messages = sorted(glob.glob(os.path.join(mail_dir, "*.eml")))
        checks.equal(len(messages), 1, "one e-mail for one alerting item")
        if messages:
            raw = open(messages[0], "rb").read()
            envelope = json.load(open(messages[0].replace(".eml", ".json")))
            checks.equal(envelope["mail_from"], "alerts@example.org", "envelope sender")
            checks.equal(sorted(envelope["rcpt_tos"]), ["analyst@example.org", "desk@example.org"], "envelope recipients")
            header_block = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
            checks.true(all(ord(c) < 128 for c in header_block), "headers are 7-bit ASCII")
            checks.equal(len(re.findall(r"^Subject:", header_block, re.M)), 1, "exactly one Subject header")
            checks.true(not re.search(r"^Bcc:", header_block, re.M | re.I), "no Bcc header injected from the title")
            parsed = email.message_from_bytes(raw, policy=email.policy.default)
            subject = str(parsed["Subject"])
            checks.true("Zürich" in subject and "€" in subject and "Bcc: victim" in subject, f"subject decodes: {subject!r}")
            checks.true("\n" not in subject and "\r" not in subject, "subject is one line")
            checks.equal(parsed.get_content_type(), "multipart/alternative", "multipart/alternative")
            parts = [part for part in parsed.iter_parts()]
            checks.equal([p.get_content_type() for p in parts], ["text/plain", "text/html"], "text then HTML part")
            checks.equal([p.get_content_charset() for p in parts], ["utf-8", "utf-8"], "UTF-8 parts")
            text, html = parts[0].get_content(), parts[1].get_content()
            checks.true("* A tender <requires> open weights & escrow (open-weights-tender, confirm +5)" in text,
                        "text part has the says: line")
            checks.true(subject.startswith("[confirm] Alert test brief: Zürich"), f"subject names kind and brief title")
            checks.true("Ledger: https://signalmon.example.org/desk/briefs/alert-test" in text, "text part links the ledger")
            checks.true("https://example.org/m1?a=1&b=2" in text, "text part has the link")
            stored_title = mail_setup.ctl("hits", "--json")[0]["title"]
            checks.true("<" in stored_title, f"the stored title still holds markup characters: {stored_title!r}")
            checks.true(html_module.escape(stored_title, quote=False) in html, "HTML part escapes the title")
            checks.true("A tender &lt;requires&gt; open weights &amp; escrow" in html, "HTML part escapes says:")
            render_in_chromium(html)
            checks.true(parsed["Date"] is not None, "Date header")
            sent = mail_setup.ctl("alerts", "--sent", "--json")
            checks.equal(len(sent), 1, "signalctl alerts --sent lists the e-mail")
            if sent:
                checks.equal(str(parsed["Message-ID"]), f"<{sent[0]['idempotency_key']}@example.org>",
                             "Message-ID is the idempotency key")

        # SMTP AUTH with the password from a file (a systemd credential, say); a wrong one is refused.
        auth_dir = os.path.join(work, "auth-mail")
        auth_port = free_port()
        auth_smtp = subprocess.Popen([SYSTEM_PYTHON, os.path.join(servers_dir, "smtp_receiver.py"), "--dir", auth_dir,
                                      "--port", str(auth_port), "--auth", "signalmon:pa55-w\u00f6rd"],
                                     stdout=subprocess.PIPE, text=True)
        started.append(auth_smtp)
        auth_smtp.stdout.readline()
        auth_yaml = (f"  channels:\n    - id: mail\n      type: email\n      url: smtp://127.0.0.1:{auth_port}\n"
                     f"      starttls: off\n      username: signalmon\n      password_file: smtp-password\n"
                     f"      from: alerts@example.org\n      to: [analyst@example.org]\n"
                     f"  routes:\n    - channels: [mail]\n")
        auth_setup = Setup(work, "auth-setup", story_items[:1], auth_yaml)
        with open(os.path.join(auth_setup.dir, "smtp-password"), "w") as out:
            out.write("wrong\n")
        auth_setup.once()
        checks.equal(glob.glob(os.path.join(auth_dir, "*.eml")), [], "a wrong SMTP password delivers nothing")
        refused = auth_setup.ctl("alerts", "--failed", "--json")
        checks.equal([row["last_error"] for row in refused], ["SMTP login denied"], "a refused login is a permanent failure")
        with open(os.path.join(auth_setup.dir, "smtp-password"), "w") as out:
            out.write("pa55-w\u00f6rd\n")
        run([args.signalctl, "--config", auth_setup.config, "alerts", "retry", "--all-failed"])
        auth_setup.once()
        checks.equal(len(glob.glob(os.path.join(auth_dir, "*.eml"))), 1, "with the right password the mail goes through")

        # STARTTLS is required by default: a server without it gets nothing, and the alert waits.
        tls_setup = Setup(work, "tls-setup", [("t1", "Open weights", "https://example.org/t1", "open weights")],
                          f"  channels:\n    - id: mail\n      type: email\n      url: smtp://127.0.0.1:{smtp_port}\n"
                          f"      from: alerts@example.org\n      to: [analyst@example.org]\n"
                          f"  routes:\n    - channels: [mail]\n")
        tls_setup.once()
        checks.equal(len(glob.glob(os.path.join(mail_dir, "*.eml"))), 1, "no mail in clear text when STARTTLS is required")
        pending = tls_setup.ctl("alerts", "--pending", "--json")
        checks.true(len(pending) == 1 and "STARTTLS" in pending[0]["last_error"], f"the STARTTLS refusal is recorded: {pending}")

        # --- webhook: signature, schema, headers; 500 for a while, then back ------------------
        receiver = Receiver(work, "hook")
        receiver.start()
        receiver.set(status=500, retry_after=1)
        hook_setup = Setup(work, "hook-setup", story_items, webhook_yaml(receiver.port))
        hook_setup.start(env)
        wait_for(lambda: len(receiver.requests()) >= 6, 30, "failed attempts against the 500 receiver")
        receiver.set(status=200)
        wait_for(lambda: len(receiver.accepted()) >= 3, 30, "deliveries once the receiver is back")
        time.sleep(2)
        hook_setup.kill()
        accepted = receiver.accepted()
        keys = [r["headers"]["Idempotency-Key"] for r in accepted]
        checks.equal(len(keys), 3, "three alerts accepted after the 500s")
        checks.equal(len(set(keys)), 3, "each idempotency key accepted once")
        checks.equal([r for r in receiver.requests() if r["duplicate"]], [], "no repeat after a 2xx")
        for request in accepted:
            headers, body = request["headers"], request["body"]
            expected = "sha256=" + hmac.new(SECRET.encode(), (headers["X-Signalmon-Timestamp"] + "." + body).encode(),
                                            hashlib.sha256).hexdigest()
            checks.equal(headers.get("X-Signalmon-Signature"), expected, "signature verifies with the secret")
            checks.equal(headers.get("X-Team"), "research", "custom header")
            payload = json.loads(body)
            checks.equal(validate(payload, SCHEMA), [], "payload valid against docs/webhook.md's schema")
            checks.equal(payload["idempotency_key"], headers["Idempotency-Key"], "key in header and payload")
        sent = hook_setup.ctl("alerts", "--sent", "--json")
        checks.equal(len(sent), 3, "signalctl alerts --sent shows the three")
        # While the channel fails, one alert per pass is tried and the others wait with it.
        checks.true(any(row["attempts"] >= 2 for row in sent), "attempts are recorded across the 500s")
        checks.true(all(r["status"] == 500 for r in receiver.requests()[:6]), "the first attempts met the 500s")
        status_text = subprocess.run([args.signalctl, "--config", hook_setup.config, "alerts"], capture_output=True,
                                     text=True).stdout
        checks.true(SECRET not in status_text and "127.0.0.1" not in status_text, "signalctl shows no secret or URL")
        checks.true(SECRET not in open(os.path.join(hook_setup.dir, "daemon.log")).read(), "the log holds no secret")
        receiver.stop()

        # --- receiver down, then up on the same port ------------------------------------------
        down = Receiver(work, "down")
        down_setup = Setup(work, "down-setup", story_items, webhook_yaml(down.port))
        down_setup.start(env)
        time.sleep(4)
        down.start()
        wait_for(lambda: len(down.accepted()) >= 3, 30, "deliveries once the receiver is up")
        time.sleep(2)
        down_setup.kill()
        down_keys = [r["headers"]["Idempotency-Key"] for r in down.accepted()]
        checks.equal(sorted(set(down_keys)), sorted(down_keys), "down then up: each key accepted once")
        checks.equal(len(down_keys), 3, "down then up: all three delivered")
        down.stop()

        # --- SIGKILL between storing the hits and delivering them ------------------------------
        kill = Receiver(work, "kill")
        kill.set(hang=60)
        kill.start()
        kill_setup = Setup(work, "kill-setup", story_items, webhook_yaml(kill.port))
        kill_setup.start(env)
        wait_for(lambda: len(kill.requests()) >= 1, 30, "the first delivery in flight")
        kill_setup.kill(signal.SIGKILL)
        checks.equal(len(kill_setup.ctl("alerts", "--pending", "--json")), 3, "all three still pending after SIGKILL")
        kill.set(status=200)
        kill_setup.once(env)
        kill_keys = [r["headers"]["Idempotency-Key"] for r in kill.accepted()]
        checks.equal(len(kill_keys), 3, "after restart every alert is delivered")
        checks.equal(len(set(kill_keys)), 3, "after restart each key accepted once")
        checks.equal(len(kill_setup.ctl("alerts", "--sent", "--json")), 3, "signalctl shows them sent")
        kill.stop()

        # --- 20 wire copies of one story alert once ---------------------------------------------
        wire = Receiver(work, "wire")
        wire.start()
        story = ("The European Commission opened a tender for sovereign AI systems that requires open weights "
                 "with local control and escrow of the trained parameters, according to procurement documents "
                 "published on Monday. Officials said the rules avoid dependence on closed laboratories.")
        prefixes = ["", "BRUSSELS (Reuters) - ", "BRUSSELS (AP) — ", "(AFP) ", "Brussels: "]
        copies = [(f"w{n}", "EU tender demands open weights", f"https://paper{n}.example/eu-tender-{n}",
                   prefixes[n % len(prefixes)] + story) for n in range(20)]
        wire_setup = Setup(work, "wire-setup", copies, webhook_yaml(wire.port))
        wire_setup.once(env)
        checks.equal(len(wire.requests()), 1, "20 wire copies: one webhook request")
        checks.equal(len(wire_setup.ctl("hits", "--json")), 20, "20 wire copies: every copy still stored as a hit")
        wire.stop()

        # --- a burst over the rate limit: the rest in one digest --------------------------------
        burst = Receiver(work, "burst")
        burst.start()
        burst_items = [(f"b{n}", f"Burst story {n} on open weights", f"https://burst{n}.example/b{n}", distinct_body(n + 10))
                       for n in range(8)]
        burst_setup = Setup(work, "burst-setup", burst_items, webhook_yaml(burst.port, extra="      rate_limit: 3/6s\n"))
        burst_setup.start(env)
        wait_for(lambda: len(burst.accepted()) >= 4, 30, "three alerts and one digest")
        time.sleep(2)
        burst_setup.kill()
        payloads = [json.loads(r["body"]) for r in burst.accepted()]
        checks.equal([p["type"] for p in payloads], ["alert", "alert", "alert", "digest"], "three alerts, then a digest")
        if len(payloads) == 4:
            checks.equal(len(payloads[3]["alerts"]), 5, "the digest holds the five over the limit")
            checks.equal(validate(payloads[3], SCHEMA), [], "digest valid against the schema")
            gap = burst.accepted()[3]["time"] - burst.accepted()[0]["time"]
            checks.true(gap >= 5, f"the digest waited for the rate window ({gap:.1f}s)")
        folded = burst_setup.ctl("alerts", "--json")
        checks.equal(sorted(row["status"] for row in folded), ["folded"] * 5 + ["sent"] * 4, "outbox: 4 sent, 5 folded")
        burst.stop()

        # --- a permanent failure is dead at once; signalctl alerts retry requeues it -------------
        gone = Receiver(work, "gone")
        gone.set(status=404)
        gone.start()
        gone_setup = Setup(work, "gone-setup", story_items[:1], webhook_yaml(gone.port))
        gone_setup.once(env)
        failed = gone_setup.ctl("alerts", "--failed", "--json")
        checks.equal([(row["status"], row["last_error"]) for row in failed], [("failed", "HTTP 404")], "404 is permanent")
        checks.equal(len(gone.requests()), 1, "a permanent failure is not retried")
        gone.set(status=200)
        run([args.signalctl, "--config", gone_setup.config, "alerts", "retry", "999"], expect_code=1)
        run([args.signalctl, "--config", gone_setup.config, "alerts", "retry", str(failed[0]["id"])])
        checks.equal(len(gone_setup.ctl("alerts", "--pending", "--json")), 1, "retry requeues the failed alert")
        gone_setup.once(env)
        checks.equal(len(gone.accepted()), 1, "the requeued alert is delivered")
        gone.stop()
        # --- a digest route: one message per period listing the hits --------------------------
        digest = Receiver(work, "digest")
        digest.start()
        digest_setup = Setup(work, "digest-setup", story_items, webhook_yaml(digest.port, route_extra="      digest: 3s\n"))
        digest_setup.start(env)
        wait_for(lambda: len(digest.accepted()) >= 1, 20, "the digest")
        time.sleep(4)
        digest_setup.kill()
        bodies = [json.loads(r["body"]) for r in digest.accepted()]
        checks.equal([(b["type"], len(b["alerts"])) for b in bodies], [("digest", 3)], "a digest route sends one digest")
        checks.equal({a["item_id"] for b in bodies for a in b["alerts"]}, {"s0", "s1", "s2"}, "the digest lists every hit")
        digest.stop()
        # --- feed health: a missing file failing across restarts alerts once per episode ---------
        health = Receiver(work, "health")
        health.start()
        mails_before = len(glob.glob(os.path.join(mail_dir, "*.eml")))
        health_setup = Setup(work, "health-setup", [],
                             webhook_yaml(health.port, extra=(
                                 f"    - id: mail\n      type: email\n      url: smtp://127.0.0.1:{smtp_port}\n"
                                 f"      starttls: off\n      from: alerts@example.org\n      to: [ops@example.org]\n"
                                 f"    - id: muted\n      type: webhook\n      url: http://127.0.0.1:1/muted\n"),
                                          route_extra="    - channels: [mail]\n    - channels: [muted]\n      health: false\n"))
        config_text = open(health_setup.config).read().replace(
            "feeds:\n", "feeds:\n  - id: gone\n    url: missing.xml\n    health_alert_after: 1s\n", 1)
        with open(health_setup.config, "w") as out:
            out.write(config_text)
        missing = os.path.join(health_setup.dir, "missing.xml")

        def health_payloads():
            return [json.loads(r["body"]) for r in health.accepted() if json.loads(r["body"])["type"] == "feed_health"]

        health_setup.once(env)  # the first failure: not failing for 1 s yet
        checks.equal(health_payloads(), [], "no health alert on the first failure")
        time.sleep(1.2)
        health_setup.once(env)  # a restart, failing for over 1 s: the alert
        health_setup.once(env)  # another restart, same episode: nothing more
        first = health_payloads()
        checks.equal(len(first), 1, "one feed_health payload for the episode across restarts")
        for request in health.accepted():
            payload = json.loads(request["body"])
            checks.equal(validate(payload, SCHEMA), [], "feed_health payload valid against docs/webhook.md's schema")
            checks.equal(payload["idempotency_key"], request["headers"]["Idempotency-Key"], "health key in header and payload")
        if first:
            facts = first[0]["health"]
            checks.equal((facts["feed"], facts["problem"]), ("gone", "failing"), "the payload names the failing feed")
            checks.true(facts["consecutive_failures"] >= 2, f"consecutive failures counted: {facts}")
            checks.true("last_success" not in facts, "a feed that never answered has no last_success")
        checks.equal(sorted(row["channel"] for row in health_setup.ctl("alerts", "--json")), ["hook", "mail"],
                     "one outbox row per channel; the opted-out route's channel gets none")
        checks.equal([f["health_alert"] for f in health_setup.ctl("feeds", "--json") if f["id"] == "gone"], [True],
                     "signalctl feeds shows the feed alerted")
        new_mails = sorted(glob.glob(os.path.join(mail_dir, "*.eml")))[mails_before:]
        checks.equal(len(new_mails), 1, "one health e-mail")
        if new_mails:
            subject = str(email.message_from_bytes(open(new_mails[0], "rb").read(), policy=email.policy.default)["Subject"])
            checks.true(re.fullmatch(r"\[signalmon\] feed gone failing for \d+ s", subject) is not None,
                        f"health e-mail subject: {subject!r}")
        # Recovery, then a new run of failures: the next episode alerts again, under a new key.
        with open(missing, "w") as out:
            out.write(rss([("ok1", "Nothing to see", "https://example.org/ok1", "quiet news")]))
        health_setup.once(env)
        os.remove(missing)
        health_setup.once(env)
        time.sleep(1.2)
        health_setup.once(env)
        second = health_payloads()
        checks.equal(len(second), 2, "the next episode after a recovery alerts again")
        checks.equal(len({p["idempotency_key"] for p in second}), 2, "each episode has its own key")
        health.stop()
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()

checks.finish()
