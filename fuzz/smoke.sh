#!/usr/bin/env bash
# Builds the libFuzzer targets with clang + ASan/UBSan and fuzzes each for a while:
#   decode  fuzz_decode_validate  decoder + validator (seeds: fuzz/corpus/decode, make_decode_seeds)
#   wat     fuzz_wat              WAT/WAST parser, print/reparse round trip (seeds: small spec scripts)
#   exec    fuzz_exec             instantiate + call every export under fuel (seeds: every module of
#                                 the 2.0 spec scripts, and `wasm-opt -ttf` modules when binaryen is
#                                 installed), on the default tier (the JIT where the machine has it)
#   tiers   fuzz_tiers            the JIT against the interpreter on the same inputs: results, traps,
#                                 backtraces, fuel and memory must agree (seeds: exec's)
# Fails (non-zero exit) on any crash, sanitizer report, timeout or leak; the reproducer is left in
# the artifacts directory and its path printed.
#
#   fuzz/smoke.sh [seconds-per-target=60] [extra libFuzzer flags...]
# Environment: BUILD_DIR (default <repo>/build-fuzz), CC/CXX (default clang-19/clang++-19),
#              TARGETS (default "decode wat exec tiers"), JOBS (parallel fuzzing jobs, default 1).
# Builds and fuzzing runs take the machine's build lock (/tmp/loom-build.lock) when flock exists,
# so do not call this under `serial`.
set -euo pipefail

seconds="${1:-60}"
shift || true
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$repo/build-fuzz}"
targets="${TARGETS:-decode wat exec tiers}"
jobs="${JOBS:-1}"
testsuite="$repo/../shared/wasm-testsuite"
lock="/tmp/loom-build.lock"

locked() {
  if command -v flock >/dev/null; then flock "$lock" "$@"; else "$@"; fi
}

if [[ ! -f "$build/build.ninja" ]]; then
  CC="${CC:-clang-19}" CXX="${CXX:-clang++-19}" cmake -S "$repo" -B "$build" -G Ninja \
    -DLOOM_FUZZ=ON -DLOOM_TESTS=OFF -DLOOM_BENCH=OFF >/dev/null
fi
locked ninja -C "$build" fuzz_decode_validate fuzz_wat fuzz_exec fuzz_tiers make_decode_seeds make_exec_seeds

# Without llvm-symbolizer (package llvm-19) reports stay unsymbolized: say so once, not per frame.
if ! command -v llvm-symbolizer >/dev/null && [[ -z "${ASAN_SYMBOLIZER_PATH:-}" ]]; then
  export ASAN_OPTIONS="${ASAN_OPTIONS:-symbolize=0}"
  echo "note: no llvm-symbolizer, reports will show addresses only"
fi

work="$build/fuzz-work"
artifacts="$work/artifacts-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$artifacts"

# Seed corpora (the working corpora keep what earlier runs found).
prepare_decode() {
  mkdir -p "$work/decode"
  "$build/fuzz/make_decode_seeds" "$work/decode"
  seeds=("$repo/fuzz/corpus/decode")
  max_len=4096
}
prepare_wat() {
  mkdir -p "$work/wat" "$work/wat-seeds"
  if [[ -d "$testsuite" ]]; then
    find "$testsuite" -maxdepth 1 -name '*.wast' -size -8k -exec cp {} "$work/wat-seeds/" \;
  fi
  seeds=("$work/wat-seeds")
  max_len=8192
}
prepare_exec() {
  mkdir -p "$work/exec" "$work/exec-seeds"
  if [[ -f "$testsuite/WASM-2.0-FILES.txt" ]]; then
    local files=()
    while read -r name; do
      [[ -z "$name" || "$name" == \#* ]] || files+=("$testsuite/$name")
    done <"$testsuite/WASM-2.0-FILES.txt"
    "$build/fuzz/make_exec_seeds" "$work/exec-seeds" "${files[@]}"
  fi
  if command -v wasm-opt >/dev/null && [[ ! -f "$work/exec-seeds/ttf-0.wasm" ]]; then
    "$repo/fuzz/make_ttf_seeds.sh" "$work/exec-seeds" 50
  fi
  seeds=("$work/exec-seeds" "$repo/fuzz/corpus/decode")
  max_len=16384
}
prepare_tiers() {
  prepare_exec
  mkdir -p "$work/tiers"
}

status=0
for target in $targets; do
  case "$target" in
    decode) binary=fuzz_decode_validate ;;
    wat) binary=fuzz_wat ;;
    exec) binary=fuzz_exec ;;
    tiers) binary=fuzz_tiers ;;
    *) echo "unknown target $target (decode, wat, exec, tiers)" >&2; exit 2 ;;
  esac
  "prepare_$target"
  parallel=()
  if [[ "$jobs" -gt 1 ]]; then parallel=(-fork="$jobs" -ignore_crashes=0); fi
  echo "== $binary: fuzzing for ${seconds}s (corpus: $work/$target)"
  mkdir -p "$artifacts/$target"
  locked "$build/fuzz/$binary" "$work/$target" "${seeds[@]}" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/$target/" -print_final_stats=1 "${parallel[@]}" "$@" ||
    status=$?
  if [[ $status -ne 0 ]] || compgen -G "$artifacts/$target/*" >/dev/null; then
    echo "FUZZ FAILURE in $binary (exit $status). Reproducers:" >&2
    ls -l "$artifacts/$target"/* >&2 || true
    echo "replay with: $build/fuzz/$binary <reproducer>" >&2
    exit 1
  fi
done
echo "no crashes in ${seconds}s per target ($targets)"
