#!/usr/bin/env bash
# Build Loom and run every test: unit tests and the spec testsuite checks (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
