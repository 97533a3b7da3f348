// Fuel and epoch interruption (Finding 6: an infinite loop, also in a start function, ran
// forever), and the guard pages around the interpreter's stack and frame array.
#include <gtest/gtest.h>

#include <chrono>

#include "binary/decoder.hpp"
#include "interp/compiler.hpp"
#include "interp/interpreter.hpp"
#include "runtime/epoch_timer.hpp"
#include "runtime/instance.hpp"
#include "support/wasm_builder.hpp"
#include "valid/validator.hpp"

namespace loom::interp {
namespace {

using namespace loom::test;

std::shared_ptr<const Module> load(const std::vector<uint8_t>& bytes) {
  auto module = decode_module(std::span<const uint8_t>(bytes));
  EXPECT_TRUE(module) << module.error().to_string();
  auto valid = validate_module(*module);
  EXPECT_TRUE(valid) << valid.error().to_string();
  return std::make_shared<const Module>(std::move(*module));
}

// Imports "host" "reenter" ([] -> []); defines "spin" (an infinite loop), "count" (param n:
// counts to n in a loop of 7 instructions, then 1 more: 7n + 1 instructions) and "outer" (calls
// the import).
std::vector<uint8_t> loops_module() {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {}), func_type({kI32}, {kI32})}));
  mb.section(kImportSection, vec({import_func("host", "reenter", 0)}));
  mb.section(kFunctionSection, vec_u32({0, 1, 0}));
  mb.section(kExportSection,
             vec({export_entry("spin", kExternFunc, 1), export_entry("count", kExternFunc, 2),
                  export_entry("outer", kExternFunc, 3)}));
  const Bytes spin{op::kLoop, kEmptyBlock, op::kBr, 0, op::kEnd, op::kEnd};
  const Bytes count{op::kLoop,
                    kEmptyBlock,
                    op::kLocalGet,
                    1,
                    op::kI32Const,
                    1,
                    op::kI32Add,
                    op::kLocalTee,
                    1,
                    op::kLocalGet,
                    0,
                    0x49 /* i32.lt_u */,
                    op::kBrIf,
                    0,
                    op::kEnd,
                    op::kLocalGet,
                    1,
                    op::kEnd};
  const Bytes outer{op::kCall, 0, op::kEnd};
  mb.section(kCodeSection, vec({body({}, spin), body({{1, kI32}}, count), body({}, outer)}));
  return mb.bytes();
}

// A start function that never returns.
std::vector<uint8_t> spinning_start_module() {
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {})}));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kStartSection, uleb(0));
  mb.section(kCodeSection,
             vec({body({}, Bytes{op::kLoop, kEmptyBlock, op::kBr, 0, op::kEnd, op::kEnd})}));
  return mb.bytes();
}

Value i32(int32_t v) {
  Value x = default_value();
  x.i32 = v;
  return x;
}

struct Fixture {
  Store store;
  Interpreter interpreter;
  Instance* instance = nullptr;
  std::function<void()> on_reenter = [] {};

  explicit Fixture(InterpreterLimits limits) : interpreter(Features(), limits) {
    store.set_executor(&interpreter);
    FunctionInst* host = store.create_host_function(
        FuncType{}, [this](std::span<const Value>, std::span<Value>) -> std::string {
          on_reenter();
          return {};
        });
    auto inst =
        instantiate(store, load(loops_module()), std::vector<Extern>{{ExternKind::Func, host}});
    EXPECT_TRUE(inst) << inst.error().message;
    instance = *inst;
  }
  FunctionInst& func(const char* name) { return *instance->find_export(name)->func(); }
  std::optional<Trap> call(const char* name, std::vector<Value> args = {},
                           Value* result = nullptr) {
    Value ignored = default_value();
    FunctionInst& f = func(name);
    const size_t results = f.type->results.size();
    return interpreter.call(f, args, std::span<Value>(result ? result : &ignored, results));
  }
};

InterpreterLimits with_fuel() {
  InterpreterLimits limits;
  limits.consume_fuel = true;
  return limits;
}
InterpreterLimits with_epoch() {
  InterpreterLimits limits;
  limits.epoch_interruption = true;
  return limits;
}

TEST(Finding6Test, InfiniteLoopRunsOutOfFuel) {
  Fixture f(with_fuel());
  f.store.set_fuel(1'000'000);
  auto trap = f.call("spin");
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::OutOfFuel);
  EXPECT_EQ(trap->message, "all fuel consumed");
  EXPECT_LT(f.store.fuel_remaining(), 1'000'000u);
}

TEST(Finding6Test, InfiniteLoopIsInterruptedByTheEpoch) {
  Fixture f(with_epoch());
  const auto started = std::chrono::steady_clock::now();
  std::optional<Trap> trap;
  {
    EpochTimer timer(f.store.interruption(), std::chrono::milliseconds(50));
    trap = f.call("spin");
  }
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::Interrupted);
  EXPECT_EQ(trap->message, "interrupt");
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(50));
}

TEST(Finding6Test, StartFunctionRunsOutOfFuel) {
  Store store;
  Interpreter interpreter(Features(), with_fuel());
  store.set_executor(&interpreter);
  store.set_fuel(10'000);
  auto inst = instantiate(store, load(spinning_start_module()), {});
  ASSERT_FALSE(inst);
  EXPECT_EQ(inst.error().kind, ErrorKind::Trap);
  EXPECT_EQ(inst.error().message, "all fuel consumed");
}

TEST(Finding6Test, StartFunctionIsInterrupted) {
  Store store;
  Interpreter interpreter(Features(), with_epoch());
  store.set_executor(&interpreter);
  EpochTimer timer(store.interruption(), std::chrono::milliseconds(20));
  auto inst = instantiate(store, load(spinning_start_module()), {});
  ASSERT_FALSE(inst);
  EXPECT_EQ(inst.error().kind, ErrorKind::Trap);
  EXPECT_EQ(inst.error().message, "interrupt");
}

// Each loop iteration costs its 7 instructions, the code after the loop 1: fuel counts
// instructions exactly for straight-line loop bodies.
TEST(FuelTest, ChargesTheInstructionsOfEachRegion) {
  for (uint64_t fuel : {160u, 161u, 500u}) {
    Fixture f(with_fuel());
    f.store.set_fuel(fuel);
    Value result = default_value();
    auto trap = f.call("count", {i32(20)}, &result);
    if (fuel < 7 * 20 + 1) {
      ASSERT_TRUE(trap) << fuel;
      EXPECT_EQ(trap->kind, TrapKind::OutOfFuel);
    } else {
      ASSERT_FALSE(trap) << fuel << ": " << trap->message;
      EXPECT_EQ(result.i32, 20);
      EXPECT_EQ(f.store.fuel_remaining(), fuel - (7 * 20 + 1));
    }
  }
}

TEST(FuelTest, RefuelledStoreRunsAgain) {
  Fixture f(with_fuel());
  f.store.set_fuel(10);
  EXPECT_TRUE(f.call("spin"));
  f.store.set_fuel(1'000);
  Value result = default_value();
  EXPECT_FALSE(f.call("count", {i32(3)}, &result));
  EXPECT_EQ(result.i32, 3);
}

// A host function that calls back into wasm: the nested run draws on the same store's fuel and
// sees the same epoch.
TEST(FuelTest, HostReentryConsumesTheSameFuel) {
  Fixture f(with_fuel());
  std::optional<Trap> inner;
  f.on_reenter = [&] { inner = f.call("spin"); };
  f.store.set_fuel(5'000);
  EXPECT_FALSE(f.call("outer"));
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->kind, TrapKind::OutOfFuel);
  EXPECT_LT(f.store.fuel_remaining(), 5'000u);
}

TEST(EpochTest, HostReentryIsInterrupted) {
  Fixture f(with_epoch());
  std::optional<Trap> inner;
  f.on_reenter = [&] { inner = f.call("spin"); };
  EpochTimer timer(f.store.interruption(), std::chrono::milliseconds(20));
  EXPECT_FALSE(f.call("outer"));
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->kind, TrapKind::Interrupted);
}

TEST(EpochTest, PassedDeadlineTrapsAtOnceAndLaterDeadlineDoesNot) {
  Fixture f(with_epoch());
  Interruption& interruption = f.store.interruption();
  interruption.epoch_deadline = interruption.epoch.load();
  Value result = default_value();
  auto trap = f.call("count", {i32(3)}, &result);
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::Interrupted);
  interruption.epoch_deadline = interruption.epoch.load() + 1;
  EXPECT_FALSE(f.call("count", {i32(3)}, &result));
  EXPECT_EQ(result.i32, 3);
}

// Off means not compiled in: the checks add code only when asked for (12 bytes per check: the
// function entry and the one loop of "count").
TEST(InterruptionTest, ChecksAreCompiledInOnlyWhenEnabled) {
  auto module = load(loops_module());
  const uint32_t count_index = 2;
  auto plain = compile_function(*module, Features(), count_index);
  auto fuel = compile_function(*module, Features(), count_index, {.consume_fuel = true});
  auto epoch = compile_function(*module, Features(), count_index, {.epoch_interruption = true});
  auto both = compile_function(*module, Features(), count_index,
                               {.consume_fuel = true, .epoch_interruption = true});
  ASSERT_TRUE(plain && fuel && epoch && both);
  EXPECT_EQ(fuel->code.size(), plain->code.size() + 2 * 12);
  EXPECT_EQ(epoch->code.size(), plain->code.size() + 2 * 8);
  EXPECT_EQ(both->code.size(), plain->code.size() + 2 * 20);
}

TEST(InterruptionTest, UnlimitedInterpreterIgnoresTheStoreFuel) {
  Fixture f(InterpreterLimits{});
  f.store.set_fuel(0);
  Value result = default_value();
  EXPECT_FALSE(f.call("count", {i32(1000)}, &result));
  EXPECT_EQ(result.i32, 1000);
}

// ---- memory layout ----

TEST(StackGuardTest, ValueStackAndFramesLieBetweenGuardPages) {
  InterpreterLimits limits;
  limits.stack_bytes = 10'000;  // rounded up to whole pages
  limits.max_call_depth = 1'000;
  Interpreter interpreter(Features(), limits);
  const std::span<uint8_t> stack = interpreter.value_stack();
  const std::span<uint8_t> frames = interpreter.frame_array();
  ASSERT_GE(stack.size(), 10'000u);
  ASSERT_FALSE(frames.empty());
  stack.front() = 1;  // the regions themselves are usable
  stack.back() = 1;
  frames.front() = 1;
  frames.back() = 1;
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  volatile uint8_t* volatile stack_end = stack.data() + stack.size();
  volatile uint8_t* volatile stack_begin = stack.data();
  volatile uint8_t* volatile frames_end = frames.data() + frames.size();
  volatile uint8_t* volatile frames_begin = frames.data();
  EXPECT_DEATH(stack_end[0] = 1, "");
  EXPECT_DEATH(stack_begin[-1] = 1, "");
  EXPECT_DEATH(frames_end[0] = 1, "");
  EXPECT_DEATH(frames_begin[-1] = 1, "");
}

TEST(StackGuardTest, SmallStackTrapsDeepRecursion) {
  // (func $f (local i64 x 10) (call $f)): each frame holds 80 bytes of locals, so 4 KiB holds
  // about 50 frames.
  ModuleBuilder mb;
  mb.section(kTypeSection, vec({func_type({}, {})}));
  mb.section(kFunctionSection, vec_u32({0}));
  mb.section(kExportSection, vec({export_entry("f", kExternFunc, 0)}));
  mb.section(kCodeSection, vec({body({{10, kI64}}, Bytes{op::kCall, 0, op::kEnd})}));
  InterpreterLimits limits;
  limits.stack_bytes = 4096;
  Store store;
  Interpreter interpreter(Features(), limits);
  store.set_executor(&interpreter);
  auto inst = instantiate(store, load(mb.bytes()), {});
  ASSERT_TRUE(inst);
  auto trap = interpreter.call(*(*inst)->find_export("f")->func(), {}, {});
  ASSERT_TRUE(trap);
  EXPECT_EQ(trap->kind, TrapKind::CallStackExhausted);
  EXPECT_LT(trap->backtrace.size(), 100u);
}

TEST(StackGuardTest, UnmappableStackIsAnErrorNotACrash) {
  InterpreterLimits limits;
  limits.stack_bytes = SIZE_MAX - 10;
  Interpreter interpreter(Features(), limits);
  EXPECT_TRUE(interpreter.value_stack().empty());
  Store store;
  store.set_executor(&interpreter);
  auto inst = instantiate(store, load(spinning_start_module()), {});
  ASSERT_FALSE(inst);
  EXPECT_EQ(inst.error().message, "cannot allocate the wasm stack");
}

}  // namespace
}  // namespace loom::interp
