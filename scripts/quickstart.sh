#!/usr/bin/env bash
# README command 1: set up everything on a fresh Debian 12 machine, build, and
# run journeysim on the bundled quickstart scenario.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$(nproc)"

echo
echo "== journeysim validate scenarios/quickstart"
build/release/journeysim validate scenarios/quickstart
echo
echo "== journeysim population scenarios/quickstart"
mkdir -p out/quickstart
build/release/journeysim population scenarios/quickstart \
  --out out/quickstart/population.csv --edges out/quickstart/edges.csv
echo
echo "Wrote out/quickstart/population.csv and out/quickstart/edges.csv"
