// The public C++ API: every object, its error paths and traps.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "loom/loom.hpp"

namespace {

loom::Module compile(const loom::Engine& engine, std::string_view wat) {
  auto module = loom::Module::compile_wat(engine, wat);
  EXPECT_TRUE(module.ok()) << (module.ok() ? "" : module.error().message());
  return std::move(*module);
}

constexpr std::string_view kAdder = R"((module
  (import "host" "add" (func $add (param i32 i32) (result i32)))
  (memory (export "memory") 1 4)
  (global $g (export "counter") (mut i32) (i32.const 7))
  (table (export "table") 2 10 funcref)
  (func (export "call_add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "double") (param i64) (result i64) (i64.add (local.get 0) (local.get 0)))
  (func (export "swap") (param i32 f64) (result f64 i32) (local.get 1) (local.get 0))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func $boom (export "boom") unreachable)
  (func (export "nested") (call $boom)))
)";

TEST(ApiEngine, RejectsUnknownFeature) {
  auto engine = loom::Engine::create(loom::EngineConfig{}.enable("no-such-feature"));
  ASSERT_FALSE(engine);
  EXPECT_EQ(engine.error().kind(), loom::ErrorKind::Usage);
  EXPECT_NE(engine.error().message().find("no-such-feature"), std::string::npos);
}

TEST(ApiEngine, InterpreterTier) {
  loom::EngineConfig config;
  config.tier = loom::Tier::Interp;
  auto engine = loom::Engine::create(config);
  ASSERT_TRUE(engine);
  EXPECT_EQ(engine->tier(), loom::Tier::Interp);
  EXPECT_NE(loom::Engine().tier(), loom::Tier::Default);
}

TEST(ApiModule, MalformedInvalidAndText) {
  loom::Engine engine;
  const uint8_t garbage[] = {1, 2, 3, 4, 5};
  auto bad = loom::Module::compile(engine, garbage);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind(), loom::ErrorKind::Malformed);
  EXPECT_FALSE(loom::Module::validate(engine, garbage));

  auto invalid = loom::Module::compile_wat(engine, "(module (func (result i32) (i64.const 1)))");
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().kind(), loom::ErrorKind::Invalid);

  auto text_error = loom::Module::compile_wat(engine, "(module (func (oops)))");
  ASSERT_FALSE(text_error);
  EXPECT_EQ(text_error.error().kind(), loom::ErrorKind::Malformed);
}

TEST(ApiModule, Reflection) {
  loom::Engine engine;
  loom::Module module = compile(engine, kAdder);
  auto imports = module.imports();
  ASSERT_EQ(imports.size(), 1u);
  EXPECT_EQ(imports[0].module, "host");
  EXPECT_EQ(imports[0].name, "add");
  EXPECT_EQ(imports[0].type.kind, loom::ExternKind::Func);
  EXPECT_EQ(imports[0].type.func,
            (loom::FuncType{{loom::ValKind::I32, loom::ValKind::I32}, {loom::ValKind::I32}}));
  auto exports = module.exports();
  ASSERT_EQ(exports.size(), 10u);
  EXPECT_EQ(exports[0].name, "memory");
  EXPECT_EQ(exports[0].type.kind, loom::ExternKind::Memory);
  EXPECT_EQ(exports[0].type.memory.limits.min, 1u);
  EXPECT_EQ(exports[0].type.memory.limits.max, 4u);
  EXPECT_EQ(exports[1].type.kind, loom::ExternKind::Global);
  EXPECT_TRUE(exports[1].type.global.is_mutable);
  EXPECT_EQ(exports[2].type.table.element, loom::ValKind::FuncRef);
  EXPECT_EQ(exports[5].type.func.results,
            (std::vector<loom::ValKind>{loom::ValKind::F64, loom::ValKind::I32}));
  EXPECT_EQ(loom::to_string(exports[5].type.func), "(i32, f64) -> (f64, i32)");
}

TEST(ApiModule, SerializeRoundTrip) {
  loom::Engine engine;
  loom::Module module = compile(engine, kAdder);
  std::vector<uint8_t> bytes = module.serialize();
  EXPECT_TRUE(loom::Module::validate(engine, bytes));
  auto again = loom::Module::deserialize(engine, bytes);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->exports().size(), module.exports().size());
}

struct Adder : ::testing::Test {
  loom::Engine engine;
  loom::Module module = compile(engine, kAdder);
  loom::Store store{engine};
  loom::Linker linker{engine};
  int host_calls = 0;

  loom::Instance instantiate() {
    EXPECT_TRUE(linker.func_wrap("host", "add", [this](int32_t a, int32_t b) {
      ++host_calls;
      return a + b;
    }));
    auto instance = linker.instantiate(store, module);
    EXPECT_TRUE(instance) << instance.error().message();
    return *instance;
  }
};

TEST_F(Adder, TypedHostFunctionAndCalls) {
  loom::Instance instance = instantiate();
  auto call_add = instance.get_func("call_add");
  ASSERT_TRUE(call_add);
  EXPECT_EQ(call_add->type(),
            (loom::FuncType{{loom::ValKind::I32, loom::ValKind::I32}, {loom::ValKind::I32}}));

  auto dynamic = call_add->call({loom::Val(int32_t{2}), loom::Val(int32_t{40})});
  ASSERT_TRUE(dynamic);
  ASSERT_EQ(dynamic->size(), 1u);
  EXPECT_EQ((*dynamic)[0].kind(), loom::ValKind::I32);
  EXPECT_EQ((*dynamic)[0].i32(), 42);

  auto typed = call_add->typed<int32_t(int32_t, int32_t)>();
  ASSERT_TRUE(typed);
  auto r = typed->call(-5, 3);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, -2);
  EXPECT_EQ(host_calls, 2);

  auto dbl = instance.get_func("double")->typed<int64_t(int64_t)>();
  ASSERT_TRUE(dbl);
  EXPECT_EQ(*(*dbl)(int64_t{1} << 40), int64_t{1} << 41);

  auto swap = instance.get_func("swap")->typed<std::tuple<double, int32_t>(int32_t, double)>();
  ASSERT_TRUE(swap);
  auto swapped = swap->call(7, 2.5);
  ASSERT_TRUE(swapped);
  EXPECT_EQ(std::get<0>(*swapped), 2.5);
  EXPECT_EQ(std::get<1>(*swapped), 7);
}

TEST_F(Adder, CallErrors) {
  loom::Instance instance = instantiate();
  auto call_add = *instance.get_func("call_add");
  auto wrong_typed = call_add.typed<int64_t(int32_t, int32_t)>();
  ASSERT_FALSE(wrong_typed);
  EXPECT_EQ(wrong_typed.error().kind(), loom::ErrorKind::Usage);
  auto too_few = call_add.call({loom::Val(int32_t{1})});
  ASSERT_FALSE(too_few);
  EXPECT_EQ(too_few.error().kind(), loom::ErrorKind::Usage);
  auto wrong_kind = call_add.call({loom::Val(int32_t{1}), loom::Val(1.0)});
  ASSERT_FALSE(wrong_kind);
  EXPECT_EQ(wrong_kind.error().kind(), loom::ErrorKind::Usage);
  EXPECT_FALSE(instance.get_func("nope"));
  EXPECT_FALSE(instance.get_func("memory"));  // not a function
}

TEST_F(Adder, Traps) {
  loom::Instance instance = instantiate();
  auto nested = instance.get_func("nested")->call({});
  ASSERT_FALSE(nested);
  ASSERT_EQ(nested.error().kind(), loom::ErrorKind::Trap);
  const loom::Trap* trap = nested.error().trap();
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(trap->kind(), loom::TrapKind::Unreachable);
  EXPECT_EQ(trap->message(), "unreachable");
  ASSERT_GE(trap->backtrace().size(), 2u);
  EXPECT_EQ(trap->backtrace()[0].func_index, 6u);  // $boom (after the import)
  EXPECT_EQ(trap->backtrace()[0].func_name, "boom");
  EXPECT_GT(trap->backtrace()[0].module_offset, 0u);

  auto div = instance.get_func("div")->typed<int32_t(int32_t, int32_t)>();
  auto by_zero = div->call(1, 0);
  ASSERT_FALSE(by_zero);
  EXPECT_EQ(by_zero.error().trap()->kind(), loom::TrapKind::IntegerDivideByZero);
  auto oob = instance.get_func("load")->typed<int32_t(int32_t)>()->call(65536);
  ASSERT_FALSE(oob);
  EXPECT_EQ(oob.error().trap()->kind(), loom::TrapKind::OutOfBoundsMemoryAccess);
  // The store stays usable after a trap.
  EXPECT_EQ(*div->call(9, 3), 3);
}

TEST_F(Adder, MemoryAccess) {
  loom::Instance instance = instantiate();
  auto memory = instance.get_memory("memory");
  ASSERT_TRUE(memory);
  EXPECT_EQ(memory->pages(), 1u);
  EXPECT_EQ(memory->data_size(), 65536u);
  const uint8_t word[4] = {0x78, 0x56, 0x34, 0x12};
  ASSERT_TRUE(memory->write(100, word));
  EXPECT_EQ(*instance.get_func("load")->typed<int32_t(int32_t)>()->call(100), 0x12345678);
  uint8_t back[4] = {};
  ASSERT_TRUE(memory->read(100, back));
  EXPECT_EQ(std::memcmp(back, word, 4), 0);
  auto oob = memory->write(65534, word);
  ASSERT_FALSE(oob);
  EXPECT_EQ(oob.error().trap()->kind(), loom::TrapKind::OutOfBoundsMemoryAccess);
  EXPECT_FALSE(memory->read(UINT64_MAX - 1, back));

  auto grown = memory->grow(2);
  ASSERT_TRUE(grown);
  EXPECT_EQ(*grown, 1u);
  EXPECT_EQ(memory->pages(), 3u);
  EXPECT_TRUE(memory->write(65534, word));
  auto too_far = memory->grow(2);  // max 4
  ASSERT_FALSE(too_far);
  EXPECT_EQ(too_far.error().kind(), loom::ErrorKind::Limit);
}

TEST_F(Adder, GlobalsAndTables) {
  loom::Instance instance = instantiate();
  auto counter = instance.get_global("counter");
  ASSERT_TRUE(counter);
  EXPECT_EQ(counter->get().i32(), 7);
  ASSERT_TRUE(counter->set(loom::Val(int32_t{9})));
  EXPECT_EQ(counter->get().i32(), 9);
  EXPECT_FALSE(counter->set(loom::Val(int64_t{9})));  // wrong type

  auto constant = loom::Global::create(store, {loom::ValKind::F64, false}, loom::Val(1.5));
  ASSERT_TRUE(constant);
  EXPECT_EQ(constant->get().f64(), 1.5);
  auto immutable = constant->set(loom::Val(2.0));
  ASSERT_FALSE(immutable);
  EXPECT_EQ(immutable.error().kind(), loom::ErrorKind::Usage);

  auto table = instance.get_table("table");
  ASSERT_TRUE(table);
  EXPECT_EQ(table->size(), 2u);
  EXPECT_TRUE(table->get(0)->is_null());
  auto div = *instance.get_func("div");
  ASSERT_TRUE(table->set(1, loom::Val(div)));
  auto got = table->get(1);
  ASSERT_TRUE(got);
  ASSERT_TRUE(got->funcref());
  EXPECT_EQ(*got->funcref(), div);
  EXPECT_FALSE(table->get(2));
  EXPECT_FALSE(table->set(5, loom::Val::null(loom::ValKind::FuncRef)));
  EXPECT_FALSE(table->set(0, loom::Val::externref(nullptr)));  // wrong reference type
  EXPECT_EQ(*table->grow(3, loom::Val(div)), 2u);
  EXPECT_EQ(table->size(), 5u);
  EXPECT_EQ(*table->get(4)->funcref(), div);
  EXPECT_FALSE(table->grow(100, loom::Val::null(loom::ValKind::FuncRef)));

  // A funcref of another store cannot go into this one.
  loom::Store other(engine);
  loom::Func foreign = loom::Func::wrap(other, [] {});
  EXPECT_FALSE(table->set(0, loom::Val(foreign)));
}

TEST_F(Adder, HostErrorTrapsTheGuest) {
  ASSERT_TRUE(linker.func_wrap("host", "add", [](int32_t a, int32_t) -> loom::Result<int32_t> {
    if (a < 0) return loom::Error(loom::ErrorKind::Other, "negative input");
    return a;
  }));
  auto instance = linker.instantiate(store, module);
  ASSERT_TRUE(instance);
  auto f = *instance->get_func("call_add")->typed<int32_t(int32_t, int32_t)>();
  EXPECT_EQ(*f(5, 0), 5);
  auto failed = f(-1, 0);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().trap()->kind(), loom::TrapKind::HostError);
  EXPECT_EQ(failed.error().trap()->message(), "negative input");
}

TEST(ApiLinker, LinkErrors) {
  loom::Engine engine;
  loom::Module module = compile(engine, kAdder);
  loom::Store store(engine);
  loom::Linker linker(engine);
  auto missing = linker.instantiate(store, module);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind(), loom::ErrorKind::Link);
  EXPECT_NE(missing.error().message().find("host::add"), std::string::npos);

  ASSERT_TRUE(linker.func_wrap("host", "add", [](int64_t a) { return a; }));
  auto wrong_type = linker.instantiate(store, module);
  ASSERT_FALSE(wrong_type);
  EXPECT_EQ(wrong_type.error().kind(), loom::ErrorKind::Link);

  auto duplicate = linker.func_wrap("host", "add", [](int32_t a, int32_t b) { return a + b; });
  EXPECT_FALSE(duplicate);
  linker.allow_shadowing(true);
  EXPECT_TRUE(linker.func_wrap("host", "add", [](int32_t a, int32_t b) { return a + b; }));
  EXPECT_TRUE(linker.instantiate(store, module));

  // Positional imports: wrong count, another store.
  auto none = loom::Instance::create(store, module, {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind(), loom::ErrorKind::Link);
  loom::Store other(engine);
  loom::Extern elsewhere = loom::Func::wrap(other, [](int32_t a, int32_t b) { return a * b; });
  auto cross = loom::Instance::create(store, module, std::span<const loom::Extern>(&elsewhere, 1));
  ASSERT_FALSE(cross);
  EXPECT_EQ(cross.error().kind(), loom::ErrorKind::Link);
  loom::Extern local = loom::Func::wrap(store, [](int32_t a, int32_t b) { return a * b; });
  auto positional = loom::Instance::create(store, module, std::span<const loom::Extern>(&local, 1));
  ASSERT_TRUE(positional);
  EXPECT_EQ(*positional->get_func("call_add")->typed<int32_t(int32_t, int32_t)>()->call(6, 7), 42);
}

TEST(ApiLinker, CallerReachesTheInstanceMemoryAndExports) {
  loom::Engine engine;
  loom::Module module = compile(engine, R"((module
    (import "host" "sum" (func $sum (param i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 16) "\01\02\03\04\05")
    (func (export "twice") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
    (func (export "run") (result i32) (call $sum (i32.const 16) (i32.const 5)))))");
  loom::Store store(engine);
  loom::Linker linker(engine);
  ASSERT_TRUE(linker.func_wrap(
      "host", "sum", [](loom::Caller& caller, int32_t ptr, int32_t len) -> loom::Result<int32_t> {
        auto memory = caller.memory();
        if (!memory) return loom::Error(loom::ErrorKind::Other, "no memory");
        std::vector<uint8_t> bytes(static_cast<size_t>(len));
        if (auto read = memory->read(static_cast<uint32_t>(ptr), bytes); !read) return read.error();
        int32_t total = 0;
        for (uint8_t b : bytes) total += b;
        auto twice = caller.get_func("twice")->typed<int32_t(int32_t)>();
        return *twice->call(total);  // re-entering wasm from a host function
      }));
  auto instance = linker.instantiate(store, module);
  ASSERT_TRUE(instance) << instance.error().message();
  EXPECT_EQ(*instance->get_func("run")->typed<int32_t()>()->call(), 30);
}

TEST(ApiLinker, DefineInstanceLinksModulesTogether) {
  loom::Engine engine;
  loom::Store store(engine);
  loom::Linker linker(engine);
  auto lib = linker.instantiate(store, compile(engine, R"((module
    (global (export "base") i32 (i32.const 100))
    (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))))"));
  ASSERT_TRUE(lib);
  ASSERT_TRUE(linker.define_instance("lib", *lib));
  auto app = linker.instantiate(store, compile(engine, R"((module
    (import "lib" "inc" (func $inc (param i32) (result i32)))
    (import "lib" "base" (global $base i32))
    (func (export "run") (result i32) (call $inc (global.get $base)))))"));
  ASSERT_TRUE(app) << app.error().message();
  EXPECT_EQ(*app->get_func("run")->typed<int32_t()>()->call(), 101);
}

TEST(ApiLinker, DynamicHostFunction) {
  loom::Engine engine;
  loom::Store store(engine);
  loom::Linker linker(engine);
  loom::FuncType type{{loom::ValKind::I64, loom::ValKind::F32}, {loom::ValKind::F32}};
  ASSERT_TRUE(linker.func_new("env", "scale", type,
                              [](loom::Caller&, std::span<const loom::Val> args,
                                 std::span<loom::Val> results) -> loom::Status {
                                results[0] =
                                    loom::Val(static_cast<float>(args[0].i64()) * args[1].f32());
                                return loom::Ok{};
                              }));
  auto instance = linker.instantiate(store, compile(engine, R"((module
    (import "env" "scale" (func $s (param i64 f32) (result f32)))
    (func (export "run") (result f32) (call $s (i64.const 3) (f32.const 1.5)))))"));
  ASSERT_TRUE(instance);
  EXPECT_EQ(*instance->get_func("run")->typed<float()>()->call(), 4.5f);
}

TEST(ApiStore, StartFunctionTrapFailsInstantiation) {
  loom::Engine engine;
  loom::Store store(engine);
  loom::Module module = compile(engine, "(module (func $s unreachable) (start $s))");
  auto instance = loom::Instance::create(store, module, {});
  ASSERT_FALSE(instance);
  ASSERT_EQ(instance.error().kind(), loom::ErrorKind::Trap);
  EXPECT_EQ(instance.error().trap()->kind(), loom::TrapKind::Unreachable);
}

TEST(ApiStore, SegmentOutOfBoundsIsATrap) {
  loom::Engine engine;
  loom::Store store(engine);
  auto instance = loom::Instance::create(
      store, compile(engine, R"((module (memory 1) (data (i32.const 65535) "ab")))"), {});
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().kind(), loom::ErrorKind::Trap);
}

TEST(ApiStore, FuelRunsOut) {
  loom::Engine engine;
  loom::Store store(engine);
  ASSERT_TRUE(store.set_fuel(10'000));
  auto instance =
      loom::Instance::create(store, compile(engine, R"((module (func (export "spin") (loop (br 0)))
                                        (func (export "work") (drop (i32.add (i32.const 1) (i32.const 2))))))"),
                             {});
  ASSERT_TRUE(instance);
  auto spin = instance->get_func("spin")->call({});
  ASSERT_FALSE(spin);
  EXPECT_EQ(spin.error().trap()->kind(), loom::TrapKind::OutOfFuel);
  EXPECT_EQ(*store.fuel(), 0u);
  ASSERT_TRUE(store.set_fuel(100));
  EXPECT_TRUE(instance->get_func("work")->call({}));
  EXPECT_LT(*store.fuel(), 100u);
}

TEST(ApiStore, FuelMustBeEnabledBeforeCodeRuns) {
  loom::Engine engine;
  loom::Store store(engine);
  EXPECT_FALSE(store.fuel());
  ASSERT_TRUE(loom::Instance::create(store, compile(engine, "(module)"), {}));
  auto late = store.set_fuel(5);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().kind(), loom::ErrorKind::Usage);

  loom::EngineConfig config;
  config.consume_fuel = true;
  loom::Engine fueled = *loom::Engine::create(config);
  loom::Store store2(fueled);
  ASSERT_TRUE(loom::Instance::create(store2, compile(fueled, "(module)"), {}));
  EXPECT_TRUE(store2.set_fuel(5));
}

TEST(ApiStore, TimeoutInterruptsAnEndlessLoop) {
  loom::Engine engine;
  loom::Store store(engine);
  ASSERT_TRUE(store.set_timeout(std::chrono::milliseconds(20)));
  auto instance = loom::Instance::create(
      store, compile(engine, R"((module (func (export "spin") (loop (br 0)))))"), {});
  ASSERT_TRUE(instance);
  auto spin = instance->get_func("spin")->call({});
  ASSERT_FALSE(spin);
  EXPECT_EQ(spin.error().trap()->kind(), loom::TrapKind::Interrupted);
  EXPECT_EQ(spin.error().trap()->message(), "interrupt");
}

TEST(ApiStore, InterruptFromTheHost) {
  loom::Engine engine;
  loom::Store store(engine);
  ASSERT_TRUE(store.set_timeout(std::chrono::hours(1)));
  auto instance =
      loom::Instance::create(store, compile(engine, R"((module (func (export "nop"))))"), {});
  ASSERT_TRUE(instance);
  EXPECT_TRUE(instance->get_func("nop")->call({}));
  store.interrupt();
  auto interrupted = instance->get_func("nop")->call({});
  ASSERT_FALSE(interrupted);
  EXPECT_EQ(interrupted.error().trap()->kind(), loom::TrapKind::Interrupted);
  store.clear_timeout();
  EXPECT_TRUE(instance->get_func("nop")->call({}));
}

TEST(ApiStore, MemoryLimit) {
  loom::Engine engine;
  loom::Store store(engine);
  loom::StoreLimits limits;
  limits.max_memory_bytes = 2 * 65536;
  store.set_limits(limits);
  auto big = loom::Instance::create(store, compile(engine, "(module (memory 3))"), {});
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().kind(), loom::ErrorKind::Limit);
  auto small = loom::Instance::create(store, compile(engine, R"((module (memory (export "m") 1)
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))))"),
                                      {});
  ASSERT_TRUE(small) << small.error().message();
  auto grow = *small->get_func("grow")->typed<int32_t(int32_t)>();
  EXPECT_EQ(*grow(1), 1);
  EXPECT_EQ(*grow(1), -1);  // past max_memory_bytes
  EXPECT_FALSE(small->get_memory("m")->grow(1));
}

TEST(ApiStore, InstanceLimit) {
  loom::Engine engine;
  loom::Store store(engine);
  loom::StoreLimits limits;
  limits.max_instances = 2;
  store.set_limits(limits);
  loom::Module module = compile(engine, "(module)");
  EXPECT_TRUE(loom::Instance::create(store, module, {}));
  EXPECT_TRUE(loom::Instance::create(store, module, {}));
  auto third = loom::Instance::create(store, module, {});
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().kind(), loom::ErrorKind::Limit);
}

TEST(ApiStore, HostObjectsAndExports) {
  loom::Engine engine;
  loom::Store store(engine);
  auto memory = loom::Memory::create(store, {{1, 2}, false});
  ASSERT_TRUE(memory);
  auto table = loom::Table::create(store, {loom::ValKind::ExternRef, {1, std::nullopt}},
                                   loom::Val::externref(&store));
  ASSERT_TRUE(table);
  EXPECT_EQ(table->get(0)->externref(), &store);
  auto global = loom::Global::create(store, {loom::ValKind::I64, true}, loom::Val(int64_t{5}));
  ASSERT_TRUE(global);
  loom::Func f = loom::Func::wrap(store, [](int32_t x) -> std::tuple<int32_t, int32_t> {
    return {x, -x};
  });
  EXPECT_EQ(f.type(),
            (loom::FuncType{{loom::ValKind::I32}, {loom::ValKind::I32, loom::ValKind::I32}}));
  auto r = f.call({loom::Val(int32_t{3})});  // a host function called from the host
  ASSERT_TRUE(r);
  EXPECT_EQ((*r)[1].i32(), -3);

  loom::Module module = compile(engine, R"((module
    (import "" "m" (memory 1))
    (import "" "t" (table 1 externref))
    (import "" "g" (global (mut i64)))
    (import "" "f" (func (param i32) (result i32 i32)))
    (export "m" (memory 0)) (export "t" (table 0)) (export "g" (global 0)) (export "f" (func 0))))");
  std::vector<loom::Extern> imports = {*memory, *table, *global, f};
  auto instance = loom::Instance::create(store, module, imports);
  ASSERT_TRUE(instance) << instance.error().message();
  auto exports = instance->exports();
  ASSERT_EQ(exports.size(), 4u);
  EXPECT_EQ(*exports[0].second.memory(), *memory);
  EXPECT_EQ(exports[1].second.kind(), loom::ExternKind::Table);
  EXPECT_EQ(exports[2].second.type().global.content, loom::ValKind::I64);
  EXPECT_EQ(*exports[3].second.func(), f);
  EXPECT_FALSE(exports[3].second.memory());

  auto bad_memory = loom::Memory::create(store, {{5, 2}, false});  // min > max
  EXPECT_FALSE(bad_memory);
}

TEST(ApiStore, DeepRecursionTrapsWithoutCrashing) {
  loom::Engine engine;
  loom::Store store(engine);
  auto instance = loom::Instance::create(
      store, compile(engine, R"((module (func $f (export "f") (call $f))))"), {});
  auto r = instance->get_func("f")->call({});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().trap()->kind(), loom::TrapKind::CallStackExhausted);
}

TEST(ApiStore, ModuleOfAnotherEngineIsRefused) {
  loom::Engine a, b;
  loom::Store store(a);
  auto r = loom::Instance::create(store, compile(b, "(module)"), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind(), loom::ErrorKind::Usage);
}

}  // namespace
