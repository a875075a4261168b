#!/usr/bin/env bash
# Sets up dependencies, builds, runs the daemon once over the bundled offline demo feeds, and lists
# the hits it stored. Pass --watch to keep the daemon running instead (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
if [ "${1:-}" = "--watch" ]; then
  exec build/daemon/signalmond --config feeds.yaml
fi
build/daemon/signalmond --config feeds.yaml --once
build/daemon/signalctl --config feeds.yaml hits --since 3650d
