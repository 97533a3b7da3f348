#!/usr/bin/env bash
# Installs Loom's build and test dependencies from Debian packages (idempotent; needs root).
set -euo pipefail
packages=(
  cmake ninja-build g++ ccache python3          # build
  libcli11-dev                                 # CLI argument parsing
  googletest libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  wabt                                         # reference tools for tests only (wast2json, wat2wasm)
  clang-19 libclang-rt-19-dev                  # libFuzzer + ASan/UBSan for fuzz targets
)
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
