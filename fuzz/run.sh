#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake, clang, -DTRUCE_FUZZ=ON) and runs each
# in turn for SECONDS (default 60) under `nice -n 19`, then prints one line per
# target: seconds, executions, coverage (cov, ft), crashes.
#   fuzz/run.sh [SECONDS] [TARGET...]
# Targets: acled ucdp gdelt geojson agreement http segment date number extract
# (default: all). Seeds come from fuzz/corpus/<target>/ (read only); what the
# fuzzer finds goes to build/fuzz/corpus/<target>/, crashes to
# build/fuzz/crashes/<target>/, logs to build/fuzz/logs/<target>.log.
# Environment: FUZZ_BUILD (build directory, default build/fuzz), FUZZ_JOBS
# (build jobs, default 2), FUZZ_NICE (default 19), FUZZ_ARGS (more libFuzzer
# flags, e.g. "-fork=1 -ignore_crashes=1").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(acled ucdp gdelt geojson agreement http segment date number extract)
build="${FUZZ_BUILD:-$root/build/fuzz}"
niceness="${FUZZ_NICE:-19}"

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
# -O1 -g with asserts: fast enough to fuzz, and every check still on.
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DTRUCE_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" "${launcher[@]}" >/dev/null
cmake --build "$build" -j "${FUZZ_JOBS:-2}" --target "${targets[@]/%/_fuzz}"

dict_of() {
  case "$1" in
    acled | ucdp | gdelt) echo "$root/fuzz/csv.dict" ;;
    geojson | agreement | http) echo "$root/fuzz/$1.dict" ;;
  esac
}

status=0
summary=()
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t" crashes="$build/crashes/$t" tmp="$build/tmp/$t" log="$build/logs/$t.log"
  mkdir -p "$corpus" "$crashes" "$build/logs"
  rm -rf "$tmp" && mkdir -p "$tmp"  # http_fuzz's database lives here
  args=(-max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
        -artifact_prefix="$crashes/")
  dict="$(dict_of "$t")"
  [ -n "$dict" ] && args+=(-dict="$dict")
  seeds=()
  [ -d "$root/fuzz/corpus/$t" ] && seeds=("$root/fuzz/corpus/$t")
  echo "fuzz: running $t for ${secs}s (log: $log)" >&2
  started=$(date +%s)
  rc=0
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of flags
  (cd "$build" && TMPDIR="$tmp" nice -n "$niceness" "$build/fuzz/${t}_fuzz" "${args[@]}" ${FUZZ_ARGS:-} \
     "$corpus" "${seeds[@]}") >"$log" 2>&1 || rc=$?
  elapsed=$(( $(date +%s) - started ))
  rm -rf "$tmp"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  # -fork=N prints no final stats: the last "#N: cov: ..." line of the parent.
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -n 1)
  # The last status line ("#123 DONE cov: 456 ft: 789 ...", or the last pulse).
  cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1 || true)
  found=$(find "$crashes" -type f | wc -l)
  line="$t: ${elapsed}s, ${execs:-?} executions, ${cov:-cov: ?}, exit $rc, $found crash file(s) in $crashes"
  summary+=("$line")
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: broken promise|.*runtime error)' "$log" | head -n 5 >&2 || true
  fi
done
printf '%s\n' "${summary[@]}"
exit $status
