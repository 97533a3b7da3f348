#!/bin/sh
# Installs Loom into a temporary prefix and builds examples/embed against it, with pkg-config
# (C, shared and static) and with find_package(Loom) (CMake), then runs them.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
source=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > /dev/null
pc=$(dirname "$(find "$tmp/prefix" -name loom.pc)")
libdir=$(dirname "$pc")
export PKG_CONFIG_PATH="$pc"
guest="$source/examples/hello_wasi.wat"
expect="$(printf 'one\ntwo')"  # the guest prints argv[1..]

# pkg-config: the C example on libloom.so, then on libloom.a.
cc -std=c11 "$source/examples/embed/wasi_run.c" $(pkg-config --cflags --libs loom) -o "$tmp/run_shared"
out=$(cd "$source/examples" && LD_LIBRARY_PATH="$libdir" "$tmp/run_shared" hello_wasi.wat one two)
[ "$out" = "$expect" ] || { echo "shared: unexpected output: $out"; exit 1; }
cc -std=c11 "$source/examples/embed/wasi_run.c" $(pkg-config --cflags loom) "$libdir/libloom.a" \
  $(pkg-config --libs-only-other --static loom) -lstdc++ -lm -lpthread -o "$tmp/run_static"
out=$(cd "$source/examples" && "$tmp/run_static" hello_wasi.wat one two)
[ "$out" = "$expect" ] || { echo "static: unexpected output: $out"; exit 1; }
c++ -std=c++20 "$source/examples/embed/host.cpp" $(pkg-config --cflags --libs loom) -o "$tmp/host"
LD_LIBRARY_PATH="$libdir" "$tmp/host" > /dev/null

# find_package(Loom): every example.
cmake -S "$source/examples/embed" -B "$tmp/embed" -G Ninja -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_CXX_COMPILER_LAUNCHER= > /dev/null
cmake --build "$tmp/embed" > /dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/embed/host" | grep -q "run(12) = 144"
LD_LIBRARY_PATH="$libdir" "$tmp/embed/sandbox" | grep -q "all fuel consumed"
LD_LIBRARY_PATH="$libdir" "$tmp/embed/sandbox" 100000000 | grep -q "finished with 1000000"
out=$(cd "$source/examples" && LD_LIBRARY_PATH="$libdir" "$tmp/embed/wasi_run" hello_wasi.wat one two)
[ "$out" = "$expect" ] || { echo "find_package: unexpected output: $out"; exit 1; }
out=$(cd "$source/examples" && "$tmp/embed/wasi_run_static" hello_wasi.wat one two)
[ "$out" = "$expect" ] || { echo "find_package static: unexpected output: $out"; exit 1; }

# Only the API is exported from libloom.so (and the standard library's weak instantiations).
leaked=$(nm -D --defined-only "$libdir/libloom.so" | awk '{print $3}' | grep -v -E \
  '^(wasm_|wasi_|loom_|_ZN4loom3api|_ZNK4loom3api|_ZNSt|_ZNKSt|_ZSt|_ZZNSt|_ZZNKSt|_ZT[VIS]|_ZN9__gnu_cxx|_ZNK9__gnu_cxx|_init$|_fini$)' || true)
if [ -n "$leaked" ]; then
  echo "libloom.so exports more than the API:"
  echo "$leaked" | head
  exit 1
fi
echo "install test: ok"
