#!/bin/bash
# The crash test, long: 200 kill -9 (150 of `truce ingest`, 50 of `truce serve`
# during POST /ingest, each followed by a restart), on larger files than the
# suite's crash_short, and prints the table for docs/reliability.md. The seed
# is printed; SEED=N replays a run.
#
#   bench/crash/run.sh [BUILD_DIR]      (default build/release)
#   INGEST_KILLS=150 SERVE_KILLS=50 ROWS=1000 FILES=12 SEED=...
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/release}
BIN=$BUILD/apps/truce
if [ ! -x "$BIN" ]; then
  echo "no $BIN: build the truce target first" >&2
  exit 1
fi
args=(--truce "$BIN" --ingest-kills "${INGEST_KILLS:-150}" --serve-kills "${SERVE_KILLS:-50}"
      --rows "${ROWS:-1000}" --files "${FILES:-12}")
if [ -n "${SEED:-}" ]; then args+=(--seed "$SEED"); fi
exec /usr/bin/python3 "$ROOT/tests/crash/crash_test.py" "${args[@]}"
