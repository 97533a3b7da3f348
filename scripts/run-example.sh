#!/usr/bin/env bash
# The main job: build Loom, then run the bundled examples under the interpreter: an exported
# function called with numeric arguments, and a WASI command.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
./build/loom run --invoke fib examples/fib.wasm 50
./build/loom run --invoke fib_recursive examples/fib.wasm 25
./build/loom run examples/hello_wasi.wat "Hello from Loom" "with WASI"
