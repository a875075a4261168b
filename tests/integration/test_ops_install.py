"""Installation and service definition: `cmake --install` lays out binaries, config, the concept
library, the unit, the sysusers entry, the documents, the example brief (not as a live rule) and
the man pages, which render with `man -l`; the unit's hardening scores at most 2.0 with
systemd-analyze; both programs' --help is complete, and every subcommand answers --help."""
import os
import re
import shutil
import subprocess
import tempfile

from harness import Checks, parse_args, run

args = parse_args()
checks = Checks()
build_dir = os.path.dirname(os.path.dirname(os.path.abspath(args.signalmond)))  # build/daemon/signalmond
unit = os.path.join(args.source_dir, "systemd", "signalmond.service")

# Hardening: the exposure number systemd-analyze prints on its last line.
if shutil.which("systemd-analyze"):
    analyzed = subprocess.run(["systemd-analyze", "security", "--offline=yes", "--no-pager", unit],
                              capture_output=True, text=True, timeout=120)
    found = re.search(r"Overall exposure level for signalmond\.service: (\d+\.\d+)", analyzed.stdout)
    checks.true(found, f"systemd-analyze prints an exposure level:\n{analyzed.stdout[-500:]}{analyzed.stderr}")
    if found:
        checks.true(float(found.group(1)) <= 2.0, f"exposure {found.group(1)} <= 2.0")
else:
    print("SKIP: systemd-analyze not installed (apt-get install systemd)")

with open(unit) as unit_file:
    text = unit_file.read()
for setting in ["Type=notify", "WatchdogSec=", "ExecReload=/bin/kill -HUP $MAINPID", "StateDirectory=signalmon",
                "ConfigurationDirectory=signalmon", "RuntimeDirectory=signalmon", "LoadCredential=",
                "User=signalmon", "SystemCallFilter=@system-service", "CapabilityBoundingSet=\n",
                "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"]:
    checks.true(setting in text, f"unit has {setting.strip()}")

# cmake --install into a staging root, as a package build does.
with tempfile.TemporaryDirectory(prefix="signalmon-install-") as root:
    prefix = "/opt/signalmon"
    run(["cmake", "--install", build_dir, "--prefix", prefix], env=dict(os.environ, DESTDIR=root))
    staged = lambda path: os.path.join(root, path.lstrip("/"))
    for path in [f"{prefix}/bin/signalmond", f"{prefix}/bin/signalctl", "/etc/signalmon/feeds.yaml",
                 "/etc/signalmon/rules/concepts.yaml", "/usr/lib/sysusers.d/signalmon.conf",
                 f"{prefix}/share/doc/signalmon/operations.md", f"{prefix}/share/doc/signalmon/webhook.md",
                 f"{prefix}/share/doc/signalmon/examples/rdm-065-open-weights.yaml"]:
        checks.true(os.path.isfile(staged(path)), f"installed {path}")
    checks.true(not os.path.exists(staged("/etc/signalmon/rules/rdm-065-open-weights.yaml")),
                "the example brief is not installed as a live rule")
    # The man pages install and render; each says what its --help says.
    manual = {}
    for page, name in [("man8/signalmond.8.gz", "signalmond"), ("man1/signalctl.1.gz", "signalctl"),
                       ("man5/signalmon-rules.5.gz", "signalmon-rules")]:
        path = staged(f"{prefix}/share/man/{page}")
        checks.true(os.path.isfile(path), f"installed {page}")
        if os.path.isfile(path) and shutil.which("man"):
            rendered = subprocess.run(["man", "-l", path], capture_output=True, text=True, timeout=60,
                                      env={k: v for k, v in dict(os.environ, MANWIDTH="200").items()
                                           if k != "MAN_KEEP_FORMATTING"})
            checks.equal(rendered.returncode, 0, f"man -l {page} exits 0")
            checks.true(re.search(rf"^NAME\n\s+{name} - ", re.sub(".\b", "", rendered.stdout), re.M),
                        f"man -l {page} renders its NAME")
            manual[name] = re.sub(".\b", "", rendered.stdout)  # overstrike bold, should a pager setting keep it
    checks.true(os.path.isdir(staged("/etc/signalmon/credentials")), "installed /etc/signalmon/credentials/")
    checks.equal(oct(os.stat(staged("/etc/signalmon/credentials")).st_mode & 0o777), "0o700", "credentials: root only")
    units = [os.path.join(dirpath, name) for dirpath, _, names in os.walk(root) for name in names
             if name == "signalmond.service"]
    checks.equal(len(units), 1, "one unit installed")
    if units:
        with open(units[0]) as installed:
            checks.true(f"ExecStart={prefix}/bin/signalmond --config /etc/signalmon/feeds.yaml" in installed.read(),
                        "the installed unit runs the installed binary")
    with open(staged("/usr/lib/sysusers.d/signalmon.conf")) as sysusers:
        checks.true(re.search(r"^u signalmon ", sysusers.read(), re.M), "sysusers.d creates user+group signalmon")

    # The installed config loads as shipped (no feeds yet) once its state_dir is somewhere writable.
    with open(staged("/etc/signalmon/feeds.yaml")) as shipped:
        config = shipped.read()
    checks.true("state_dir: /var/lib/signalmon" in config and "control_socket: /run/signalmon/control.sock" in config,
                "installed config points at the unit's directories")
    config = re.sub(r"^state_dir: .*$", f"state_dir: {root}/state", config, flags=re.M)
    config = re.sub(r"^rules_dir: .*$", f"rules_dir: {staged('/etc/signalmon/rules')}", config, flags=re.M)
    with open(os.path.join(root, "feeds.yaml"), "w") as local:
        local.write(config)
    run([staged(f"{prefix}/bin/signalmond"), "--config", os.path.join(root, "feeds.yaml"), "--once"])
    run([staged(f"{prefix}/bin/signalctl"), "rules", "check", staged("/etc/signalmon/rules")])
    # The example brief works once copied next to the concept library, as the manual says.
    shutil.copy(staged(f"{prefix}/share/doc/signalmon/examples/rdm-065-open-weights.yaml"),
                staged("/etc/signalmon/rules"))
    rules = run([staged(f"{prefix}/bin/signalctl"), "rules", "check", staged("/etc/signalmon/rules")]).stdout
    checks.true("rdm-065-open-weights" in rules, "signalctl rules check on the installed rules and the example")

# --help: every option and subcommand documented, exit 0.
daemon_help = run([args.signalmond, "--help"]).stdout
for word in ["--config", "--once", "--verbose", "--version", "SIGHUP", "SIGTERM", "NOTIFY_SOCKET", "JOURNAL_STREAM",
             "control_socket", "metrics_listen", "Exit status"]:
    checks.true(word in daemon_help, f"signalmond --help mentions {word}")
ctl_help = run([args.signalctl, "--help"]).stdout
for word in ["hits", "feeds", "rules check", "parse", "status", "reload", "poll [FEED]", "version", "--config",
             "/etc/signalmon/feeds.yaml", "exit status"]:
    checks.true(word in ctl_help, f"signalctl --help mentions {word}")
run([args.signalmond, "--no-such-option"], expect_code=2)
# Every subcommand signalctl --help lists answers --help and -h with its own usage, exit 0, before
# reading its arguments; so do the second words (rules check, feeds import, ...). The man page
# shows the same usage lines.
usages = re.findall(r"^  (\S.*?)\s*$\n^      ", ctl_help.split("\noptions:")[0], re.M)
commands = [usage.split()[0] for usage in usages]
checks.true({"hits", "feeds", "rules", "match", "replay", "brief", "eval", "parse", "status", "reload", "poll",
             "alerts", "version"} <= set(commands), f"signalctl --help lists every subcommand: {commands}")
for command in commands + ["rules check", "feeds import", "feeds export", "brief import", "alerts retry"]:
    for flag in ["--help", "-h"]:
        shown = run([args.signalctl, *command.split(), flag]).stdout
        checks.true(shown.startswith(f"usage: signalctl {command.split()[0]}"),
                    f"signalctl {command} {flag} prints its usage")
if "signalctl" in manual:
    flat = " ".join(manual["signalctl"].split())
    for usage in usages:
        checks.true(" ".join(usage.split()) in flat, f"man signalctl shows the usage '{usage}'")
if "signalmond" in manual:
    for word in ["--config", "--once", "--verbose", "SIGHUP", "NOTIFY_SOCKET", "timezone"]:
        checks.true(word in manual["signalmond"], f"man signalmond mentions {word}")
checks.true("--calibrate" in run([args.signalctl, "rules", "check", "--help"]).stdout,
            "rules check --help is help, not a rules directory")

checks.finish()
