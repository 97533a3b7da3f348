#!/usr/bin/env bash
# End-to-end tests of `loom run`'s execution and resource limits: --fuel, --timeout, the store
# limits (--max-memory-size, --max-table-elements, --max-instances, --max-memories, --max-tables),
# --max-wasm-stack, and "out of memory" when the host itself runs out.
# Usage: limits_test.sh LOOM SOURCE_DIR WORK_DIR
set -u
loom=$1 src=$2 work=$3
mkdir -p "$work"
source "$(dirname "${BASH_SOURCE[0]}")/check.sh"

wat() { printf '%s\n' "$2" >"$work/$1"; }

# ---- Finding 6: an infinite loop, also in a start function, hung `loom run` forever ----
wat spin.wat '(module
  (func $spin (export "spin") (loop (br 0)))
  (func (export "_start") (call $spin))
  (func (export "count") (param i32) (result i32) (local i32)
    (loop
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if 0 (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 1)))'
wat spin_start.wat '(module (func $spin (loop (br 0))) (start $spin))'

check "finding 6: --fuel stops an infinite _start" 134 \
  '^error: wasm trap: all fuel consumed
wasm backtrace:
  0: 0x[0-9a-f]+ - spin
  1: 0x[0-9a-f]+ - ' -- "$loom" run --fuel 1000000 "$work/spin.wat"
check "finding 6: --fuel stops an infinite start function" 134 \
  '^error: wasm trap: all fuel consumed' -- "$loom" run --fuel 1000000 "$work/spin_start.wat"
check "finding 6: --fuel stops an infinite --invoke" 134 'all fuel consumed' \
  -- "$loom" run --fuel 5000 --invoke spin "$work/spin.wat"
check "finding 6: --timeout stops an infinite _start" 134 \
  '^error: wasm trap: interrupt
wasm backtrace:
  0: 0x[0-9a-f]+ - spin' -- "$loom" run --timeout 200ms "$work/spin.wat"
check "finding 6: --timeout stops an infinite start function" 134 '^error: wasm trap: interrupt' \
  -- "$loom" run --timeout 0.2s "$work/spin_start.wat"
check "--timeout in minutes" 134 'interrupt' -- "$loom" run --timeout 0.005m "$work/spin_start.wat"
check "--timeout in plain seconds" 134 'interrupt' -- "$loom" run --timeout 0.1 "$work/spin_start.wat"
check "--timeout rejects other units" 105 'expected a duration such as 5s, 500ms or 2m' \
  -- "$loom" run --timeout 5h "$work/spin.wat"
check "--fuel rejects a non-number" 104 'Could not convert: --fuel = lots' -- "$loom" run --fuel lots "$work/spin.wat"

# 20 loop iterations of 8 instructions plus 1 after the loop: fuel counts instructions.
check "fuel counts instructions: 161 is enough" 0 '^20$' \
  -- "$loom" run --fuel 161 --invoke count "$work/spin.wat" 20
check "fuel counts instructions: 160 is not" 134 'all fuel consumed' \
  -- "$loom" run --fuel 160 --invoke count "$work/spin.wat" 20
check "enough fuel and time change nothing" 0 '^12586269025$' \
  -- "$loom" run --fuel 100000 --timeout 30s --invoke fib "$src/examples/fib.wasm" 50
check "limits after FILE are the guest's arguments" 1 'expects 1 arguments' \
  -- "$loom" run --invoke fib "$src/examples/fib.wasm" --fuel 5

# ---- Finding 4: 100 tables of 10M elements allocated 8 GB at instantiation ----
tables=""
for ((i = 0; i < 100; i++)); do tables+=" (table 10000000 funcref)"; done
wat tables.wat "(module$tables (func (export \"_start\")))"
check "finding 4: table elements over the store limit fail instantiation" 1 \
  'tables.wat: resource limit exceeded: table elements of the store \(max-table-elements = 10000000\)' \
  -- bash -c "ulimit -v 4000000; exec \"\$@\"" - "$loom" run "$work/tables.wat"

wat two_tables.wat '(module (table 1000 funcref) (table 1000 funcref) (func (export "_start")))'
check "--max-table-elements lowers the limit" 1 'max-table-elements = 1999' \
  -- "$loom" run --max-table-elements 1999 "$work/two_tables.wat"
check "--max-table-elements: at the limit is fine" 0 '^$' \
  -- "$loom" run --max-table-elements 2000 "$work/two_tables.wat"
wat table_grow.wat '(module (table 1 funcref)
  (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))'
check "table.grow over the limit returns -1" 0 '^-1$' \
  -- "$loom" run --max-table-elements 10 --invoke grow "$work/table_grow.wat" 10
check "table.grow under the limit" 0 '^1$' \
  -- "$loom" run --max-table-elements 10 --invoke grow "$work/table_grow.wat" 9

wat memory.wat '(module (memory 2)
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "_start")))'
check "--max-memory-size below the initial memory" 1 \
  'resource limit exceeded: linear memory bytes of the store \(max-memory-size = 65536\)' \
  -- "$loom" run --max-memory-size 65536 "$work/memory.wat"
check "memory.grow over the limit returns -1" 0 '^-1$' \
  -- "$loom" run --max-memory-size 196608 --invoke grow "$work/memory.wat" 2
check "memory.grow under the limit" 0 '^2$' \
  -- "$loom" run --max-memory-size 196608 --invoke grow "$work/memory.wat" 1
wat two_memories.wat '(module (memory 65536) (memory 1) (func (export "_start")))'
check "default: 4 GiB of memory for the whole store" 1 'max-memory-size = 4294967296' \
  -- "$loom" run "$work/two_memories.wat"

check "--max-instances" 1 'resource limit exceeded: instances of the store \(max-instances = 0\)' \
  -- "$loom" run --max-instances 0 "$work/memory.wat"
check "--max-memories" 1 'resource limit exceeded: memories of the store \(max-memories = 0\)' \
  -- "$loom" run --max-memories 0 "$work/memory.wat"
check "--max-tables" 1 'resource limit exceeded: tables of the store \(max-tables = 1\)' \
  -- "$loom" run --max-tables 1 "$work/two_tables.wat"

wat recurse.wat '(module (func $f (export "f") (local i64 i64 i64 i64 i64 i64 i64 i64) (call $f)))'
# 8 KiB hold about 100 interpreter frames of 64 bytes of locals, or some 40 JIT frames (the
# default depth limit is 100,000 frames): the backtrace ends after at most 1,063 frames.
check "--max-wasm-stack bounds recursion" 134 \
  'call stack exhausted.*([0-9]+: 0x[0-9a-f]+ - f|\.\.\. [0-9]{1,3} more frames)$' \
  -- "$loom" run --max-wasm-stack 8192 --invoke f "$work/recurse.wat"

# ---- std::bad_alloc never escapes: the host running out of memory is reported ----
# A 10M-element table is an 80 MB allocation; under a 50 MB address-space limit it fails while
# loom itself (with a 64 KiB wasm stack) fits. Sanitizer builds reserve terabytes of shadow
# memory and cannot run under such a limit at all: skipped there.
wat big_table.wat '(module (table 10000000 funcref) (func (export "_start")))'
wat small.wat '(module (func (export "_start")))'
if (ulimit -v 50000 && "$loom" run --max-wasm-stack 65536 "$work/small.wat") >/dev/null 2>&1; then
  check "host out of memory is reported, exit 1" 1 '^loom: out of memory$' \
    -- bash -c "ulimit -v 50000; exec \"\$@\"" - "$loom" run --max-wasm-stack 65536 "$work/big_table.wat"
else
  echo "SKIP out of memory: loom does not run under ulimit -v 50000 (sanitizer build?)"
  skipped=$((skipped + 1))
fi

finish
