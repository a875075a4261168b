"""signalctl brief import on the sample brief and a second one: the written rule files pass
`rules check` (which warns about the draft signals), refuse to overwrite, note unknown sections,
and a file that is not a brief is a clear error."""
import os
import subprocess
import tempfile

from harness import Checks, parse_args, run

args = parse_args()
checks = Checks()
data = os.path.join(args.source_dir, "tests", "data", "brief")

with tempfile.TemporaryDirectory(prefix="signalmon-brief-") as work:
    rules = os.path.join(work, "rules")
    os.mkdir(rules)
    sample = run([args.signalctl, "brief", "import", os.path.join(data, "rosa-del-mar-2026-03-06-issue-65.txt"),
                  "-o", os.path.join(rules, "rdm-065.yaml")])
    checks.true("brief rdm-065-open-weights-as-governance, 8 draft signals" in sample.stderr, "import reports the brief")
    second = run([args.signalctl, "brief", "import", os.path.join(data, "kestrel-point-2026-04-14-issue-12.txt"),
                  "-o", os.path.join(rules, "kp-012.yaml")])
    checks.true("unknown section 'Analyst notes' ignored" in second.stderr, "unknown section noted")

    check = run([args.signalctl, "rules", "check", rules])
    checks.true("rdm-065-open-weights-as-governance: 8 signals" in check.stdout, "sample passes rules check")
    checks.true("kp-012-subsea-cable-repair-capacity: 6 signals" in check.stdout, "second brief passes rules check")
    checks.true("warning: 14 signals are marked draft: true" in check.stderr, "rules check warns about drafts")

    again = run([args.signalctl, "brief", "import", os.path.join(data, "kestrel-point-2026-04-14-issue-12.txt"),
                 "-o", os.path.join(rules, "kp-012.yaml")], expect_code=1)
    checks.true("exists (use --force to replace it)" in again.stderr, "no silent overwrite")

    to_stdout = run([args.signalctl, "brief", "import", os.path.join(data, "rosa-del-mar-2026-03-06-issue-65.txt")])
    with open(os.path.join(rules, "rdm-065.yaml")) as written:
        checks.equal(to_stdout.stdout, written.read(), "without -o the rule file goes to stdout")

    matched = subprocess.run([args.signalctl, "match", "--rules", rules, "-"], capture_output=True, text=True, check=True,
                             input="Ministry tender requires open-weight models\nAgencies must be able to run them on-prem.\n")
    checks.true("matched confirm confirm-1-government-procurement-language, weight 5" in matched.stdout,
                "a drafted confirm signal fires on a paraphrase")

    config = os.path.join(work, "feeds.yaml")
    with open(os.path.join(work, "empty.xml"), "w") as out:
        out.write("<rss version='2.0'><channel><title>t</title></channel></rss>")
    with open(config, "w") as out:
        out.write("state_dir: state\nrules_dir: rules\nfeeds:\n  - id: empty\n    url: empty.xml\n")
    daemon = run([args.signalmond, "--config", config, "--once"])
    checks.true("14 signals are marked draft: true" in daemon.stderr, "the daemon warns while signals are draft")

    bad = run([args.signalctl, "brief", "import", os.path.join(data, "not_a_brief.txt")], expect_code=1)
    checks.true("not a Daily Brief: no 'Daily Brief' line near the top" in bad.stderr, "non-brief error")

checks.finish()
