#!/usr/bin/env bash
# The CI stages beyond build + test (issue 8), run one after another on a 2-core machine:
#   asan    clang 16 build with ASan+UBSan and libFuzzer coverage (SIGNALMON_FUZZ), the whole ctest
#           suite (unit and integration) on it
#   fuzz    every libFuzzer target of that same build for SIGNALMON_FUZZ_SECONDS (default 30) each
#   tsan    clang 16 TSan build, the tests that run threads (doctest names matching *thread* and
#           friends: control socket and metrics server threads, parallel fetches) plus the
#           integration tests of the daemon's loop, signals, reloads, service interfaces and web view
#   tidy    clang-tidy-16 (.clang-tidy) on src/ with a non-unity compile_commands.json, and cppcheck
#   format  clang-format-14 --dry-run on every tracked C++ file
# usage: scripts/ci_checks.sh [STAGE...]   (default: all, in that order). Prints each stage's wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
jobs="${SIGNALMON_CI_JOBS:-2}"
fuzz_seconds="${SIGNALMON_FUZZ_SECONDS:-30}"
stages=("$@")
((${#stages[@]})) || stages=(asan fuzz tsan tidy format)

# Debian 12 packages the stages need beyond scripts/setup.sh: clang 16 for libFuzzer and for a
# clang-tidy that reads libstdc++ 12's <expected>, cppcheck, clang-format.
install_tools() {
    local packages=(clang-16 libclang-rt-16-dev clang-tidy-16 clang-format-14 cppcheck)
    local missing=()
    for package in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if ((${#missing[@]})); then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
}

configure_and_build() {  # DIR TARGETS... -- CMAKE_ARGS...
    local dir="$1"
    shift
    local targets=()
    while [ "$1" != "--" ]; do targets+=(--target "$1"); shift; done
    shift
    # A tree configured by another compiler (an older layout of these stages) cannot be reused.
    if [ -f "$dir/CMakeCache.txt" ] && ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-16$' "$dir/CMakeCache.txt"; then
        rm -rf "$dir"
    fi
    # -O1 and line tables only: what the sanitizers need for speed and stack traces, at a fraction
    # of the compile time of -O2 -g.
    cmake -S . -B "$dir" -DCMAKE_CXX_COMPILER=clang++-16 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DSIGNALMON_BUILD_BENCH=OFF "$@" >/dev/null
    cmake --build "$dir" -j"$jobs" "${targets[@]}"
}

# One instrumented build serves the asan and fuzz stages: SIGNALMON_FUZZ compiles everything with
# ASan+UBSan and libFuzzer's coverage hooks, links the tests and daemons normally and the fuzz
# targets with libFuzzer's main.
build_asan() { configure_and_build build-asan -- -DSIGNALMON_FUZZ=ON; }

stage_asan() {
    build_asan
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
        ctest --test-dir build-asan --output-on-failure -j"$jobs"
}

stage_fuzz() {
    build_asan
    fuzz/run.sh build-asan "$fuzz_seconds"
}

stage_tsan() {
    configure_and_build build-tsan signalmon_tests signalmond signalctl -- -DSIGNALMON_SANITIZE=thread
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 build-tsan/tests/signalmon_tests \
        --test-case='*thread*,*reload*,*dispatch*,*concurren*,*parallel*,*control socket*,*metrics*' --no-version
    TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure \
        -R 'integration\.test_(pipeline|service|daemon_signals|rules_reload|web$)'
}

stage_tidy() {
    # Configured only, never built: a unity build's compile_commands.json names the batch files.
    cmake -S . -B build-tidy -DSIGNALMON_UNITY_BUILD=OFF -DSIGNALMON_BUILD_BENCH=OFF >/dev/null
    mapfile -t sources < <(git ls-files 'src/*.cpp')
    # clang 16 spells C++23 "c++2b" and, like every clang before 19, needs to be told it may use
    # libstdc++ 12's std::expected (cmake/Sanitizers.cmake explains).
    run-clang-tidy-16 -quiet -p build-tidy -j "$jobs" -extra-arg=-std=c++2b -extra-arg=-U__cpp_concepts \
        -extra-arg=-D__cpp_concepts=202002L "${sources[@]/#/$root/}" > build-tidy/clang-tidy.log 2>&1 ||
        { grep -E "(warning|error):" build-tidy/clang-tidy.log | sort -u; echo "clang-tidy failed (build-tidy/clang-tidy.log)"; return 1; }
    cppcheck --quiet --error-exitcode=1 --std=c++20 --language=c++ --enable=warning,style,performance,portability \
        --inline-suppr --suppressions-list=scripts/cppcheck.suppress -I src -j "$jobs" src
}

stage_format() {
    local unformatted
    unformatted=$(git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 --dry-run 2>&1 | grep -oP '^[^:]+(?=:\d+:\d+: warning)' | sort -u || true)
    if [ -n "$unformatted" ]; then
        echo "not formatted (clang-format-14 -i FILE fixes it):"
        echo "$unformatted"
        return 1
    fi
    echo "format: $(git ls-files '*.cpp' '*.hpp' | wc -l) files follow .clang-format"
}

install_tools
status=0
for stage in "${stages[@]}"; do
    echo "=== stage $stage"
    started=$(date +%s)
    # A subshell with errexit of its own: in an `if` condition bash would ignore `set -e` inside the
    # stage, and a failed build would go on to run its tests.
    set +e
    (set -e; "stage_$stage")
    result=$?
    set -e
    if ((result == 0)); then verdict=ok; else verdict=FAILED; status=1; fi
    echo "=== stage $stage: $verdict in $(($(date +%s) - started))s"
done
exit "$status"
