#!/usr/bin/env bash
# Builds fuzz_decode_validate with clang + libFuzzer + ASan/UBSan and fuzzes it for a while.
# Fails (non-zero exit) on any crash, sanitizer report, timeout or leak; the reproducer is left in
# the artifacts directory and its path printed.
#
#   fuzz/smoke.sh [seconds=60] [extra libFuzzer flags...]
# Environment: BUILD_DIR (default <repo>/build-fuzz), CC/CXX (default clang-19/clang++-19),
#              JOBS (parallel fuzzing jobs, default 1).
set -euo pipefail

seconds="${1:-60}"
shift || true
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD_DIR:-$repo/build-fuzz}"
jobs="${JOBS:-1}"
lock="/tmp/loom-build.lock"

if [[ ! -f "$build/build.ninja" ]]; then
  CC="${CC:-clang-19}" CXX="${CXX:-clang++-19}" cmake -S "$repo" -B "$build" -G Ninja \
    -DLOOM_FUZZ=ON -DLOOM_TESTS=OFF -DLOOM_BENCH=OFF >/dev/null
fi
# The build machine is shared: take the build lock when it exists.
if command -v flock >/dev/null; then
  flock "$lock" ninja -C "$build" fuzz_decode_validate make_decode_seeds
else
  ninja -C "$build" fuzz_decode_validate make_decode_seeds
fi

seeds="$repo/fuzz/corpus/decode"
work="$build/fuzz-work"
corpus="$work/corpus"
artifacts="$work/artifacts-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$seeds" "$corpus" "$artifacts"
"$build/fuzz/make_decode_seeds" "$corpus"

echo "fuzzing for ${seconds}s (corpus: $corpus, seeds: $seeds)"
parallel=()
if [[ "$jobs" -gt 1 ]]; then parallel=(-fork="$jobs" -ignore_crashes=0); fi
status=0
"$build/fuzz/fuzz_decode_validate" "$corpus" "$seeds" \
  -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "${parallel[@]}" \
  "$@" || status=$?

if [[ $status -ne 0 ]] || compgen -G "$artifacts/*" >/dev/null; then
  echo "FUZZ FAILURE (exit $status). Reproducers:" >&2
  ls -l "$artifacts"/* >&2 || true
  echo "replay with: $build/fuzz/fuzz_decode_validate <reproducer>" >&2
  exit 1
fi
echo "no crashes in ${seconds}s"
