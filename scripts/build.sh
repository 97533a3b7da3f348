#!/usr/bin/env bash
# Configures and builds Loom in build/ (Release with debug info, warnings as errors).
set -euo pipefail
cd "$(dirname "$0")/.."
"./scripts/deps.sh"
cmake -S . -B build -G Ninja -DLOOM_WERROR=ON "$@" >/dev/null
cmake --build build
