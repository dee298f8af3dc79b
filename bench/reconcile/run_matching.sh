#!/bin/bash
# Matching quality (issue 10, "Measured"): a labelled set made from the shared
# real ACLED rows (make_set.py), matched by the real CLI and scored pairwise
# (score_matching.py). Goal: precision and recall of merges >= 0.95.
#
#   bench/reconcile/run_matching.sh [BUILD_DIR]     (default build/release)
#   SEED=1 REPEAT=1 SHARED=/work/shared/data MATCHING=data/reconcile/matching.yaml
#
# Skips (exit 0) when the shared data is absent: a fresh clone has none.
# Writes bench/out/reconcile/ (the set, report.txt, figures.json).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/release}
BIN=$BUILD/apps/truce
SHARED=${SHARED:-/work/shared/data}
OUT=$ROOT/bench/out/reconcile
PY=/usr/bin/python3

if [ ! -x "$BIN" ]; then
  echo "no $BIN: build the truce target first" >&2
  exit 1
fi
if ! ls "$SHARED"/acled_*.csv > /dev/null 2>&1; then
  echo "skipped: no shared ACLED files in $SHARED (the matching set is made from real rows)"
  exit 0
fi
rm -rf "$OUT/set"
mkdir -p "$OUT"
"$PY" "$ROOT/bench/reconcile/make_set.py" "$OUT/set" --shared "$SHARED" --seed "${SEED:-1}" --repeat "${REPEAT:-1}"
args=("$OUT/set" --truce "$BIN" --json "$OUT/figures.json")
if [ -n "${MATCHING:-}" ]; then args+=(--matching "$MATCHING"); fi
"$PY" "$ROOT/bench/reconcile/score_matching.py" "${args[@]}" | tee "$OUT/report.txt" ||
  echo "matching: the goal (precision and recall >= 0.95) is not met; see $OUT/report.txt"
