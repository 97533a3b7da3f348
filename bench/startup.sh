#!/usr/bin/env bash
# Start-up time of `loom run` on a tiny module, against the cost of starting any process
# (/bin/true) measured in the same invocation. Usage: bench/startup.sh [RUNS=200] (after a build).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
loom=${LOOM:-build/loom}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '(module (func (export "answer") (result i32) (i32.const 42)))' >"$work/tiny.wat"
"$loom" wat2wasm "$work/tiny.wat" -o "$work/tiny.wasm"

time_runs() {  # prints the mean wall time per run in microseconds
  local start end
  start=$(date +%s%N)
  for ((i = 0; i < runs; i++)); do "$@" >/dev/null; done
  end=$(date +%s%N)
  echo $(((end - start) / runs / 1000))
}
baseline=$(time_runs /bin/true)
startup=$(time_runs "$loom" run --invoke answer "$work/tiny.wasm")
echo "process start (/bin/true):           ${baseline} us"
echo "loom run --invoke answer tiny.wasm:  ${startup} us  (+$((startup - baseline)) us over /bin/true)"
