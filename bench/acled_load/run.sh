#!/bin/bash
# ACLED CSV load, end to end and the reader alone, against its peers in the
# same run (absolute figures on a shared machine move by +-30 %: read the
# ratios).
#
#   1. end to end, as a new user meets it: `truce init`, then `truce ingest`
#      of the file into SQLite (wall and CPU seconds, peak memory, the
#      database's size), beside `sqlite3 .import` of the same file into one
#      table (the floor for storing it at all);
#   2. the reader alone (acled_load_bench: ingest::Read with a counting sink)
#      beside pandas.read_csv and Python's csv module.
#
# Goals (issue 14): ingest faster than sqlite3 .import, database <= 1.5x the
# CSV, reader >= 30x pandas and >= 10x Python's csv, reader's peak memory
# <= 1.1x the file. Writes the figures to bench/out/acled_load.json.
#
#   bench/acled_load/run.sh [BUILD_DIR]      (default build/release)
#   ROWS=600000 regenerates bench/out/acled_bench.csv if it is missing.
#   SKIP_INGEST=1 runs the reader part only.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/release}
BIN=$BUILD/bench/acled_load/acled_load_bench
TRUCE=$BUILD/apps/truce
PY=/usr/bin/python3  # Debian's python with python3-pandas, not a pyenv one
OUT=$ROOT/bench/out
CSV=$OUT/acled_bench.csv
ROWS=${ROWS:-600000}
SKIP_INGEST=${SKIP_INGEST:-0}

for b in "$BIN" "$TRUCE"; do
  if [ ! -x "$b" ]; then
    echo "no $b: build the truce and acled_load_bench targets first" >&2
    exit 1
  fi
done
mkdir -p "$OUT"
if [ ! -f "$CSV" ]; then
  echo "generating $CSV ($ROWS rows)..." >&2
  "$PY" "$ROOT/bench/acled_load/gen_acled.py" "$CSV.tmp" "$ROWS"
  mv "$CSV.tmp" "$CSV"
fi
cat "$CSV" > /dev/null  # every run starts from the page cache
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# "wall user sys maxrss_kb" of a command (GNU time), its output to $WORK/log.
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > "$WORK/log" 2>&1 || {
    echo "failed: $*" >&2
    cat "$WORK/log" >&2
    exit 1
  }
  cat "$WORK/time"
}
db_mb() {  # the database with its WAL and journal, MB
  local f total=0
  for f in "$1" "$1-wal" "$1-journal"; do
    if [ -f "$f" ]; then total=$((total + $(stat -c %s "$f"))); fi
  done
  awk -v b="$total" 'BEGIN { printf "%.1f", b / 1e6 }'
}

ingest_s=0 ingest_cpu_s=0 ingest_rss_mb=0 db=0 import_s=0 import_db=0 stored=0
if [ "$SKIP_INGEST" != 1 ]; then
  # End to end: init + ingest, one clock.
  DB=$WORK/truce.db
  read -r w1 u1 s1 m1 < <(timed "$TRUCE" --db "$DB" init)
  read -r w2 u2 s2 m2 < <(timed "$TRUCE" --db "$DB" ingest "$CSV")
  stored=$(sqlite3 "$DB" "SELECT COUNT(*) FROM incidents")
  ingest_s=$(awk -v a="$w1" -v b="$w2" 'BEGIN { printf "%.2f", a + b }')
  ingest_cpu_s=$(awk -v a="$u1" -v b="$s1" -v c="$u2" -v d="$s2" 'BEGIN { printf "%.2f", a + b + c + d }')
  ingest_rss_mb=$(awk -v m="$m2" 'BEGIN { printf "%.1f", m * 1024 / 1e6 }')
  db=$(db_mb "$DB")
  rm -f "$DB" "$DB-wal" "$DB-shm"
  # The floor: the same file into one table by SQLite's own shell.
  IDB=$WORK/import.db
  read -r wi ui si mi < <(timed sqlite3 "$IDB" ".import --csv $CSV acled")
  import_s=$wi
  import_db=$(db_mb "$IDB")
  rm -f "$IDB"
fi

truce=$("$BIN" "$CSV")
given=$("$BIN" "$CSV" --given-hash)
pandas=$("$PY" "$ROOT/bench/acled_load/baseline.py" pandas "$CSV")
csvmod=$("$PY" "$ROOT/bench/acled_load/baseline.py" csv "$CSV")
if [ "$SKIP_INGEST" != 1 ]; then
  echo "truce-ingest rows=$stored seconds=$ingest_s cpu_seconds=$ingest_cpu_s peak_rss_mb=$ingest_rss_mb db_mb=$db"
  echo "sqlite3-import seconds=$import_s db_mb=$import_db"
fi
echo "$truce"
echo "$given"
echo "$pandas"
echo "$csvmod"

field() { sed -n "s/.*[ ]$1=\([0-9.]*\).*/\1/p" <<< " $2"; }
t=$(field seconds "$truce")
rows_t=$(field rows "$truce")
rows_p=$(field rows "$pandas")
rows_c=$(field rows "$csvmod")
if [ "$rows_t" != "$rows_p" ] || [ "$rows_t" != "$rows_c" ]; then
  echo "row counts differ: truce $rows_t, pandas $rows_p, csv $rows_c" >&2
  exit 1
fi
if [ "$SKIP_INGEST" != 1 ] && [ "$stored" != "$rows_t" ]; then
  echo "truce ingest stored $stored incidents, the file has $rows_t rows" >&2
  exit 1
fi
p=$(field seconds "$pandas")
c=$(field seconds "$csvmod")
rss=$(field peak_rss_mb "$truce")
mb=$(field file_mb "$truce")
awk -v t="$t" -v g="$(field seconds "$given")" -v p="$p" -v c="$c" -v rss="$rss" -v mb="$mb" \
    -v skip="$SKIP_INGEST" -v e="$ingest_s" -v ecpu="$ingest_cpu_s" -v i="$import_s" -v db="$db" \
    -v idb="$import_db" -v erss="$ingest_rss_mb" 'BEGIN {
  if (skip != 1) {
    printf "ingest end to end: %.1f s (%.1f s CPU) vs sqlite3 .import %.1f s: %.2fx its time (goal <= 1x)\n", e, ecpu, i, e / i
    printf "database: %.0f MB, %.2fx the CSV (goal <= 1.5x; sqlite3 .import: %.2fx); ingest peak memory %.2fx the file\n", db, db / mb, idb / mb, erss / mb
  }
  printf "reader vs pandas: %.1fx (goal >= 30x)\n", p / t
  printf "reader vs csv: %.1fx (goal >= 10x)\n", c / t
  printf "reader peak memory: %.2fx the file (goal <= 1.1x)\n", rss / mb
  printf "(with the file hash given, as the facade can: vs pandas %.1fx, vs csv %.1fx)\n", p / g, c / g
}'
cat > "$OUT/acled_load.json" << EOF
{
  "rows": $rows_t,
  "ingest_s": $ingest_s,
  "ingest_cpu_s": $ingest_cpu_s,
  "ingest_peak_rss_mb": $ingest_rss_mb,
  "sqlite_import_s": $import_s,
  "sqlite_import_db_mb": $import_db,
  "pandas_s": $p,
  "pycsv_s": $c,
  "reader_s": $t,
  "db_mb": $db,
  "csv_mb": $mb,
  "peak_rss_mb": $rss
}
EOF
echo "wrote $OUT/acled_load.json"
