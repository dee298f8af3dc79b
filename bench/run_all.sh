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
# Matching quality (precision and recall of merges, not a timing): skips
# itself when the shared real data is absent.
if [ -x bench/reconcile/run_matching.sh ]; then
  echo "=== bench/reconcile (matching quality)"
  bash bench/reconcile/run_matching.sh "$build"
fi
