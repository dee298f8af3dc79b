#!/bin/bash
# Scale: N generated ACLED incidents ingested and ruled through the real CLI,
# as a user would (truce init, agreement add, ingest FILE..., rule), at
# several N; the wall and CPU time and the peak memory of each step, the
# database's size. It asserts nothing: it is a measurement.
#
#   bench/scale/run.sh [BUILD_DIR]        (default build/release)
#
# Environment: SIZES (default "1000000 3000000"; add 10000000 for the issue's
# 10 M, about an hour and 7 GB of CSV under bench/out/scale/), PER_FILE (rows
# per ingested file, default 500000: each file is one transaction, and a
# year of data, the last file ending in 2020, so that the Idlib agreements of
# 2018 and 2020 are in force for the newest rows).
#
# Writes bench/out/scale.json (one row per N and step) and, with
# python3-matplotlib, bench/out/scale.png (plot.py; a copy is kept in
# bench/scale/scale.png by hand when the README's figures are updated).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/release}
TRUCE=$BUILD/apps/truce
PY=/usr/bin/python3
SIZES=${SIZES:-"1000000 3000000"}
PER_FILE=${PER_FILE:-500000}
OUT=$ROOT/bench/out
DATA=$OUT/scale
if [ ! -x "$TRUCE" ]; then
  echo "no $TRUCE: build the truce target first" >&2
  exit 1
fi
for n in $SIZES; do
  if [ $((n % PER_FILE)) != 0 ]; then
    echo "SIZES: $n is not a multiple of PER_FILE ($PER_FILE)" >&2
    exit 1
  fi
done
mkdir -p "$DATA"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Generated once and kept under bench/out/scale/: the file of year Y
# (PER_FILE rows, numbered from (2020 - Y) * PER_FILE) is the same for every N.
files_for() {  # N -> the files of its rows, the newest PER_FILE rows of 2020 last
  local n=$1 k y f
  for ((k = n / PER_FILE - 1; k >= 0; k--)); do
    y=$((2020 - k))
    f=$DATA/acled-$PER_FILE-$y.csv
    if [ ! -f "$f" ]; then
      echo "generating $f..." >&2
      nice "$PY" "$ROOT/bench/acled_load/gen_acled.py" "$f.tmp" "$PER_FILE" --start $((k * PER_FILE)) --years "$y-$y"
      mv "$f.tmp" "$f"
    fi
    echo "$f"
  done
}

# "wall user sys maxrss_kb" of a command (GNU time); its output to $WORK/log.
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" "$@" > "$WORK/log" 2>&1 || {
    echo "failed: $*" >&2
    tail -20 "$WORK/log" >&2
    exit 1
  }
  cat "$WORK/time"
}

rows_json=""
emit() {  # n step wall cpu rss_mb
  printf '%-10s %-8s %9.1f s %9.1f s CPU %8.0f MB peak\n' "$1" "$2" "$3" "$4" "$5"
  rows_json="$rows_json${rows_json:+,}
  {\"incidents\": $1, \"step\": \"$2\", \"wall_s\": $3, \"cpu_s\": $4, \"peak_rss_mb\": $5}"
}

echo "N          step           wall            CPU        peak memory"
for n in $SIZES; do
  DB=$WORK/scale.db
  rm -f "$DB" "$DB-wal" "$DB-shm"
  "$TRUCE" --db "$DB" init > /dev/null
  "$TRUCE" --db "$DB" agreement add "$ROOT/examples/idlib-2020/sochi-memorandum-2018.yaml" \
    "$ROOT/examples/idlib-2020/additional-protocol-2020.yaml" > /dev/null
  mapfile -t files < <(files_for "$n")
  wall=0 cpu=0 rss=0
  for f in "${files[@]}"; do
    read -r w u s m < <(timed nice "$TRUCE" --db "$DB" ingest "$f")
    wall=$(awk -v a="$wall" -v b="$w" 'BEGIN { printf "%.2f", a + b }')
    cpu=$(awk -v a="$cpu" -v b="$u" -v c="$s" 'BEGIN { printf "%.2f", a + b + c }')
    rss=$(awk -v a="$rss" -v b="$m" 'BEGIN { printf "%.0f", (b / 1024 > a) ? b / 1024 : a }')
    # One line per file on stderr, as it ends: how each file's cost grows with
    # the database under it, readable while a long run goes on.
    printf '  %s: %s s, %s s CPU, %.0f MB peak, database %s MB\n' "$(basename "$f")" "$w" \
      "$(awk -v a="$u" -v b="$s" 'BEGIN { printf "%.2f", a + b }')" "$((m / 1024))" "$(du -m "$DB" | cut -f1)" >&2
  done
  stored=$(sqlite3 "$DB" "SELECT COUNT(*) FROM incidents")
  emit "$stored" ingest "$wall" "$cpu" "$rss"
  read -r w u s m < <(timed nice "$TRUCE" --db "$DB" rule)
  emit "$stored" rule "$w" "$(awk -v a="$u" -v b="$s" 'BEGIN { printf "%.2f", a + b }')" "$((m / 1024))"
  findings=$(sqlite3 "$DB" "SELECT COUNT(*) FROM findings")
  db_mb=$(du -m "$DB" | cut -f1)
  echo "$stored incidents: $findings findings, database $db_mb MB"
  rows_json="$rows_json${rows_json:+,}
  {\"incidents\": $stored, \"step\": \"database\", \"db_mb\": $db_mb, \"findings\": $findings}"
  rm -f "$DB" "$DB-wal" "$DB-shm"
done
printf '[%s\n]\n' "$rows_json" > "$OUT/scale.json"
echo "wrote $OUT/scale.json"
if "$PY" -c "import matplotlib" 2> /dev/null; then
  "$PY" "$ROOT/bench/scale/plot.py" "$OUT/scale.json" "$OUT/scale.png"
else
  echo "no python3-matplotlib: no plot" >&2
fi
