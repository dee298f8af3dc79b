#!/bin/bash
# PostgreSQL against SQLite, same machine, same run: N generated ACLED
# incidents ingested (one file, one transaction) and ruled (truce rule) through
# the real CLI on each engine; wall and CPU time of each step (CPU: truce's
# own; the PostgreSQL server's work shows in the wall time), the ratio
# PostgreSQL / SQLite printed. A measurement: it asserts nothing.
#
#   bench/pg/run.sh [BUILD_DIR]        (default build/release)
#
# Environment: N (default 100000). The server is a throwaway PostgreSQL 15
# (tests/pglib.py: initdb into a temporary directory, 127.0.0.1, fsync and
# synchronous_commit off, as the tests run it — durability is not what is
# compared; SQLite runs as truce opens it, WAL with synchronous=NORMAL).
# The PostgreSQL database has PostGIS (pglib installs it in template1), so
# the GIS layers are on (store/gis.h: a GiST index on incidents' points);
# the same run on a database without PostGIS (template0, owned by a role
# that may not create it) gives their cost.
# Writes bench/out/pg.json.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/release}
TRUCE=$BUILD/apps/truce
PY=/usr/bin/python3
N=${N:-100000}
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
NOGIS=${BASE/postgres@/bench_nogis@}/bench_nogis

CSV=$OUT/pg/acled-$N.csv
if [ ! -f "$CSV" ]; then
  echo "generating $CSV..." >&2
  nice "$PY" "$ROOT/bench/acled_load/gen_acled.py" "$CSV.tmp" "$N" --years 2019-2020
  mv "$CSV.tmp" "$CSV"
fi

timed() {  # "wall cpu" of a command
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" > "$WORK/log" 2>&1 || {
    echo "failed: $*" >&2
    tail -20 "$WORK/log" >&2
    exit 1
  }
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$WORK/time"
}

declare -A WALL CPU
run_engine() {  # name db
  local name=$1 db=$2 w c
  "$TRUCE" --db "$db" init > /dev/null
  "$TRUCE" --db "$db" agreement add "$ROOT/examples/idlib-2020/sochi-memorandum-2018.yaml" \
    "$ROOT/examples/idlib-2020/additional-protocol-2020.yaml" > /dev/null
  read -r w c < <(timed nice "$TRUCE" --db "$db" ingest "$CSV")
  WALL[$name.ingest]=$w CPU[$name.ingest]=$c
  read -r w c < <(timed nice "$TRUCE" --db "$db" rule)
  WALL[$name.rule]=$w CPU[$name.rule]=$c
}
run_engine sqlite "$WORK/bench.db"
run_engine postgresql "$PGURL"
run_engine nogis "$NOGIS"
layers=$(psql -X -At -d "$PGURL" -c "SELECT to_regclass('gis_zones') IS NOT NULL")
nolayers=$(psql -X -At -d "$NOGIS" -c "SELECT to_regclass('gis_zones') IS NULL")
if [ "$layers" != t ] || [ "$nolayers" != t ]; then
  echo "expected the GIS layers on bench_pg and not on bench_nogis" >&2
  exit 1
fi
sq_findings=$(sqlite3 "$WORK/bench.db" "SELECT COUNT(*) FROM findings")
pg_findings=$(psql -X -At -d "$PGURL" -c "SELECT COUNT(*) FROM findings")

printf 'N = %s incidents (%s findings on SQLite, %s on PostgreSQL)\n' "$N" "$sq_findings" "$pg_findings"
printf '%-8s %12s %12s %12s %14s %14s\n' step "SQLite wall" "PG wall" "PG/SQLite" "SQLite CPU" "truce CPU on PG"
json=""
for step in ingest rule; do
  ratio=$(awk -v a="${WALL[postgresql.$step]}" -v b="${WALL[sqlite.$step]}" 'BEGIN { printf "%.2f", a / b }')
  printf '%-8s %10.1f s %10.1f s %11sx %12.1f s %12.1f s\n' "$step" "${WALL[sqlite.$step]}" \
    "${WALL[postgresql.$step]}" "$ratio" "${CPU[sqlite.$step]}" "${CPU[postgresql.$step]}"
  json="$json${json:+,}
  {\"incidents\": $N, \"step\": \"$step\", \"sqlite_wall_s\": ${WALL[sqlite.$step]}, \"pg_wall_s\": ${WALL[postgresql.$step]}, \"ratio\": $ratio, \"sqlite_cpu_s\": ${CPU[sqlite.$step]}, \"pg_truce_cpu_s\": ${CPU[postgresql.$step]}, \"pg_nogis_wall_s\": ${WALL[nogis.$step]}}"
done
printf 'PostGIS layers on PostgreSQL (with / without):\n'
for step in ingest rule; do
  ratio=$(awk -v a="${WALL[postgresql.$step]}" -v b="${WALL[nogis.$step]}" 'BEGIN { printf "%.2f", a / b }')
  printf '%-8s %10.1f s %10.1f s %11sx\n' "$step" "${WALL[postgresql.$step]}" "${WALL[nogis.$step]}" "$ratio"
done
printf '[%s\n]\n' "$json" > "$OUT/pg.json"
echo "wrote $OUT/pg.json"
if [ "$sq_findings" != "$pg_findings" ]; then
  echo "the engines disagree on the number of findings" >&2
  exit 1
fi
