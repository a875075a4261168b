#!/usr/bin/env bash
# The benchmark suite of issue 7 in one command: bench/run.sh [--quick] [--json] [--instances].
# --quick takes under a minute, the full run under ten. --instances adds bench_instances (issue 15:
# SQLite against one and two daemons on PostgreSQL; several minutes more, and a PostgreSQL cluster). --json also prints, after the text, one JSON object of
# issue 16's figures (null: not measured, and the text says why). Numbers and how to read them:
# docs/benchmarks.md.
set -euo pipefail

quick=""
json=""
instances=""
for argument in "$@"; do
  case "$argument" in
    --quick) quick="--quick" ;;
    --json) json=1 ;;
    --instances) instances=1 ;;
    *) echo "usage: bench/run.sh [--quick] [--json] [--instances]" >&2; exit 2 ;;
  esac
done
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
cmake --build "$build" -j2 --target bench_match bench_ingest bench_poll bench_hits bench_store bench_rules bench_resident \
  signalmond ${instances:+bench_instances} >/dev/null

# Each program appends "key value" lines here (bench/support/figures.hpp).
SIGNALMON_BENCH_FIGURES=$(mktemp)
export SIGNALMON_BENCH_FIGURES
trap 'rm -f "$SIGNALMON_BENCH_FIGURES"' EXIT

started=$(date -u +%FT%TZ)
echo "== $started $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for bench in bench_match bench_ingest bench_poll bench_hits bench_store bench_rules; do
  echo
  "$build/bench/$bench" $quick
done
echo
"$build/bench/bench_resident"
if [[ -n "$instances" ]]; then
  echo
  "$build/bench/bench_instances" $quick
fi

if [[ -n "$json" ]]; then
  echo
  # Every key of issue 16, in its order; a figure no program recorded is null, with the reason.
  /usr/bin/python3 - "$SIGNALMON_BENCH_FIGURES" "$started" "${quick:+quick}" <<'PYTHON'
import json, sys

figures_file, started, quick = sys.argv[1], sys.argv[2], sys.argv[3]
not_measured = {
    "match_10k_vs_bare_hyperscan": "bench_match did not run to its 10k phrase set",
    "match_1k_vs_bare_hyperscan": "bench_match did not run to its 1k phrase set",
    "ingest_items_per_cpu_s": "bench_ingest did not run to its pipeline",
    "ingest_vs_feedparser": "python3-feedparser is not installed",
    "poll_304_vs_bare_fetch": "nginx is not installed",
    "poll_first_vs_bare_fetch": "nginx is not installed",
    "store_1m_item_cost_vs_empty": "bench_store --quick fills 100k items, not 1M",
    "hits_query_1m_max_ms": "bench_hits --quick fills 100k hits, not 1M",
    "phrases_350k_load_compile_s": "bench_rules --quick loads 35k phrases, not 350k",
    "phrases_350k_peak_mib": "bench_rules --quick loads 35k phrases, not 350k",
    "phrases_350k_cached_start_s": "bench_rules --quick loads 35k phrases, not 350k",
    "daemon_ingest_2_threads_vs_1": "the daemon ingests on one thread (issue 16 item 7 not built)",
}
# Issue 15's figures come from bench_instances, which runs only with --instances.
for key in ("instances_sqlite_1_cycle_s", "instances_pg_1_cycle_s", "instances_pg_2_cycle_s",
            "instances_sqlite_1_cpu_ms_per_feed", "instances_pg_1_cpu_ms_per_feed", "instances_pg_2_cpu_ms_per_feed",
            "instances_pg_1_vs_sqlite_cycle", "instances_pg_2_vs_pg_1_cycle"):
    not_measured[key] = "bench_instances runs with bench/run.sh --instances"
measured = {}
with open(figures_file) as lines:
    for line in lines:
        key, value = line.split()
        measured[key] = float(value)
run = {"started": started, "quick": quick == "quick"}
for key, why in not_measured.items():
    run[key] = measured.pop(key, None)
    if run[key] is None:
        print(f"json: {key} is null: {why}")
run.update(measured)
print(json.dumps(run))
PYTHON
fi
