#!/usr/bin/env bash
# Installs the Debian packages journeysim needs, skipping those already present.
# Safe to run again: it only calls apt-get when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config time
  libboost-dev libboost-graph-dev libboost-random-dev
  libtbb-dev libfccp-dev libyaml-cpp-dev libcli11-dev libfmt-dev nlohmann-json3-dev
  libnlopt-cxx-dev  # calibrate's optimiser (NLopt)
  libgtest-dev libgmock-dev libbenchmark-dev
  chromium  # the HTML report's browser test (tests/browser)
)
# The HTML report embeds Vega-Lite, installed at build time with npm. A Node.js
# that is already on PATH (say, from NodeSource) is kept; else Debian's.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} Debian packages are present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
