#!/usr/bin/env bash
# README command 2: install what is missing, build, and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$(nproc)"
ctest --preset release

# The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
# Set JOURNEYSIM_SKIP_ASAN=1 to skip it for a quick local run.
if [ "${JOURNEYSIM_SKIP_ASAN:-0}" != "1" ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan --parallel "$(nproc)"
  ctest --preset asan
fi
