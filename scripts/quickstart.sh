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
mkdir -p out/quickstart
echo
echo "== journeysim population scenarios/quickstart (the synthetic HCPs and their peer network)"
build/release/journeysim population scenarios/quickstart --quiet \
  --out out/quickstart/population.csv --edges out/quickstart/edges.csv
echo
echo "== journeysim run scenarios/quickstart --replications 20"
build/release/journeysim run scenarios/quickstart --replications 20 --out out/quickstart
echo
echo "Wrote out/quickstart/: report.html (open it in a browser), summary.json, timeseries.csv, hcp_outcomes.csv,"
echo "  comparisons.csv, segments.csv, friction.csv, km.csv, charts/, population.csv, edges.csv"
echo "Next: the six teaching scenarios, scenarios/lesson-*/README.md (README: learn barrier-based design)"
echo "Trace one HCP: build/release/journeysim trace scenarios/quickstart --arm barrier_matched --hcp 3"
