#!/usr/bin/env bash
# Runs the libFuzzer targets of a SIGNALMON_FUZZ build, each for a fixed time, on seed corpora
# assembled from tests/data, the shipped rules and fuzz/seeds (plus every saved regression input).
# usage: fuzz/run.sh BUILD_DIR SECONDS_PER_TARGET [TARGET...]   (targets default to all)
# Crashes land in BUILD_DIR/fuzz/artifacts/; copy one to tests/data/regressions/TARGET/ once fixed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "$1" && pwd)"
seconds="$2"
shift 2
targets=("$@")
((${#targets[@]})) || targets=(feed_parse json_feed html_text date url rules brief)

# seeds TARGET: the directories (or files) its corpus starts from.
seeds() {
    case "$1" in
        feed_parse) echo "$root/tests/data/feed $root/tests/data/fetch $root/demo/feeds" ;;
        json_feed) echo "$root"/tests/data/feed/*.json "$root"/demo/feeds/*.json ;;
        html_text) echo "$root/fuzz/seeds/html_text $root/tests/data/feed/html_entities_cdata.rss.xml" ;;
        date) echo "$root/fuzz/seeds/date" ;;
        url) echo "$root/fuzz/seeds/url" ;;
        rules) echo "$root/rules" "$root"/tests/data/rules/*.yaml "$root"/tests/data/rules/*/ ;;
        brief) echo "$root/tests/data/brief" ;;
    esac
}

# dictionary TARGET
dictionary() {
    case "$1" in
        feed_parse) echo "$root/fuzz/dict/xml.dict" ;;
        json_feed) echo "$root/fuzz/dict/json.dict" ;;
        html_text) echo "$root/fuzz/dict/html.dict" ;;
        *) echo "$root/fuzz/dict/$1.dict" ;;
    esac
}

status=0
for target in "${targets[@]}"; do
    corpus="$build/fuzz/corpus/$target"
    seed_dir="$build/fuzz/seeds/$target"
    artifacts="$build/fuzz/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    rm -rf "$seed_dir" && mkdir -p "$seed_dir"
    for seed in $(seeds "$target") "$root/tests/data/regressions/$target"; do
        if [ -d "$seed" ]; then
            find "$seed" -maxdepth 1 -type f ! -name '*.md' -exec cp -t "$seed_dir" {} +
        elif [ -f "$seed" ]; then
            cp "$seed" "$seed_dir/"
        fi
    done
    echo "== fuzz_$target for ${seconds}s ($(find "$seed_dir" -type f | wc -l) seeds)"
    # rss_limit bounds memory per input; timeout flags a hang (a slow rule compile, a quadratic parse).
    if ! "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
        -dict="$(dictionary "$target")" -artifact_prefix="$artifacts/" -print_final_stats=1 \
        "$corpus" "$seed_dir" > "$build/fuzz/$target.log" 2>&1; then
        echo "fuzz_$target FAILED; log: $build/fuzz/$target.log, inputs: $artifacts/"
        grep -E "ERROR|property violated|SUMMARY" "$build/fuzz/$target.log" | head -5 || true
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz/$target.log" | tr '\n' ' ' || true
        echo
    fi
done
exit "$status"
