#!/bin/bash
# PostgreSQL against SQLite, same machine, same run: N generated ACLED
# incidents ingested (one file, one transaction) and ruled (truce rule) through
# the real CLI on each engine; wall and CPU time of each step (CPU: truce's
# own; the PostgreSQL server's work shows in the wall time), the ratio
# PostgreSQL / SQLite printed. A measurement: it asserts nothing.
#
#   bench/pg/run.sh [BUILD_DIR]        (default build/release)
#
# Environment: N (default 100000); BASELINE=PATH another truce binary (an
# older build) whose ingest is timed too on both engines, same run, for a
# before/after figure; NOGIS=0 skips the database without PostGIS (its run
# doubles the PostgreSQL time). Load average (1 min) is read before and after
# each step: on a shared machine a wall figure means little without it, and
# truce's CPU time is given beside it. The server is a throwaway PostgreSQL 15
# (tests/pglib.py: initdb into a temporary directory, 127.0.0.1, fsync and
# synchronous_commit off, as the tests run it — durability is not what is
# compared; SQLite runs as truce opens it, WAL with synchronous=NORMAL).
# The PostgreSQL database has PostGIS (pglib installs it in template1), so
# the GIS layers are on (store/gis.h: a GiST index on incidents' points);
# the same run on a database without PostGIS (template0, owned by a role
# that may not create it) gives their cost.
# Writes bench/out/pg.json: {"table": [...]} (bench/summary.py) and "runs",
# every step's figures.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/release}
TRUCE=$BUILD/apps/truce
PY=/usr/bin/python3
N=${N:-100000}
BASELINE=${BASELINE:-}
NOGIS=${NOGIS:-1}
OUT=$ROOT/bench/out
if [ ! -x "$TRUCE" ]; then
  echo "no $TRUCE: build the truce target first" >&2
  exit 1
fi
mkdir -p "$OUT/pg"
WORK=$(mktemp -d)
STATE=$WORK/pg-state
# The server's watchdog watches this script's pid: stopped even if killed.
trap '"$PY" "$ROOT/tests/pglib.py" fixture-stop "$STATE" > /dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
"$PY" "$ROOT/tests/pglib.py" fixture-start "$STATE" > /dev/null
ADMIN=$(head -1 "$STATE/url")
BASE=${ADMIN%/*}
psql -X -q -d "$ADMIN" -c "CREATE DATABASE bench_pg"
PGURL=$BASE/bench_pg
# Without PostGIS: a role that may not create it (not a trusted extension).
psql -X -q -d "$ADMIN" -c "CREATE ROLE bench_nogis LOGIN" \
  -c "CREATE DATABASE bench_nogis TEMPLATE template0 OWNER bench_nogis"
NOGIS_URL=${BASE/postgres@/bench_nogis@}/bench_nogis

CSV=$OUT/pg/acled-$N.csv
if [ ! -f "$CSV" ]; then
  echo "generating $CSV..." >&2
  nice "$PY" "$ROOT/bench/acled_load/gen_acled.py" "$CSV.tmp" "$N" --years 2019-2020
  mv "$CSV.tmp" "$CSV"
fi

load1() { cut -d' ' -f1 /proc/loadavg; }
timed() {  # "wall cpu load_before load_after" of a command
  local before
  before=$(load1)
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" > "$WORK/log" 2>&1 || {
    echo "failed: $*" >&2
    tail -20 "$WORK/log" >&2
    exit 1
  }
  awk -v b="$before" -v a="$(load1)" '{ printf "%s %.2f %s %s\n", $1, $2 + $3, b, a }' "$WORK/time"
}

declare -A WALL CPU LOAD
run_engine() {  # name db [truce]
  local name=$1 db=$2 bin=${3:-$TRUCE} w c l0 l1
  "$bin" --db "$db" init > /dev/null
  "$bin" --db "$db" agreement add "$ROOT/examples/idlib-2020/sochi-memorandum-2018.yaml" \
    "$ROOT/examples/idlib-2020/additional-protocol-2020.yaml" > /dev/null
  read -r w c l0 l1 < <(timed nice "$bin" --db "$db" ingest "$CSV")
  WALL[$name.ingest]=$w CPU[$name.ingest]=$c LOAD[$name.ingest]="$l0-$l1"
  echo "$name ingest: $w s wall, $c s CPU, load $l0-$l1" >&2
  read -r w c l0 l1 < <(timed nice "$bin" --db "$db" rule)
  WALL[$name.rule]=$w CPU[$name.rule]=$c LOAD[$name.rule]="$l0-$l1"
  echo "$name rule: $w s wall, $c s CPU, load $l0-$l1" >&2
}
newdb() {  # a fresh PostgreSQL database (with PostGIS) named $1; prints its URL
  psql -X -q -d "$ADMIN" -c "CREATE DATABASE $1"
  echo "$BASE/$1"
}
run_engine sqlite "$WORK/bench.db"
run_engine postgresql "$PGURL"
if [ -n "$BASELINE" ]; then
  run_engine base_sqlite "$WORK/base.db" "$BASELINE"
  run_engine base_postgresql "$(newdb bench_base)" "$BASELINE"
fi
layers=$(psql -X -At -d "$PGURL" -c "SELECT to_regclass('gis_zones') IS NOT NULL")
if [ "$layers" != t ]; then
  echo "expected the GIS layers on bench_pg" >&2
  exit 1
fi
if [ "$NOGIS" != 0 ]; then
  run_engine nogis "$NOGIS_URL"
  nolayers=$(psql -X -At -d "$NOGIS_URL" -c "SELECT to_regclass('gis_zones') IS NULL")
  if [ "$nolayers" != t ]; then
    echo "expected no GIS layers on bench_nogis" >&2
    exit 1
  fi
fi
sq_findings=$(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM findings")
pg_findings=$(psql -X -At -d "$PGURL" -c "SELECT COUNT(*) FROM findings")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'N = %s incidents (%s findings on SQLite, %s on PostgreSQL); %s cores\n' "$N" "$sq_findings" "$pg_findings" \
  "$(nproc)"
printf '%-8s %12s %12s %10s %12s %14s %12s\n' step "SQLite wall" "PG wall" "PG/SQLite" "SQLite CPU" "truce CPU on PG" \
  "load (1 min)"
table="" runs=""
for step in ingest rule; do
  r=$(ratio "${WALL[postgresql.$step]}" "${WALL[sqlite.$step]}")
  printf '%-8s %10.1f s %10.1f s %9sx %10.1f s %12.1f s %12s\n' "$step" "${WALL[sqlite.$step]}" \
    "${WALL[postgresql.$step]}" "$r" "${CPU[sqlite.$step]}" "${CPU[postgresql.$step]}" \
    "${LOAD[sqlite.$step]} / ${LOAD[postgresql.$step]}"
  table="$table${table:+,}
  {\"path\": \"$step $N incidents on PostgreSQL (wall; truce CPU ${CPU[postgresql.$step]} s, load ${LOAD[postgresql.$step]})\", \"ours\": \"${WALL[postgresql.$step]} s\", \"baseline\": \"the same on SQLite (CPU ${CPU[sqlite.$step]} s, load ${LOAD[sqlite.$step]})\", \"theirs\": \"${WALL[sqlite.$step]} s\", \"ratio\": \"${r}x\", \"goal\": \"\"}"
done
if [ -n "$BASELINE" ]; then
  printf 'This build against BASELINE=%s, same run:\n' "$BASELINE"
  for e in postgresql sqlite; do
    for step in ingest rule; do
      r=$(ratio "${WALL[$e.$step]}" "${WALL[base_$e.$step]}")
      printf '%-8s %-10s %10.1f s (CPU %.1f s) against %10.1f s (CPU %.1f s): %sx\n' "$step" "$e" \
        "${WALL[$e.$step]}" "${CPU[$e.$step]}" "${WALL[base_$e.$step]}" "${CPU[base_$e.$step]}" "$r"
      table="$table,
  {\"path\": \"$step $N incidents on $e, this build (CPU ${CPU[$e.$step]} s, load ${LOAD[$e.$step]})\", \"ours\": \"${WALL[$e.$step]} s\", \"baseline\": \"BASELINE build (CPU ${CPU[base_$e.$step]} s, load ${LOAD[base_$e.$step]})\", \"theirs\": \"${WALL[base_$e.$step]} s\", \"ratio\": \"${r}x\", \"goal\": \"\"}"
    done
  done
fi
if [ "$NOGIS" != 0 ]; then
  printf 'PostGIS layers on PostgreSQL (with / without):\n'
  for step in ingest rule; do
    r=$(ratio "${WALL[postgresql.$step]}" "${WALL[nogis.$step]}")
    printf '%-8s %10.1f s %10.1f s %11sx\n' "$step" "${WALL[postgresql.$step]}" "${WALL[nogis.$step]}" "$r"
  done
fi
for key in "${!WALL[@]}"; do
  runs="$runs${runs:+,}
  {\"incidents\": $N, \"run\": \"${key%.*}\", \"step\": \"${key##*.}\", \"wall_s\": ${WALL[$key]}, \"cpu_s\": ${CPU[$key]}, \"load\": \"${LOAD[$key]}\"}"
done
printf '{"table": [%s\n],\n"runs": [%s\n]}\n' "$table" "$runs" > "$OUT/pg.json"
echo "wrote $OUT/pg.json"
if [ "$sq_findings" != "$pg_findings" ]; then
  echo "the engines disagree on the number of findings" >&2
  exit 1
fi
