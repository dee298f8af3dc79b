#!/usr/bin/env bash
# Runs every benchmark against its baseline in the same run and prints ratios.
# Usage: bench/run_all.sh [BUILD_DIR]   (DEFAULT build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
for b in acled_load rule extract serve; do
  if [ -x "bench/$b/run.sh" ]; then
    echo "=== bench/$b"
    bash "bench/$b/run.sh" "$build"
  fi
done
