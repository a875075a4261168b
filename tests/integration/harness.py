"""Shared helpers for the integration tests: command-line arguments, running the real binaries."""
import argparse
import atexit
import json
import os
import subprocess
import sys


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--signalmond", required=True)
    parser.add_argument("--signalctl", required=True)
    parser.add_argument("--source-dir", required=True)
    return parser.parse_args()


def run(command, expect_code=0, **kwargs):
    """Runs command, fails the test with its output if the exit code is not expect_code (None: any)."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)
    if expect_code is not None and result.returncode != expect_code:
        sys.exit(f"FAIL: {' '.join(map(str, command))} exited {result.returncode}, expected {expect_code}\n"
                 f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


def run_json(command):
    return json.loads(run(command).stdout)


class Checks:
    """Collects failures so one run reports all of them; exit status says whether any failed."""

    def __init__(self):
        self.failures = []
        self.passed = 0

    def equal(self, actual, expected, what):
        if actual == expected:
            self.passed += 1
        else:
            self.failures.append(f"{what}:\n  expected {expected!r}\n  actual   {actual!r}")

    def true(self, condition, what):
        self.equal(bool(condition), True, what)

    def finish(self):
        for failure in self.failures:
            print("FAIL:", failure)
        print(f"{self.passed} passed, {len(self.failures)} failed")
        sys.exit(1 if self.failures else 0)


def store_yaml():
    """The feeds.yaml line choosing the store: none (SQLite in state_dir) unless
    SIGNALMON_TEST_STORE_POSTGRES_HOST names the socket folder of a throwaway cluster (the CTest
    postgresql fixture), then a fresh database there, dropped when the test ends."""
    host = os.environ.get("SIGNALMON_TEST_STORE_POSTGRES_HOST")
    if not host:
        return ""
    database = f"it_{os.getpid()}"
    admin = ["psql", "-h", host, "-U", "signalmon", "-d", "postgres", "-q", "-c"]
    run(admin + [f"CREATE DATABASE {database}"])
    atexit.register(lambda: subprocess.run(admin + [f"DROP DATABASE {database} WITH (FORCE)"], capture_output=True))
    return f"store: postgresql:///{database}?host={host}&user=signalmon\n"
