"""signalctl brief import compiles the sample brief and a second one into calibrated drafts built on
the shared concepts: the files pass `rules check` (which runs the brief's own lines as examples and
warns about the drafts), refuse to overwrite, note unknown sections, fire on a paraphrase; a file
that is not a brief is a clear error. `signalctl eval` reports recall, look-alike and background
alarms that match a count made by hand."""
import os
import re
import shutil
import subprocess
import tempfile

from harness import Checks, parse_args, run

args = parse_args()
checks = Checks()
data = os.path.join(args.source_dir, "tests", "data", "brief")
background = os.path.join(args.source_dir, "tests", "data", "eval", "background")

with tempfile.TemporaryDirectory(prefix="signalmon-brief-") as work:
    rules = os.path.join(work, "rules")
    os.mkdir(rules)
    shutil.copy(os.path.join(args.source_dir, "rules", "concepts.yaml"), rules)
    importing = [args.signalctl, "brief", "import", "--rules", rules, "--background", background]
    sample = run(importing + [os.path.join(data, "rosa-del-mar-2026-03-06-issue-65.txt"),
                              "-o", os.path.join(rules, "rdm-065.yaml")])
    found = re.search(r"brief rdm-065-open-weights-as-governance, (\d+) draft signals", sample.stderr)
    checks.true(found is not None, "import reports the brief")
    checks.true("calibrated on the background corpus" in sample.stderr and "(6013 stories)" in sample.stderr,
                "import says what it calibrated on")
    second = run(importing + [os.path.join(data, "kestrel-point-2026-04-14-issue-12.txt"),
                              "-o", os.path.join(rules, "kp-012.yaml")])
    checks.true("unknown section 'Analyst notes' ignored" in second.stderr, "unknown section noted")
    with open(os.path.join(rules, "rdm-065.yaml")) as drafted:
        text = drafted.read()
    checks.true("@procurement" in text and "near: " in text, "drafts use concepts and near")
    checks.true("\nexamples:\n  - expect: watch\n    title: \"Rash government reactions" in text,
                "the brief's own lines are examples")

    check = run([args.signalctl, "rules", "check", rules], expect_code=None)
    checks.true(re.search(r"rdm-065-open-weights-as-governance: \d+ signals", check.stdout) is not None,
                "sample passes rules check")
    checks.true(re.search(r"kp-012-subsea-cable-repair-capacity: \d+ signals", check.stdout) is not None,
                "second brief passes rules check")
    checks.true(re.search(r"examples: \d+ of 14 pass", check.stdout) is not None, "rules check runs the examples")
    checks.true("signals are marked draft: true" in check.stderr, "rules check warns about drafts")

    again = run(importing + [os.path.join(data, "kestrel-point-2026-04-14-issue-12.txt"),
                             "-o", os.path.join(rules, "kp-012.yaml")], expect_code=1)
    checks.true("exists (use --force to replace it)" in again.stderr, "no silent overwrite")

    to_stdout = run(importing + [os.path.join(data, "rosa-del-mar-2026-03-06-issue-65.txt")])
    checks.equal(to_stdout.stdout, text, "without -o the rule file goes to stdout")

    matched = subprocess.run([args.signalctl, "match", "--rules", rules, "-"], capture_output=True, text=True, check=True,
                             input="Ministry tender requires open-weight models\nAgencies must be able to run them on-prem.\n")
    checks.true(re.search(r"matched confirm confirm-\S+, weight 5", matched.stdout) is not None,
                "a drafted confirm signal fires on a paraphrase")

    calibrated = run([args.signalctl, "rules", "check", rules, "--calibrate", "--background", background],
                     expect_code=None)
    checks.true("calibration on the background corpus" in calibrated.stdout, "rules check --calibrate reports")
    checks.true(re.search(r"rdm-065-open-weights-as-governance/\S+: \d+ hits \(\d+\.\d\d per 1,000 items\)",
                          calibrated.stdout) is not None, "per-signal rates")

    config = os.path.join(work, "feeds.yaml")
    with open(os.path.join(work, "empty.xml"), "w") as out:
        out.write("<rss version='2.0'><channel><title>t</title></channel></rss>")
    with open(config, "w") as out:
        out.write("state_dir: state\nrules_dir: rules\nfeeds:\n  - id: empty\n    url: empty.xml\n")
    daemon = run([args.signalmond, "--config", config, "--once"])
    checks.true("signals are marked draft: true" in daemon.stderr, "the daemon warns while signals are draft")

    bad = run([args.signalctl, "brief", "import", os.path.join(data, "not_a_brief.txt")], expect_code=1)
    checks.true("not a Daily Brief: no 'Daily Brief' line near the top" in bad.stderr, "non-brief error")

smoke = os.path.join(args.source_dir, "tests", "data", "eval", "smoke")
evaluated = run([args.signalctl, "eval", "--rules", os.path.join(smoke, "rules"), "--background",
                 os.path.join(smoke, "background.jsonl"), os.path.join(smoke, "cases", "smoke.yaml")]).stdout
checks.true("  recall: confirm 2/2 kill 1/2 watch 1/1 = 4/5 (80.0%)\n" in evaluated, "eval recall by kind")
checks.true("  look-alike alarms: 1/2 (50.0%)\n" in evaluated, "eval look-alike alarms")
checks.true("  background alarms: 1 of 3 stories (3333.3 per 10,000)\n" in evaluated, "eval background alarms")
verbose = run([args.signalctl, "eval", "--verbose", "--rules", os.path.join(smoke, "rules"), "--background",
               os.path.join(smoke, "background.jsonl"), os.path.join(smoke, "cases", "smoke.yaml")]).stdout
checks.true("expected kill, got nothing: Waterway closed for a month" in verbose, "eval --verbose names the miss")

checks.finish()
