#!/bin/bash
# ACLED CSV load: Truce against pandas.read_csv and Python's csv module, in the
# same run. Targets (PRODUCT.md): >= 30x pandas, >= 10x csv, peak memory <= 1.5x
# the file.
#
#   bench/acled_load/run.sh [BUILD_DIR]      (default build/release)
#   ROWS=600000 regenerates bench/out/acled_bench.csv if it is missing.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build/release}
BIN=$BUILD/bench/acled_load/acled_load_bench
PY=/usr/bin/python3  # Debian's python with python3-pandas, not a pyenv one
OUT=$ROOT/bench/out
CSV=$OUT/acled_bench.csv
ROWS=${ROWS:-600000}

if [ ! -x "$BIN" ]; then
  echo "no $BIN: build the acled_load_bench target first" >&2
  exit 1
fi
mkdir -p "$OUT"
if [ ! -f "$CSV" ]; then
  echo "generating $CSV ($ROWS rows)..." >&2
  "$PY" "$ROOT/bench/acled_load/gen_acled.py" "$CSV.tmp" "$ROWS"
  mv "$CSV.tmp" "$CSV"
fi
cat "$CSV" > /dev/null  # every run starts from the page cache

truce=$("$BIN" "$CSV")
given=$("$BIN" "$CSV" --given-hash)
pandas=$("$PY" "$ROOT/bench/acled_load/baseline.py" pandas "$CSV")
csvmod=$("$PY" "$ROOT/bench/acled_load/baseline.py" csv "$CSV")
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
awk -v t="$t" -v g="$(field seconds "$given")" -v p="$(field seconds "$pandas")" -v c="$(field seconds "$csvmod")" \
    -v rss="$(field peak_rss_mb "$truce")" -v mb="$(field file_mb "$truce")" 'BEGIN {
  printf "truce vs pandas: %.1fx (target >= 30x)\n", p / t
  printf "truce vs csv: %.1fx (target >= 10x)\n", c / t
  printf "truce peak memory: %.2fx the file (target <= 1.5x)\n", rss / mb
  printf "(with the file hash given, as the facade can: vs pandas %.1fx, vs csv %.1fx)\n", p / g, c / g
}'
