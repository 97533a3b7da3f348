#!/usr/bin/env bash
# End-to-end tests of the `loom` command line: exit codes and the exact shape of its messages.
# Usage: cli_test.sh LOOM SOURCE_DIR WORK_DIR
set -u
loom=$1 src=$2 work=$3
mkdir -p "$work"
source "$(dirname "${BASH_SOURCE[0]}")/check.sh"

# Writes bytes given as \xNN escapes to a file.
bytes() { printf "$2" >"$work/$1"; }

header='\x00\x61\x73\x6d\x01\x00\x00\x00'
# (func (result i32) (i32.add (i32.const 1) (f64.const 0)))
bytes bad_type.wasm "$header"'\x01\x05\x01\x60\x00\x01\x7f\x03\x02\x01\x00\x0a\x10\x01\x0e\x00\x41\x01\x44\x00\x00\x00\x00\x00\x00\x00\x00\x6a\x0b'
bytes truncated.wasm "$header"'\x01\x05\x01\x60'
bytes not_wasm.wasm 'hello world'
bytes empty_module.wasm "$header"

check "valid module" 0 '^$' -- "$loom" validate "$src/examples/fib.wasm"
check "empty module" 0 '^$' -- "$loom" validate "$work/empty_module.wasm"
check "type mismatch names offset, function and instruction" 1 \
  'bad_type.wasm: error at 0x[0-9a-f]+ in func 0: type mismatch: expected i32, got f64 \(i32.add\)' \
  -- "$loom" validate "$work/bad_type.wasm"
check "truncated file" 1 'truncated.wasm: error at 0x[0-9a-f]+: length out of bounds: section size 5 but only 2 bytes left' \
  -- "$loom" validate "$work/truncated.wasm"
check "not a wasm file" 1 'not_wasm.wasm: error at 0x0: magic header not detected' \
  -- "$loom" validate "$work/not_wasm.wasm"
check "missing file" 1 'nope.wasm: cannot open' -- "$loom" validate "$work/nope.wasm"
check "one line per bad file, good files silent" 1 \
  '^[^
]*bad_type.wasm[^
]*
[^
]*not_wasm.wasm[^
]*$' -- "$loom" validate "$src/examples/fib.wasm" "$work/bad_type.wasm" "$work/not_wasm.wasm"
check "feature flags exist" 0 '^$' -- "$loom" validate --disable-simd --enable-tail-call "$src/examples/fib.wasm"
check "unknown flag" 109 'enable-nonsense' -- "$loom" validate --enable-nonsense "$src/examples/fib.wasm"

check "run --invoke prints results" 0 '^12586269025$' -- "$loom" run --invoke fib "$src/examples/fib.wasm" 50
check "run recursive" 0 '^6765$' -- "$loom" run --invoke fib_recursive "$src/examples/fib.wasm" 20
check "run without _start" 1 'no exported function "_start"' -- "$loom" run "$src/examples/fib.wasm"
check "run bad argument" 1 'argument 1 "x" is not a valid i32' -- "$loom" run --invoke fib "$src/examples/fib.wasm" x
check "run wrong arity" 1 'expects 1 arguments' -- "$loom" run --invoke fib "$src/examples/fib.wasm"
check "run invalid module" 1 'type mismatch' -- "$loom" run "$work/bad_type.wasm"

trap_wat='(module
  (func $inner (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func $outer (export "go") (param i32) (result i32) (call $inner (local.get 0)))
  (func $recurse (export "recurse") (result i32) (call $recurse)))'
echo "$trap_wat" >"$work/trap.wat"
check "wat2wasm" 0 '^$' -- "$loom" wat2wasm "$work/trap.wat" -o "$work/trap.wasm"
check "trap message and named backtrace" 134 \
  'error: wasm trap: integer divide by zero
wasm backtrace:
  0: 0x[0-9a-f]+ - inner
  1: 0x[0-9a-f]+ - outer' -- "$loom" run --invoke go "$work/trap.wasm" 0
check "deep recursion traps, backtrace is capped" 134 \
  'call stack exhausted.*  63: 0x[0-9a-f]+ - recurse
  \.\.\. [0-9]+ more frames' -- "$loom" run --invoke recurse "$work/trap.wasm"
check "print round trip" 0 'func \$inner' -- "$loom" print "$work/trap.wasm"

# WASI through `loom run`: modules written in WAT, so no wasm toolchain is needed here.
wasi_wat='(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi from wasi\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 13))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $args_sizes (i32.const 32) (i32.const 36)))
    (call $exit (i32.load (i32.const 32)))))'
echo "$wasi_wat" >"$work/wasi.wat"
check "bundled WASI example" 0 '^one
two words$' -- "$loom" run "$src/examples/hello_wasi.wat" one "two words"
check "run a .wat WASI command" 3 '^hi from wasi$' -- "$loom" run "$work/wasi.wat" a b
check "guest arguments after --" 4 '^hi from wasi$' -- "$loom" run --env X=1 -- "$work/wasi.wat" --dir x -- 
echo '(module (import "env" "foo" (func)))' >"$work/env_import.wat"
check "unknown import names module and field" 1 \
  'unknown import: "env" "foo": no module of that name' -- "$loom" run "$work/env_import.wat"
echo '(module (import "wasi_snapshot_preview1" "fd_frob" (func)))' >"$work/wasi_unknown.wat"
check "unknown WASI function" 1 \
  'unknown import: "wasi_snapshot_preview1" "fd_frob": not a function of wasi_snapshot_preview1' \
  -- "$loom" run "$work/wasi_unknown.wat"
echo '(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32))))' >"$work/wasi_badtype.wat"
check "WASI import with the wrong type" 1 \
  'unknown import: "wasi_snapshot_preview1" "fd_write": incompatible import type: expected' \
  -- "$loom" run "$work/wasi_badtype.wat"
check "missing preopen directory" 1 'cannot open directory .*no_such_dir' \
  -- "$loom" run --dir "$work/no_such_dir" "$work/wasi.wat"

# Finding 8: WASI calls made by the start function see the bound memory (no EFAULT), and
# proc_exit there gives its code (it used to be exit status 1).
echo '(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\n")
  (func $start
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 3))
    (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)) (then unreachable)))
  (start $start)
  (func (export "_start")))' >"$work/start_write.wat"
check "start function writes with fd_write" 0 '^hi$' -- "$loom" run "$work/start_write.wat"
echo '(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $start (call $exit (i32.const 7)))
  (start $start)
  (func (export "_start") unreachable))' >"$work/start_exit.wat"
check "proc_exit in the start function gives its status" 7 '^$' -- "$loom" run "$work/start_exit.wat"
echo '(module
  (func $start unreachable)
  (start $start)
  (func (export "_start")))' >"$work/start_trap.wat"
check "a trap in the start function is reported as a trap" 134 \
  'error: wasm trap: unreachable' -- "$loom" run "$work/start_trap.wat"

# A guest writing to a closed pipe gets EPIPE from fd_write; Loom itself must not die of SIGPIPE.
echo '(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "x\n")
  (func (export "_start") (local $i i32) (local $last i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 2))
    (loop $again
      (local.set $last (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 200000))))
    (if (i32.ne (local.get $last) (i32.const 64)) (then unreachable))))' >"$work/pipe.wat"
pipe_status=$("$loom" run "$work/pipe.wat" | head -c 1 >/dev/null; echo "${PIPESTATUS[0]}")
check "writing to a closed pipe gives EPIPE to the guest" 0 '^0$' -- echo "$pipe_status"

# --tcplisten hands a listening socket to the guest as the fd after the preopens (3 here).
# The guest makes it non-blocking and exits with filetype * 16 + errno of accept: 6
# (socket_stream) and 6 (EAGAIN: nobody connected) give 102.
echo '(module
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func $set_flags (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sock_accept" (func $accept (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (drop (call $fdstat (i32.const 3) (i32.const 0)))
    (drop (call $set_flags (i32.const 3) (i32.const 4)))
    (call $exit (i32.add (i32.mul (i32.load8_u (i32.const 0)) (i32.const 16))
                         (call $accept (i32.const 3) (i32.const 4) (i32.const 64))))))' >"$work/listen.wat"
check "--tcplisten gives the guest a listening socket" 102 '^$' \
  -- "$loom" run --tcplisten 127.0.0.1:0 "$work/listen.wat"
check "--tcplisten without a port" 1 'tcplisten 127.0.0.1: expected HOST:PORT' \
  -- "$loom" run --tcplisten 127.0.0.1 "$work/listen.wat"
check "--tcplisten takes numeric addresses" 1 'tcplisten example.com:80: expected a numeric address' \
  -- "$loom" run --tcplisten example.com:80 "$work/listen.wat"
check "--tcplisten IPv6 and localhost" 102 '^$' -- "$loom" run --tcplisten '[::1]:0' --tcplisten localhost:0 "$work/listen.wat"

# A WASI reactor: `_initialize` runs before the invoked export.
echo '(module
  (global $ready (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $ready (i32.const 40)))
  (func (export "get") (param i32) (result i32) (i32.add (global.get $ready) (local.get 0))))' >"$work/reactor.wat"
check "_initialize runs before --invoke" 0 '^42$' -- "$loom" run --invoke get "$work/reactor.wat" 2

# memory64 / table64 are on by default: every command handles them, and addresses are full i64s.
echo '(module
  (memory $m i64 1 2)
  (table $t i64 funcref (elem $get))
  (data (i64.const 8) "\2a")
  (func $get (export "get") (param i64) (result i32) (i32.load8_u offset=8 (local.get 0)))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "size") (result i64) (table.size $t)))' >"$work/mem64.wat"
check "wat2wasm memory64" 0 '^$' -- "$loom" wat2wasm "$work/mem64.wat" -o "$work/mem64.wasm"
check "validate memory64" 0 '^$' -- "$loom" validate "$work/mem64.wasm"
check "print memory64" 0 '\(table \(;0;\) i64 1 1 funcref\).*\(memory \(;0;\) i64 1 2\)' \
  -- "$loom" print "$work/mem64.wasm"
check "memory64 load" 0 '^42$' -- "$loom" run --invoke get "$work/mem64.wasm" 0
check "memory64 address 2^32 traps" 134 'out of bounds memory access' \
  -- "$loom" run --invoke get "$work/mem64.wasm" 4294967296
check "memory64 grow fails with i64 -1" 0 '^-1$' -- "$loom" run --invoke grow "$work/mem64.wasm" 4294967296
check "table64 size is i64" 0 '^1$' -- "$loom" run --invoke size "$work/mem64.wasm"
check "memory64 off for 2.0" 1 'malformed (table|memory) limits flags' -- "$loom" validate --disable-memory64 "$work/mem64.wasm"

finish
