#!/usr/bin/env bash
# Feature flags of the commands that execute (sandbox hardening, finding 9b): a feature the
# interpreter does not run is refused up front by `loom run` and `loom wast`, never validated and
# then found unrunnable; --enable-all there enables only what the interpreter runs. The commands
# that only decode, validate or convert keep accepting what their stages implement.
# Usage: features_test.sh LOOM WORK_DIR
set -u
loom=$1 work=$2
mkdir -p "$work"
source "$(dirname "${BASH_SOURCE[0]}")/check.sh"

# (memory 1 1 shared): valid with threads, which the interpreter lacks.
printf '\x00\x61\x73\x6d\x01\x00\x00\x00\x05\x04\x01\x03\x01\x01' >"$work/shared.wasm"
# (func (export "f") (result i32) (return_call 1)) (func (result i32) (i32.const 7)): tail calls
# are on by default and run.
printf '\x00\x61\x73\x6d\x01\x00\x00\x00\x01\x05\x01\x60\x00\x01\x7f\x03\x03\x02\x00\x00\x07\x05\x01\x01\x66\x00\x00\x0a\x0b\x02\x04\x00\x12\x01\x0b\x04\x00\x41\x07\x0b' \
  >"$work/return_call.wasm"
printf '(module (func (export "f") (result i32) (i32.const 7)))\n(assert_return (invoke "f") (i32.const 7))\n' \
  >"$work/ok.wast"

check "validate accepts what the validator implements" 0 '^$' \
  -- "$loom" validate --enable-threads "$work/shared.wasm"
check "print accepts it too" 0 'shared' -- "$loom" print --enable-threads "$work/shared.wasm"
check "run refuses a feature the interpreter lacks, naming it" 105 \
  '^--enable-threads: threads is not supported by the interpreter yet' \
  -- "$loom" run --enable-threads --invoke f "$work/shared.wasm"
check "wast refuses it too" 105 '^--enable-threads: threads is not supported by the interpreter yet' \
  -- "$loom" wast --enable-threads "$work/ok.wast"
check "without the flag the module is malformed, before it runs" 1 'shared.wasm' \
  -- "$loom" run --invoke f "$work/shared.wasm"
check "run --enable-all enables only what runs" 1 'shared.wasm' \
  -- "$loom" run --enable-all --invoke f "$work/shared.wasm"
check "tail calls are on by default and run" 0 '^7$' -- "$loom" run --invoke f "$work/return_call.wasm"
check "--disable-tail-call makes them malformed" 1 'return_call.wasm' \
  -- "$loom" run --disable-tail-call --invoke f "$work/return_call.wasm"
check "wast --enable-all runs a script" 0 '2 passed, 0 failed' -- "$loom" wast --enable-all "$work/ok.wast"
check "disabling is always allowed" 0 '2 passed, 0 failed' \
  -- "$loom" wast --disable-tail-call --disable-simd "$work/ok.wast"
check "help says which flags the interpreter lacks" 0 'enable-threads +Enable the threads proposal \(not supported by the interpreter yet\)' \
  -- "$loom" run --help

finish
