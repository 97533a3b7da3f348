#!/usr/bin/env bash
# The main job: build Loom, then run it on the bundled example module.
# (Until the interpreter lands — issue 4 — the example is validated, not yet executed.)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
./build/loom validate examples/fib.wasm && echo "examples/fib.wasm: valid"
