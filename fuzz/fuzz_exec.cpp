// libFuzzer target for execution: decode and validate arbitrary bytes; instantiate whatever is
// valid with every import satisfied by a stub (zero-returning host functions, memories, tables and
// globals of the imported type), under small store limits, call stack and fuel; then call every
// exported function with arguments derived from the input. Traps, link and instantiation errors
// are expected outcomes; a crash, sanitizer report, leak or hang is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "binary/decoder.hpp"
#include "exec_support.hpp"
#include "interp/interpreter.hpp"
#include "runtime/instance.hpp"
#include "valid/validator.hpp"

namespace {

using namespace loom;  // NOLINT

// Budgets (the store's limits are what a hostile module meets): small enough that one input
// runs in milliseconds, large enough for loops to matter.
constexpr uint64_t kFuelPerCall = 200'000;
constexpr uint64_t kMaxMemoryBytes = uint64_t{64} << 20;
constexpr uint64_t kMaxTableElements = 100'000;
constexpr size_t kMaxExportCalls = 64;

// Argument values: mostly the edge cases of each type, sometimes raw bits from the input hash.
class ArgumentSource {
 public:
  explicit ArgumentSource(std::span<const uint8_t> bytes) {
    state_ = 0xcbf29ce484222325u;  // FNV-1a
    for (uint8_t b : bytes) state_ = (state_ ^ b) * 0x100000001b3u;
  }

  Value next(ValType type) {
    Value v = default_value();
    const uint64_t r = random();
    const bool raw = (r & 3) == 0;
    const uint64_t pick = r >> 2;
    switch (type.kind) {
      case ValKind::I32: {
        static constexpr uint32_t kEdges[] = {
            0, 1, 2, 7, 0xff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe};
        v.u32 = raw ? static_cast<uint32_t>(random()) : kEdges[pick % std::size(kEdges)];
        break;
      }
      case ValKind::I64: {
        static constexpr uint64_t kEdges[] = {
            0, 1, 42, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 0x100000000};
        v.u64 = raw ? random() : kEdges[pick % std::size(kEdges)];
        break;
      }
      case ValKind::F32: {
        static constexpr float kEdges[] = {0.0f,
                                           -0.0f,
                                           1.0f,
                                           -1.5f,
                                           3.4e38f,
                                           1e-45f,
                                           std::numeric_limits<float>::infinity(),
                                           std::numeric_limits<float>::quiet_NaN(),
                                           2147483648.0f};
        if (raw) {
          const uint32_t bits = static_cast<uint32_t>(random());
          std::memcpy(&v.f32, &bits, sizeof bits);
        } else {
          v.f32 = kEdges[pick % std::size(kEdges)];
        }
        break;
      }
      case ValKind::F64: {
        static constexpr double kEdges[] = {0.0,
                                            -0.0,
                                            1.0,
                                            -1.5,
                                            1.7e308,
                                            5e-324,
                                            -std::numeric_limits<double>::infinity(),
                                            std::numeric_limits<double>::quiet_NaN(),
                                            9223372036854775808.0};
        if (raw) {
          const uint64_t bits = random();
          std::memcpy(&v.f64, &bits, sizeof bits);
        } else {
          v.f64 = kEdges[pick % std::size(kEdges)];
        }
        break;
      }
      case ValKind::V128:
        for (uint8_t& byte : v.v128.bytes) byte = static_cast<uint8_t>(random());
        break;
      default:
        v.ref = nullptr;  // the only reference a harness can make up safely
        break;
    }
    return v;
  }

 private:
  uint64_t random() {  // splitmix64
    uint64_t z = (state_ += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }
  uint64_t state_;
};

// How far inputs get, printed at exit when LOOM_FUZZ_STATS is set (to tune seeds and budgets).
struct Stats {
  uint64_t inputs = 0, valid = 0, instantiated = 0, calls = 0, traps = 0, out_of_fuel = 0;
  ~Stats() {
    if (!std::getenv("LOOM_FUZZ_STATS")) return;
    std::fprintf(stderr,
                 "fuzz_exec: %llu inputs, %llu valid, %llu instantiated, %llu calls, %llu traps "
                 "(%llu out of fuel)\n",
                 static_cast<unsigned long long>(inputs), static_cast<unsigned long long>(valid),
                 static_cast<unsigned long long>(instantiated),
                 static_cast<unsigned long long>(calls), static_cast<unsigned long long>(traps),
                 static_cast<unsigned long long>(out_of_fuel));
  }
};
Stats stats;

void execute(std::span<const uint8_t> bytes) {
  ++stats.inputs;
  const Features features;
  Result<Module> decoded = decode_module(bytes, features);
  if (!decoded || !validate_module(*decoded, features)) return;
  ++stats.valid;
  auto module = std::make_shared<const Module>(std::move(*decoded));

  Store store;
  StoreLimits limits;
  limits.max_memory_bytes = kMaxMemoryBytes;
  limits.max_table_elements = kMaxTableElements;
  limits.max_instances = 4;
  limits.max_memories = 8;
  limits.max_tables = 16;
  store.set_limits(limits);
  interp::InterpreterLimits interpreter_limits;
  interpreter_limits.stack_bytes = size_t{4} << 20;
  interpreter_limits.max_call_depth = 2'000;
  interpreter_limits.consume_fuel = true;
  interp::Interpreter interpreter(features, interpreter_limits);
  store.set_executor(&interpreter);
  store.set_fuel(kFuelPerCall);  // the start function's budget

  auto imports = fuzz::stub_imports(store, *module);
  if (!imports) return;
  auto instance = instantiate(store, module, *imports);
  if (!instance) return;
  ++stats.instantiated;

  ArgumentSource source(bytes);
  size_t calls = 0;
  for (const Export& exp : module->exports) {
    if (exp.kind != ExternKind::Func) continue;
    if (++calls > kMaxExportCalls) break;
    FunctionInst& func = *(*instance)->funcs[exp.index];
    std::vector<Value> args, results(func.type->results.size());
    for (const ValType& param : func.type->params) args.push_back(source.next(param));
    store.set_fuel(kFuelPerCall);
    ++stats.calls;
    if (auto trap = interpreter.call(func, args, results)) {
      ++stats.traps;
      stats.out_of_fuel += trap->kind == TrapKind::OutOfFuel;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  execute(std::span<const uint8_t>(data, size));
  return 0;
}
