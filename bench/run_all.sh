#!/usr/bin/env bash
# Runs every benchmark against its baseline in the same run, then prints ONE
# table (bench/summary.py over bench/out/*.json): each hot path, our figure,
# each baseline's figure, the ratio and the goal. Every bench stays runnable
# alone (bench/<name>/run.sh).
# Usage: bench/run_all.sh [BUILD_DIR]   (DEFAULT build/release)
#   SCALE=1 also runs bench/scale (1 M and 3 M incidents through the CLI, long).
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build/release}"
benches="acled_load rule extract serve jobs"
if [ "${SCALE:-0}" = 1 ]; then benches="$benches scale"; fi
for b in $benches; do
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
echo "=== summary (bench/out/*.json)"
python3 bench/summary.py bench/out
