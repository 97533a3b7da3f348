#!/usr/bin/env bash
# The main job: build Loom, then run the bundled example module under the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
./build/loom run --invoke fib examples/fib.wasm 50
./build/loom run --invoke fib_recursive examples/fib.wasm 25
