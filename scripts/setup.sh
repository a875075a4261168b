#!/usr/bin/env bash
# Installs signalmon's build and test dependencies from Debian 12 packages (skips what is there).
set -euo pipefail
packages=(build-essential cmake pkg-config python3
  libcurl4-openssl-dev libpugixml-dev libre2-dev libhyperscan-dev libyaml-cpp-dev libspdlog-dev
  doctest-dev libsqlite3-dev nlohmann-json3-dev libssl-dev python3-aiosmtpd libsystemd-dev libcpp-httplib-dev
  dpkg-dev systemd wordnet-base python3-feedparser chromium libpq-dev postgresql tzdata scdoc man-db)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
