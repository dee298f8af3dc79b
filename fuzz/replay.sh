#!/usr/bin/env bash
# The fuzz_replay test: every fuzz/<target>_fuzz.cc has a <target>_replay
# driver in BIN_DIR; each replays its seeds (fuzz/corpus/<target>/) and every
# crash once found (fuzz/regressions/<target>/). Fails on the first that fails.
#   fuzz/replay.sh BIN_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$1"
for src in "$root"/fuzz/*_fuzz.cc; do
  t="$(basename "$src" _fuzz.cc)"
  dirs=()
  for d in "$root/fuzz/corpus/$t" "$root/fuzz/regressions/$t"; do [ -d "$d" ] && dirs+=("$d"); done
  [ ${#dirs[@]} -gt 0 ] || continue
  # The driver names each input on stderr before running it; show that only on failure.
  if ! out="$("$bin/${t}_replay" "${dirs[@]}" 2>&1)"; then
    printf '%s\n' "$out" | tail -n 40
    echo "fuzz_replay: $t FAILED" >&2
    exit 1
  fi
  printf '%s\n' "$out" | tail -n 1
done
