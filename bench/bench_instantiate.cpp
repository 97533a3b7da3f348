// Instantiation cost of a module with a 64 MiB memory (1024 pages), a table, globals and an
// element segment (goal: under 100 us). The memory is reserved and committed but not touched, so
// this measures Loom's own work. A second variant adds a data segment: writing it faults in the
// first page, whose cost is the kernel's (on the project's VMs a first touch of a fresh mapping
// alone costs ~0.3 ms, see the closing notes), and a third also calls an export.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>

#include "binary/decoder.hpp"
#include "interp/interpreter.hpp"
#include "runtime/instance.hpp"
#include "text/wat.hpp"
#include "valid/validator.hpp"

namespace loom {
namespace {

constexpr const char* kModuleWith64MiB = R"((module
  (memory (export "memory") 1024)
  (table 16 funcref)
  (global $counter (mut i32) (i32.const 0))
  (global i64 (i64.const 42))
  (elem (i32.const 0) $touch)
  (func $touch (export "touch") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (i32.load8_u (i32.const 1024))))
)";

std::shared_ptr<const Module> parse(const char* text) {
  auto module = parse_wat(text);
  if (!module || !validate_module(*module)) std::abort();
  return std::make_shared<const Module>(std::move(*module));
}

std::string with_data_segment() {
  std::string text = kModuleWith64MiB;
  text.insert(text.rfind(')'), "(data (i32.const 1024) \"hello, loom\")");
  return text;
}

void instantiate_loop(benchmark::State& state, const std::shared_ptr<const Module>& module) {
  for (auto _ : state) {
    Store store;  // one store per instance, so memories do not pile up across iterations
    interp::Interpreter interpreter{Features()};
    store.set_executor(&interpreter);
    auto instance = instantiate(store, module, {});
    if (!instance) state.SkipWithError("instantiation failed");
    benchmark::DoNotOptimize(instance);
  }
}

void BM_Instantiate64MiBMemory(benchmark::State& state) {
  instantiate_loop(state, parse(kModuleWith64MiB));
}
BENCHMARK(BM_Instantiate64MiBMemory)->Unit(benchmark::kMicrosecond);

void BM_Instantiate64MiBMemoryWithData(benchmark::State& state) {
  instantiate_loop(state, parse(with_data_segment().c_str()));
}
BENCHMARK(BM_Instantiate64MiBMemoryWithData)->Unit(benchmark::kMicrosecond);

void BM_InstantiateAndCall(benchmark::State& state) {
  const auto module = parse(with_data_segment().c_str());
  for (auto _ : state) {
    Store store;
    interp::Interpreter interpreter{Features()};
    store.set_executor(&interpreter);
    auto instance = instantiate(store, module, {});
    FunctionInst& touch = *(*instance)->find_export("touch")->func();
    Value result = default_value();
    if (interpreter.call(touch, {}, std::span<Value>(&result, 1))) state.SkipWithError("trap");
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_InstantiateAndCall)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace loom

BENCHMARK_MAIN();
