// The public C++ API's call and instantiation costs (ns per call / per instantiation):
// host -> wasm export (typed and dynamic), wasm -> host function, instantiating a small module.
#include <benchmark/benchmark.h>

#include <memory>

#include "loom/loom.hpp"

namespace {

constexpr std::string_view kModule = R"((module
  (import "host" "inc" (func $inc (param i32) (result i32)))
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (table 4 funcref)
  (func (export "add1") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "call_host") (param $n i32) (result i32) (local $acc i32)
    (loop $again
      (local.set $acc (call $inc (local.get $acc)))
      (br_if $again (i32.ne (local.get $acc) (local.get $n))))
    (local.get $acc))
  (func (export "get") (result i32) (global.get $g)))
)";

struct Fixture {
  loom::Engine engine;
  loom::Module module = *loom::Module::compile_wat(engine, kModule);
  loom::Linker linker{engine};
  Fixture() {
    (void)linker.func_wrap("host", "inc", [](int32_t x) { return x + 1; });
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_HostToWasmTyped(benchmark::State& state) {
  loom::Store store(fixture().engine);
  auto instance = *fixture().linker.instantiate(store, fixture().module);
  auto add1 = *instance.get_func("add1")->typed<int32_t(int32_t)>();
  int32_t x = 0;
  for (auto _ : state) {
    x = *add1.call(x);
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_HostToWasmTyped);

void BM_HostToWasmDynamic(benchmark::State& state) {
  loom::Store store(fixture().engine);
  auto instance = *fixture().linker.instantiate(store, fixture().module);
  auto add1 = *instance.get_func("add1");
  loom::Val args[1] = {loom::Val(int32_t{0})};
  loom::Val results[1];
  for (auto _ : state) {
    (void)add1.call(args, results);
    args[0] = results[0];
  }
  benchmark::DoNotOptimize(results[0].i32());
}
BENCHMARK(BM_HostToWasmDynamic);

// One iteration is 1000 wasm -> host calls; the counter is the time per call.
void BM_WasmToHost(benchmark::State& state) {
  loom::Store store(fixture().engine);
  auto instance = *fixture().linker.instantiate(store, fixture().module);
  auto call_host = *instance.get_func("call_host")->typed<int32_t(int32_t)>();
  constexpr int32_t kCalls = 1000;
  for (auto _ : state) benchmark::DoNotOptimize(*call_host.call(kCalls));
  state.counters["ns_per_call"] = benchmark::Counter(
      static_cast<double>(kCalls) * 1e-9,
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_WasmToHost);

// Instantiation into a store that exists (as a per-request sandbox reuses one per thread); a
// fresh store every 500 instances, outside the timing (each memory reserves 8 GiB of address
// space).
void BM_Instantiate(benchmark::State& state) {
  auto store = std::make_unique<loom::Store>(fixture().engine);
  int in_store = 0;
  for (auto _ : state) {
    if (++in_store == 500) {
      state.PauseTiming();
      store = std::make_unique<loom::Store>(fixture().engine);
      in_store = 0;
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(fixture().linker.instantiate(*store, fixture().module).ok());
  }
}
BENCHMARK(BM_Instantiate);

// A new store (its executor and wasm stack) plus the instantiation, and tearing both down.
void BM_StoreAndInstantiate(benchmark::State& state) {
  for (auto _ : state) {
    loom::Store store(fixture().engine);
    benchmark::DoNotOptimize(fixture().linker.instantiate(store, fixture().module).ok());
  }
}
BENCHMARK(BM_StoreAndInstantiate);

}  // namespace

BENCHMARK_MAIN();
