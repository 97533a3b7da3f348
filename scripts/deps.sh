#!/usr/bin/env bash
# Installs Loom's build and test dependencies from Debian packages (idempotent; needs root).
set -euo pipefail
packages=(
  cmake ninja-build g++ ccache python3          # build
  libcli11-dev                                 # CLI argument parsing
  libxbyak-dev                                 # JIT: x86-64 encoder (header-only)
  pkg-config                                   # tests/api/install_test.sh builds examples with it
  googletest libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  hyperfine                                    # bench/startup.sh
  wabt                                         # reference tools for tests only (wast2json, wat2wasm)
  clang-19 libclang-rt-19-dev                  # libFuzzer + ASan/UBSan for fuzz targets
  lld-19 libclang-rt-19-dev-wasm32 wasi-libc   # WASI test programs (tests/wasi)
  nodejs                                       # reference engine for the WASI differential tests
  binaryen                                     # wasm-opt -ttf: random modules for fuzz/differential.py
)
# NodeSource's nodejs bundles npm (Debian's npm package would conflict with it): add it only if
# missing. tests/wasi/flite_test.sh installs its npm package with it.
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
