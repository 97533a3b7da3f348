;; A WASI command in the text format: prints its arguments, one per line, and exits with status
;; 0 through proc_exit. Run it with `loom run examples/hello_wasi.wat one two` (loom reads .wat
;; directly).
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0: argc, 4: argv buffer size, 16: iovec, 32: written, 64: newline, 1024: argv, 4096: strings
  (data (i32.const 64) "\n")

  ;; Writes the NUL-terminated string at $s and a newline to stdout.
  (func $print_line (param $s i32) (local $end i32)
    (local.set $end (local.get $s))
    (block $done
      (loop $scan
        (br_if $done (i32.eqz (i32.load8_u (local.get $end))))
        (local.set $end (i32.add (local.get $end) (i32.const 1)))
        (br $scan)))
    (i32.store (i32.const 16) (local.get $s))
    (i32.store (i32.const 20) (i32.sub (local.get $end) (local.get $s)))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32)))
    (i32.store (i32.const 16) (i32.const 64))
    (i32.store (i32.const 20) (i32.const 1))
    (drop (call $fd_write (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 32))))

  (func (export "_start") (local $i i32)
    (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
    (drop (call $args_get (i32.const 1024) (i32.const 4096)))
    ;; argv[0] is the module's file name: start at argv[1].
    (local.set $i (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.load (i32.const 0))))
        (call $print_line (i32.load (i32.add (i32.const 1024) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $proc_exit (i32.const 0))))
