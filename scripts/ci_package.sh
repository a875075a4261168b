#!/usr/bin/env bash
# Builds the .deb, installs it as a user would (apt pulls the runtime libraries), checks the
# installed tools, then removes it. Needs root (apt, dpkg); run from .ci/run or by hand.
# Packages the build tree scripts/build.sh made (build/, or $BUILD_DIR), configuring one if there is
# none: the package always installs under /usr and its binaries are stripped (cmake/Package.cmake).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"

[ -f "$build_dir/CMakeCache.txt" ] ||
  cmake -S . -B "$build_dir" -DSIGNALMON_BUILD_TESTS=OFF -DSIGNALMON_BUILD_BENCH=OFF >/dev/null
cmake --build "$build_dir" -j"${JOBS:-2}" --target signalmond signalctl signalmon_manpages
(cd "$build_dir" && cpack -G DEB >/dev/null)
package=$(ls "$build_dir"/signalmon_*.deb)
echo "built $package"
dpkg-deb --field "$package" Package Version Depends

cleanup() { $sudo dpkg -r signalmon >/dev/null 2>&1 || true; }
trap cleanup EXIT
# A machine that ran an older package keeps its conffiles after dpkg -r: purge them, so the checks
# below see what this package installs.
$sudo dpkg --purge signalmon >/dev/null 2>&1 || true
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "./$package" >/dev/null
signalctl --version
signalctl rules check /etc/signalmon/rules
# The background corpus installs with the package: a brief imports and calibrates on it, no source tree.
brief_dir=$(mktemp -d)
printf 'Pub\n\nDaily Brief\n\nIssue 1 2026-01-01\n\nTitle-Words\n\nWhat would confirm\n\n  \xe2\x80\xa2 Ports scrap automation plans after strikes.\n' >"$brief_dir/brief.txt"
# The report is read whole: grep -q in a pipe would exit at the first match and, under pipefail,
# fail the check whenever signalctl was still writing (SIGPIPE).
report=$(signalctl brief import --rules /etc/signalmon/rules "$brief_dir/brief.txt" 2>&1 >/dev/null)
grep -q "calibrated on the background corpus /usr/share/signalmon/background" <<<"$report" ||
  { echo "FAIL: brief import does not find the installed background corpus"; exit 1; }
rm -rf "$brief_dir"
test -f /etc/signalmon/feeds.yaml
# The manuals render from the package; the webhook reference and the example brief are documents,
# and the example brief is not a live rule.
for page in /usr/share/man/man8/signalmond.8.gz /usr/share/man/man1/signalctl.1.gz \
  /usr/share/man/man5/signalmon-rules.5.gz; do
  man -l "$page" 2>/dev/null | grep "^NAME" >/dev/null || { echo "FAIL: $page does not render"; exit 1; }
done
test -f /usr/share/doc/signalmon/webhook.md
test -f /usr/share/doc/signalmon/examples/rdm-065-open-weights.yaml
[ ! -e /etc/signalmon/rules/rdm-065-open-weights.yaml ] || { echo "FAIL: the example brief is a live rule"; exit 1; }
systemd-analyze verify --man=no /lib/systemd/system/signalmond.service 2>&1 | grep -v "^$" || true
getent passwd signalmon >/dev/null || { echo "FAIL: no signalmon user after install"; exit 1; }
# The installed config must load: an empty feed list is valid, so --once polls nothing and exits 0.
state=$(mktemp -d)
sed "s|^state_dir: .*|state_dir: $state|" /etc/signalmon/feeds.yaml >"$state/feeds.yaml"
sed -i "s|^rules_dir: .*|rules_dir: /etc/signalmon/rules|" "$state/feeds.yaml"
signalmond --config "$state/feeds.yaml" --once
rm -rf "$state"

$sudo dpkg -r signalmon >/dev/null
trap - EXIT
if [ -e /usr/bin/signalctl ] || [ -e /usr/bin/signalmond ] || [ -e /lib/systemd/system/signalmond.service ]; then
  echo "FAIL: files left after dpkg -r"; exit 1
fi
echo "package: 1 passed, 0 failed"
