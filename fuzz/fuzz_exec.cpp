// libFuzzer target for execution: decode and validate arbitrary bytes; instantiate whatever is
// valid with every import satisfied by a stub (zero-returning host functions, memories, tables and
// globals of the imported type), under small store limits, call stack and fuel; then call every
// exported function with arguments derived from the input, on the default tier (the JIT where the
// machine has it). Traps, link and instantiation errors
// are expected outcomes; a crash, sanitizer report, leak or hang is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "exec_support.hpp"
#include "jit/tier.hpp"
#include "runtime/instance.hpp"

namespace {

using namespace loom;  // NOLINT

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
  const std::shared_ptr<const Module> module = fuzz::decode_valid(bytes, features);
  if (!module) return;
  ++stats.valid;

  fuzz::Sandbox sandbox(jit::default_tier(), features);
  Store& store = sandbox.store;

  auto imports = fuzz::stub_imports(store, *module);
  if (!imports) return;
  auto instance = instantiate(store, module, *imports);
  if (!instance) return;
  ++stats.instantiated;

  fuzz::ArgumentSource source(bytes);
  size_t calls = 0;
  for (const Export& exp : module->exports) {
    if (exp.kind != ExternKind::Func) continue;
    if (++calls > fuzz::kMaxExportCalls) break;
    FunctionInst& func = *(*instance)->funcs[exp.index];
    std::vector<Value> args, results(func.type->results.size());
    for (const ValType& param : func.type->params) args.push_back(source.next(param));
    store.set_fuel(fuzz::kFuelPerCall);
    ++stats.calls;
    if (auto trap = sandbox.executor->call(func, args, results)) {
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
