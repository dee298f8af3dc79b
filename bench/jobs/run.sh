#!/bin/bash
# Several servers on one PostgreSQL, and writes as jobs (issue 13, "Measured"):
# reads with one and two `truce serve` on one database (wrk, the cached
# incidents page and bench/serve's varied, uncached query), the p99 of reads
# idle and while a 100 000-row ingest job runs on the server read (goal: within
# 2x), and the time until a write through one server shows in the other
# (goal: 1 s). Baselines in the same run: one server; the idle p99.
# A measurement: it asserts nothing (bench/jobs/jobs_bench.py does the work).
#
#   bench/jobs/run.sh [BUILD_DIR]        (default build/release; builds nothing)
#
# Environment: INCIDENTS (stored before, default 100000), JOB_ROWS (the ingest
# job's rows, default 100000), DURATION (wrk seconds per run, default 10),
# CONNECTIONS (default 32), ROUNDS (visibility probes, default 5). The server
# is a throwaway PostgreSQL 15 (tests/pglib.py: initdb into a temporary
# directory, 127.0.0.1, fsync off, as the tests run it). Needs wrk.
# Writes bench/out/jobs.json (bench/summary.py's table).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/release}
[[ "$BUILD" = /* ]] || BUILD=$ROOT/$BUILD
TRUCE=$BUILD/apps/truce
PY=/usr/bin/python3
if [ ! -x "$TRUCE" ]; then
  echo "no $TRUCE: build the truce target first" >&2
  exit 1
fi
command -v wrk > /dev/null || { echo "no wrk (scripts/setup.sh installs it)" >&2; exit 1; }
mkdir -p "$ROOT/bench/out"
WORK=$(mktemp -d)
STATE=$WORK/pg-state
# The server's watchdog watches this script's pid: stopped even if killed.
trap '"$PY" "$ROOT/tests/pglib.py" fixture-stop "$STATE" > /dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
"$PY" "$ROOT/tests/pglib.py" fixture-start "$STATE" > /dev/null
ADMIN=$(head -1 "$STATE/url")
psql -X -q -d "$ADMIN" -c "CREATE DATABASE bench_jobs"
"$PY" "$ROOT/bench/jobs/jobs_bench.py" --truce "$TRUCE" --db "${ADMIN%/*}/bench_jobs" \
  --out "$ROOT/bench/out/jobs.json" --incidents "${INCIDENTS:-100000}" --job-rows "${JOB_ROWS:-100000}" \
  --duration "${DURATION:-10}" --connections "${CONNECTIONS:-32}" --visibility-rounds "${ROUNDS:-5}"
