#!/usr/bin/env bash
# Writes COUNT random valid modules made by binaryen's `wasm-opt -ttf` (from deterministic
# pseudo-random bytes, with the features differential.py uses) as fuzz_exec seeds.
#
#   fuzz/make_ttf_seeds.sh <output-dir> [count=50]
set -euo pipefail
out="$1"
count="${2:-50}"
mkdir -p "$out"
input="$(mktemp)"
trap 'rm -f "$input"' EXIT
features=(--mvp-features --enable-sign-ext --enable-nontrapping-float-to-int
  --enable-mutable-globals --enable-multivalue --enable-bulk-memory --enable-reference-types
  --enable-simd)
for ((i = 0; i < count; ++i)); do
  # 1-8 KiB of bytes from a seeded generator, so the seeds are the same on every machine.
  python3 -c "import random, sys; sys.stdout.buffer.write(random.Random($i).randbytes($((1024 * (i % 8 + 1)))))" >"$input"
  wasm-opt "$input" -ttf "${features[@]}" -o "$out/ttf-$i.wasm" 2>/dev/null || true
done
