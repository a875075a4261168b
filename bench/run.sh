#!/usr/bin/env bash
# The benchmark suite of issue 7 in one command: bench/run.sh [--quick]. --quick takes under a
# minute, the full run under ten. Numbers and how to read them: docs/benchmarks.md.
set -euo pipefail

quick=""
if [[ "${1:-}" == "--quick" ]]; then
  quick="--quick"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build="${SIGNALMON_BUILD_DIR:-$root/build}"

# The poll server and the feedparser baseline are Debian packages; install what is missing.
missing=()
[[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
/usr/bin/python3 -c 'import feedparser' 2>/dev/null || missing+=(python3-feedparser)
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
  else
    echo "run.sh: ${missing[*]} missing (apt-get install them): those baselines are skipped" >&2
  fi
fi

cmake -S "$root" -B "$build" -DSIGNALMON_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target bench_match bench_ingest bench_poll bench_resident signalmond >/dev/null

echo "== $(date -u +%FT%TZ) $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for bench in bench_match bench_ingest bench_poll; do
  echo
  "$build/bench/$bench" $quick
done
echo
"$build/bench/bench_resident"
