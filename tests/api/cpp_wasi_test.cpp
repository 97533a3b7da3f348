// WASI through the Linker: arguments, stdout, proc_exit, a preopened directory.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "loom/loom.hpp"

namespace {

// Writes argv[1] (or "none") and a newline to fd 1, then exits with argc.
constexpr std::string_view kEcho = R"((module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func $strlen (param $p i32) (result i32) (local $n i32)
    (block $done (loop $next
      (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $next)))
    (local.get $n))
  (func (export "_start") (local $argc i32) (local $arg i32)
    (drop (call $sizes (i32.const 0) (i32.const 4)))
    (local.set $argc (i32.load (i32.const 0)))
    (drop (call $args (i32.const 100) (i32.const 200)))
    (local.set $arg (i32.load (i32.const 104)))
    ;; iovec at 16: the argument, then "\n" at 32
    (i32.store (i32.const 16) (local.get $arg))
    (i32.store (i32.const 20) (call $strlen (local.get $arg)))
    (i32.store8 (i32.const 40) (i32.const 10))
    (i32.store (i32.const 24) (i32.const 40))
    (i32.store (i32.const 28) (i32.const 1))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 2) (i32.const 8)))
    (call $exit (local.get $argc))))
)";

TEST(ApiWasi, ArgsStdoutAndExitCode) {
  loom::Engine engine;
  auto module = loom::Module::compile_wat(engine, kEcho);
  ASSERT_TRUE(module) << module.error().message();
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  loom::Linker linker(engine);
  loom::WasiConfig wasi;
  wasi.arg("echo").arg("hello");
  wasi.stdout_fd = fileno(out);
  ASSERT_TRUE(linker.define_wasi(wasi));
  loom::Store store(engine);
  auto instance = linker.instantiate(store, *module);
  ASSERT_TRUE(instance) << instance.error().message();
  auto start = instance->get_func("_start");
  auto run = start->call({});
  ASSERT_FALSE(run);
  const loom::Trap* trap = run.error().trap();
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(trap->kind(), loom::TrapKind::Exit);
  EXPECT_EQ(trap->exit_code(), 2u);
  EXPECT_EQ(loom::wasi_exit_code(*instance), 2u);
  std::rewind(out);
  char text[64] = {};
  const size_t n = std::fread(text, 1, sizeof text - 1, out);
  std::fclose(out);
  EXPECT_EQ(std::string(text, n), "hello\n");
}

TEST(ApiWasi, UnknownWasiFunctionIsALinkError) {
  loom::Engine engine;
  auto module = loom::Module::compile_wat(
      engine, R"((module (import "wasi_snapshot_preview1" "no_such_call" (func))))");
  ASSERT_TRUE(module);
  loom::Linker linker(engine);
  ASSERT_TRUE(linker.define_wasi({}));
  loom::Store store(engine);
  auto instance = linker.instantiate(store, *module);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().kind(), loom::ErrorKind::Link);
}

TEST(ApiWasi, MissingPreopenIsAnIoError) {
  loom::Engine engine;
  auto module = loom::Module::compile_wat(engine, kEcho);
  loom::Linker linker(engine);
  ASSERT_TRUE(linker.define_wasi(loom::WasiConfig{}.preopen_dir("/no/such/dir", "/data")));
  loom::Store store(engine);
  auto instance = linker.instantiate(store, *module);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().kind(), loom::ErrorKind::Io);
}

TEST(ApiWasi, HostFunctionOverridesAWasiImport) {
  loom::Engine engine;
  auto module = loom::Module::compile_wat(engine, kEcho);
  loom::Linker linker(engine);
  ASSERT_TRUE(linker.define_wasi({}));
  int exits = 0;
  ASSERT_TRUE(linker.func_wrap("wasi_snapshot_preview1", "proc_exit", [&](int32_t) { ++exits; }));
  ASSERT_TRUE(linker.func_wrap("wasi_snapshot_preview1", "fd_write",
                               [](int32_t, int32_t, int32_t, int32_t) { return int32_t{0}; }));
  loom::Store store(engine);
  auto instance = linker.instantiate(store, *module);
  ASSERT_TRUE(instance) << instance.error().message();
  EXPECT_TRUE(instance->get_func("_start")->call({}));
  EXPECT_EQ(exits, 1);
}

}  // namespace
