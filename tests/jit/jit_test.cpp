// The JIT tier against the interpreter: results, traps with backtraces, fuel, calls between the
// tiers and to the host, deep recursion, signal handling outside JIT code, W^X code memory.
#include <gtest/gtest.h>

#include <sys/mman.h>

#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "binary/decoder.hpp"
#include "jit_test_support.hpp"
#include "support/wasm_builder.hpp"

namespace loom::jit::test {
namespace {

// An expression with more live values than the register pool (9): they spill and come back.
TEST(JitRegisters, ExpressionWiderThanThePoolSpills) {
  std::string body;
  const int kLive = 24;
  for (int k = 1; k <= kLive; ++k) {
    body += "(i32.mul (local.get 0) (i32.const " + std::to_string(k) + "))\n";
  }
  for (int k = 1; k < kLive; ++k) body += "i32.add\n";
  const std::string wat = "(module (func (export \"f\") (param i32) (result i32)\n" + body + "))";
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    TierRun run(tier, wat);
    std::vector<Value> results;
    ASSERT_FALSE(run.call("f", {i32(3)}, results));
    EXPECT_EQ(results[0].i32, 3 * kLive * (kLive + 1) / 2);
    if (tier == Tier::Jit) {
      EXPECT_TRUE(run.jit()->is_compiled(run.func("f")));
    }
  }
}

// Live values across a call and a block spill to their slots and survive.
TEST(JitRegisters, ValuesSurviveCallsAndBlocks) {
  const std::string wat = R"((module
    (func $id (param i64) (result i64) (local.get 0))
    (func (export "f") (param i64) (result i64)
      (i64.add (local.get 0)
        (i64.add (i64.const 0x100000000)
          (block (result i64) (call $id (i64.mul (local.get 0) (i64.const 3)))))))))";
  TierRun run(Tier::Jit, wat);
  std::vector<Value> results;
  ASSERT_FALSE(run.call("f", {i64(5)}, results));
  EXPECT_EQ(results[0].i64, 5 + 0x100000000 + 15);
}

// Every trap kind, two frames deep, on both tiers: same kind, message and backtrace.
TEST(JitTraps, EveryKindMatchesTheInterpreter) {
  const std::string wat = R"((module
    (type $v (func))
    (type $i (func (param i32) (result i32)))
    (import "host" "fail" (func $fail))
    (memory 1)
    (table 2 funcref)
    (elem (i32.const 0) $unreachable)
    (func $unreachable (export "unreachable") unreachable)
    (func $div (export "div") (drop (i32.div_s (i32.const 1) (i32.const 0))))
    (func $ovf (export "ovf") (drop (i32.div_s (i32.const 0x80000000) (i32.const -1))))
    (func $conv (export "conv") (drop (i32.trunc_f32_s (f32.const nan))))
    (func $conv_ovf (export "conv_ovf") (drop (i64.trunc_f64_u (f64.const -1))))
    (func $load (export "load") (drop (i32.load offset=65534 (i32.const 0))))
    (func $store (export "store") (i64.store (i32.const 0xfffffff0) (i64.const 1)))
    (func $table (export "table") (drop (table.get 0 (i32.const 7))))
    (func $undefined (export "undefined") (call_indirect (type $v) (i32.const 9)))
    (func $uninit (export "uninit") (call_indirect (type $v) (i32.const 1)))
    (func $mismatch (export "mismatch") (drop (call_indirect (type $i) (i32.const 0) (i32.const 0))))
    (func $deep (export "deep") (call $deep))
    (func $host (export "host") (call $fail))
    (func $grow_oob (export "grow_oob") (drop (memory.grow (i32.const 1))) (i32.store (i32.const 131072) (i32.const 1)))
    (func $fill (export "fill") (memory.fill (i32.const 65000) (i32.const 0) (i32.const 1000)))
  ))";
  const char* names[] = {"unreachable", "div",   "ovf",   "conv",      "conv_ovf",
                         "load",        "store", "table", "undefined", "uninit",
                         "mismatch",    "deep",  "host",  "grow_oob",  "fill"};
  for (const char* name : names) {
    std::optional<Trap> traps[2];
    int i = 0;
    for (Tier tier : {Tier::Interp, Tier::Jit}) {
      Store store;
      auto executor = make_executor(tier, Features());
      store.set_executor(executor.get());
      FunctionInst* fail = store.create_host_function(
          FuncType{}, [](std::span<const Value>, std::span<Value>) { return std::string("no"); });
      auto instance = instantiate(store, parse(wat), std::vector<Extern>{{ExternKind::Func, fail}});
      ASSERT_TRUE(instance) << instance.error().message;
      std::vector<Value> results;
      traps[i++] = executor->call(*(*instance)->find_export(name)->func(), {}, results);
      store.set_executor(nullptr);
    }
    SCOPED_TRACE(name);
    expect_same_trap(traps[0], traps[1]);
    if (std::string(name) != "deep") {
      EXPECT_GE(traps[1]->backtrace.size(), 1u);
    }
  }
}

// A trap in a callee: the backtrace has the call site's offset in the caller.
TEST(JitTraps, BacktraceThroughCallsMatches) {
  const std::string wat = R"((module
    (func $inner (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
    (func $middle (param i32) (result i32) (i32.add (i32.const 1) (call $inner (local.get 0))))
    (func (export "outer") (param i32) (result i32) (call $middle (local.get 0)))))";
  std::optional<Trap> traps[2];
  int i = 0;
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    TierRun run(tier, wat);
    std::vector<Value> results;
    traps[i++] = run.call("outer", {i32(0)}, results);
  }
  expect_same_trap(traps[0], traps[1]);
  ASSERT_EQ(traps[1]->backtrace.size(), 3u);
  EXPECT_EQ(traps[1]->backtrace[0].func_name, "inner");
}

// A function the JIT leaves to the interpreter (a v128 local) in the middle of JIT code: calls
// go JIT -> interpreter -> JIT, and a trap at the bottom has the interpreter's backtrace.
const char* kMixedTiers = R"((module
  (func $leaf (param i32) (result i32)
    (if (i32.eqz (local.get 0)) (then unreachable))
    (i32.add (local.get 0) (i32.const 100)))
  (func $interp (param i32) (result i32) (local v128)
    (call $leaf (local.get 0)))
  (func $jit (export "f") (param i32) (result i32)
    (i32.mul (call $interp (local.get 0)) (i32.const 2)))
  (func $rec (export "rec") (param i32) (result i32) (local v128)
    (call $rec_jit (i32.add (local.get 0) (i32.const 1))))
  (func $rec_jit (param i32) (result i32)
    (call $rec (local.get 0)))))";

TEST(JitTiers, CallsCrossBothWaysAndTrapsMatch) {
  std::optional<Trap> traps[2];
  int i = 0;
  for (Tier tier : {Tier::Interp, Tier::Jit}) {
    TierRun run(tier, kMixedTiers);
    std::vector<Value> results;
    ASSERT_FALSE(run.call("f", {i32(5)}, results));
    EXPECT_EQ(results[0].i32, 210);
    traps[i++] = run.call("f", {i32(0)}, results);
    if (tier == Tier::Jit) {
      EXPECT_TRUE(run.jit()->is_compiled(run.func("f")));
      EXPECT_EQ(run.jit()->stats().fallbacks, 1u);
    }
  }
  expect_same_trap(traps[0], traps[1]);
  EXPECT_EQ(traps[1]->backtrace.size(), 3u);
}

TEST(JitTiers, FallbacksAreReported) {
  std::FILE* report = std::tmpfile();
  ExecutorOptions options;
  options.report_fallbacks = report;
  {
    TierRun run(Tier::Jit, kMixedTiers, options);
    std::vector<Value> results;
    ASSERT_FALSE(run.call("f", {i32(1)}, results));
  }
  std::rewind(report);
  char line[256] = {};
  ASSERT_TRUE(std::fgets(line, sizeof line, report));
  EXPECT_STREQ(line, "func 1 $interp: runs in the interpreter: v128 values\n");
  std::fclose(report);
}

TEST(JitTiers, DeepRecursionAcrossTiersIsExhaustionNotACrash) {
  TierRun run(Tier::Jit, kMixedTiers);
  std::vector<Value> results;
  std::optional<Trap> trap = run.call("rec", {i32(0)}, results);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::CallStackExhausted);
  // And the executor still works afterwards.
  ASSERT_FALSE(run.call("f", {i32(5)}, results));
  EXPECT_EQ(results[0].i32, 210);
}

TEST(JitTiers, DeepJitRecursionTraps) {
  TierRun run(Tier::Jit, R"((module (func $f (export "f") (param i64) (result i64)
      (i64.add (i64.const 1) (call $f (local.get 0))))))");
  std::vector<Value> results;
  for (int round = 0; round < 3; ++round) {
    std::optional<Trap> trap = run.call("f", {i64(0)}, results);
    ASSERT_TRUE(trap);
    EXPECT_EQ(trap->kind, TrapKind::CallStackExhausted);
    EXPECT_EQ(trap->message, "call stack exhausted");
  }
}

// A host function called from JIT code calls back into JIT code.
TEST(JitTiers, HostFunctionsReenter) {
  const std::string wat = R"((module
    (import "host" "twice" (func $twice (param i32) (result i32)))
    (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func (export "f") (param i32) (result i32) (i32.add (call $twice (local.get 0)) (i32.const 1000)))))";
  Store store;
  auto executor = make_executor(Tier::Jit, Features());
  store.set_executor(executor.get());
  Instance* instance = nullptr;
  FuncType type{{ValKind::I32}, {ValKind::I32}};
  FunctionInst* twice = store.create_host_function(
      type, [&](std::span<const Value> args, std::span<Value> results) -> std::string {
        FunctionInst& inc = *instance->find_export("inc")->func();
        Value r[1];
        Value a[1] = {args[0]};
        if (auto trap = executor->call(inc, a, r)) return trap->message;
        Value r2[1];
        if (auto trap = executor->call(inc, r, r2)) return trap->message;
        results[0] = r2[0];
        return {};
      });
  auto result = instantiate(store, parse(wat), std::vector<Extern>{{ExternKind::Func, twice}});
  ASSERT_TRUE(result);
  instance = *result;
  Value out[1];
  Value in[1] = {i32(5)};
  ASSERT_FALSE(executor->call(*instance->find_export("f")->func(), in, out));
  EXPECT_EQ(out[0].i32, 1007);
  store.set_executor(nullptr);
}

// Fuel: both tiers charge the same per region, so the same fuel remains.
TEST(JitInterruption, FuelCountsMatchTheInterpreter) {
  const std::string wat = R"((module
    (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
    (func (export "count") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (call $sq (i32.const 1))))
        (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
      (block (result i32) (local.get 1)))))";
  uint64_t remaining[2];
  std::optional<Trap> out_of_fuel[2];
  for (int i = 0; i < 2; ++i) {
    ExecutorOptions options;
    options.limits.consume_fuel = true;
    TierRun run(i == 0 ? Tier::Interp : Tier::Jit, wat, options);
    run.store.set_fuel(100000);
    std::vector<Value> results;
    ASSERT_FALSE(run.call("count", {i32(100)}, results));
    EXPECT_EQ(results[0].i32, 100);
    remaining[i] = run.store.fuel_remaining();
    run.store.set_fuel(50);
    out_of_fuel[i] = run.call("count", {i32(100)}, results);
  }
  EXPECT_EQ(remaining[0], remaining[1]);
  EXPECT_LT(remaining[1], 100000u);
  expect_same_trap(out_of_fuel[0], out_of_fuel[1]);
  EXPECT_EQ(out_of_fuel[1]->kind, TrapKind::OutOfFuel);
}

TEST(JitInterruption, EpochDeadlineInterruptsALoop) {
  ExecutorOptions options;
  options.limits.epoch_interruption = true;
  TierRun run(Tier::Jit, R"((module (func (export "spin") (loop $l (br $l)))))", options);
  run.store.interruption().epoch_deadline = 0;  // already passed
  std::vector<Value> results;
  std::optional<Trap> trap = run.call("spin", {}, results);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::Interrupted);
}

// No mapping of the process is writable and executable at once, with JIT code present.
TEST(JitCodeMemory, NoPageIsWritableAndExecutable) {
  TierRun run(Tier::Jit, R"((module (func (export "f") (result i32) (i32.const 7))))");
  std::vector<Value> results;
  ASSERT_FALSE(run.call("f", {}, results));
  ASSERT_TRUE(run.jit()->is_compiled(run.func("f")));
  std::ifstream maps("/proc/self/maps");
  std::string line;
  int lines = 0;
  while (std::getline(maps, line)) {
    std::istringstream fields(line);
    std::string range, perms;
    fields >> range >> perms;
    ++lines;
    EXPECT_FALSE(perms.size() >= 3 && perms[1] == 'w' && perms[2] == 'x') << line;
  }
  EXPECT_GT(lines, 0);
}

// The JIT's SIGSEGV handler handles only faults at its memory accesses: a fault in a host
// function called from JIT code still kills the process.
TEST(JitSignalsDeathTest, FaultInHostCodeStillCrashes) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto crash = [] {
    Store store;
    auto executor = make_executor(Tier::Jit, Features());
    store.set_executor(executor.get());
    FunctionInst* bad = store.create_host_function(
        FuncType{}, [](std::span<const Value>, std::span<Value>) -> std::string {
          // An inaccessible page rather than null, which UBSan would report before any fault.
          void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
          *static_cast<volatile int*>(page) = 1;
          return {};
        });
    auto instance = instantiate(
        store, parse(R"((module (import "h" "bad" (func $bad)) (func (export "f") (call $bad))))"),
        std::vector<Extern>{{ExternKind::Func, bad}});
    std::vector<Value> results;
    (void)executor->call(*(*instance)->find_export("f")->func(), {}, results);
  };
#if defined(__SANITIZE_ADDRESS__)
  // ASan's SEGV handler, which the JIT's chains to, reports the fault and exits.
  EXPECT_EXIT(crash(), testing::ExitedWithCode(1), "SEGV");
#else
  EXPECT_EXIT(crash(), testing::KilledBySignal(SIGSEGV), "");
#endif
}

// A module built byte by byte: the JIT compiles br_table with values carried to each target.
TEST(JitControl, BrTableCarriesValues) {
  using namespace loom::test;
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({kI32}, {kI32})}));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kExportSection, vec({export_entry("f", kExternFunc, 0)}));
  // (block (result i32) (block (result i32) (i32.const 10) (local.get 0) (br_table 0 1 1))
  //  (i32.const 1) (i32.add))
  const Bytes code{op::kBlock,
                   kI32,
                   op::kBlock,
                   kI32,
                   op::kI32Const,
                   10,
                   op::kLocalGet,
                   0,
                   op::kBrTable,
                   2,
                   0,
                   1,
                   1,
                   op::kEnd,
                   op::kI32Const,
                   1,
                   op::kI32Add,
                   op::kEnd,
                   op::kEnd};
  mb.section(kCodeSection, vec({body({}, code)}));
  const std::vector<uint8_t> bytes = mb.bytes();
  auto module = decode_module(std::span<const uint8_t>(bytes));
  ASSERT_TRUE(module);
  auto shared = std::make_shared<const Module>(std::move(*module));
  Store store;
  auto executor = make_executor(Tier::Jit, Features());
  store.set_executor(executor.get());
  auto instance = instantiate(store, shared, {});
  ASSERT_TRUE(instance);
  FunctionInst& f = *(*instance)->find_export("f")->func();
  const int32_t expected[] = {11, 10, 10, 10};
  for (int32_t index = 0; index < 4; ++index) {
    Value in[1] = {i32(index)};
    Value out[1];
    ASSERT_FALSE(executor->call(f, in, out));
    EXPECT_EQ(out[0].i32, expected[index]) << index;
  }
  EXPECT_TRUE(dynamic_cast<JitExecutor*>(executor.get())->is_compiled(f));
  store.set_executor(nullptr);
}

}  // namespace
// Which NaN a binary float operation returns is free in the spec but pinned in Loom (the first NaN
// operand, quieted), so the tiers agree bit for bit even when a program looks at the bits.
TEST(JitFloats, NanPayloadsAreTheSameOnBothTiers) {
  std::string wat = "(module\n";
  const char* ops[] = {"add", "sub", "mul", "div", "min", "max"};
  for (const char* op : ops) {
    wat += std::string("(func (export \"f32.") + op +
           "\") (param i32 i32) (result i32) (i32.reinterpret_f32 (f32." + op +
           " (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))\n";
    wat += std::string("(func (export \"f64.") + op +
           "\") (param i64 i64) (result i64) (i64.reinterpret_f64 (f64." + op +
           " (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))\n";
  }
  wat += ")";
  // Quiet and signaling NaNs of both signs with distinct payloads, and two numbers.
  const uint32_t f32_values[] = {0x7fc00001, 0xffc00002, 0x7fa00003, 0xff800004, 0x3f800000, 0};
  const uint64_t f64_values[] = {0x7ff8000000000001, 0xfff8000000000002, 0x7ff4000000000003,
                                 0xfff0000000000004, 0x3ff0000000000000, 0};
  TierRun interp(Tier::Interp, wat);
  TierRun jit(Tier::Jit, wat);
  for (const char* op : ops) {
    for (uint32_t a : f32_values) {
      for (uint32_t b : f32_values) {
        std::vector<Value> x, y;
        const std::string name = std::string("f32.") + op;
        ASSERT_FALSE(interp.call(name, {i32(a), i32(b)}, x));
        ASSERT_FALSE(jit.call(name, {i32(a), i32(b)}, y));
        EXPECT_EQ(x[0].u32, y[0].u32) << name << " " << std::hex << a << " " << b;
        const bool a_nan = (a & 0x7f800000) == 0x7f800000 && (a & 0x7fffff);
        const bool b_nan = (b & 0x7f800000) == 0x7f800000 && (b & 0x7fffff);
        if (a_nan || b_nan) {
          EXPECT_EQ(x[0].u32, (a_nan ? a : b) | 0x00400000) << name;
        }
      }
    }
    for (uint64_t a : f64_values) {
      for (uint64_t b : f64_values) {
        std::vector<Value> x, y;
        const std::string name = std::string("f64.") + op;
        ASSERT_FALSE(interp.call(name, {i64(int64_t(a)), i64(int64_t(b))}, x));
        ASSERT_FALSE(jit.call(name, {i64(int64_t(a)), i64(int64_t(b))}, y));
        EXPECT_EQ(x[0].u64, y[0].u64) << name << " " << std::hex << a << " " << b;
        const uint64_t exp = 0x7ff0000000000000, man = 0x000fffffffffffff;
        const bool a_nan = (a & exp) == exp && (a & man);
        const bool b_nan = (b & exp) == exp && (b & man);
        if (a_nan || b_nan) {
          EXPECT_EQ(x[0].u64, (a_nan ? a : b) | 0x0008000000000000) << name;
        }
      }
    }
  }
}

}  // namespace loom::jit::test
