#!/usr/bin/env bash
# Builds the libFuzzer targets of the extract module with clang++
# (-fsanitize=fuzzer,address,undefined) and runs each for SECONDS (default 60).
#   fuzz/run.sh [SECONDS] [TARGET...]     targets: segment date number extract
# Corpora are kept in build/fuzz/corpus/<target>; crashes land in build/fuzz/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(segment date number extract)
out="$root/build/fuzz"
mkdir -p "$out"
CXX="${CXX_FUZZ:-clang++}"
flags=(-std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$root/include" -DTRUCE_SOURCE_DIR="\"$root\"" $(pkg-config --cflags icu-uc icu-i18n))
libs=($(pkg-config --libs icu-uc icu-i18n) -ldate-tz -lcrypto -lpthread)
ex="$root/src/extract"
common=("$root/src/core/utf8.cc" "$ex/text.cc" "$ex/fold.cc" "$ex/segment.cc" "$ex/numbers.cc" "$ex/dates.cc")
full=("${common[@]}" "$ex/matcher.cc" "$ex/lexicon.cc" "$ex/gazetteer.cc" "$ex/extractor.cc" "$ex/output.cc"
      "$root/src/core/status.cc" "$root/src/core/env.cc" "$root/src/core/strings.cc" "$root/src/time/time.cc")
status=0
for t in "${targets[@]}"; do
  bin="$out/${t}_fuzz"
  srcs=("${common[@]}")
  [ "$t" = extract ] && srcs=("${full[@]}")
  if [ ! -x "$bin" ] || [ -n "$(find "$root/src/extract" "$root/fuzz/${t}_fuzz.cc" -newer "$bin" -print -quit)" ]; then
    echo "fuzz: building $t" >&2
    "$CXX" "${flags[@]}" "$root/fuzz/${t}_fuzz.cc" "${srcs[@]}" "${libs[@]}" -o "$bin"
  fi
  corpus="$out/corpus/$t"
  mkdir -p "$corpus"
  if [ -z "$(ls -A "$corpus")" ]; then
    printf 'MOSCOW (AP) \xe2\x80\x94 Russia and Turkey agreed Thursday, March 5, 2020, to a cease-fire. Since Feb. 3, more than 3,200 were killed.\n' > "$corpus/seed1"
    printf '<html><title>Truce</title><p>at 7:00 pm (1600 GMT) on 6 March &amp; the tenth day of the ceasefire</p>' > "$corpus/seed2"
    printf 'nearly a million, fifty-eight, hundreds of thousands, two hundred and fifty, 12-kilometer' > "$corpus/seed3"
  fi
  echo "fuzz: running $t for ${secs}s" >&2
  if ! (cd "$out" && "$bin" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
          -print_final_stats=1 "$corpus" 2>&1 | tail -n 12); then
    echo "fuzz: $t FAILED (see $out for crash-* files)" >&2
    status=1
  fi
done
exit $status
