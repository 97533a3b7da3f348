// libFuzzer target: the JIT against the interpreter (issue 10's differential fuzzing). Every
// valid input is instantiated once per tier, each in its own store with stub imports, the same
// limits and fuel; then every exported function is called on both with the same arguments. The
// two tiers must agree on everything observable: instantiation outcome, each call's trap (kind and
// message) or results, the fuel each call consumed, and in the end the exported memories' sizes
// and bytes and the exported globals. Any difference aborts with a description, so libFuzzer
// keeps the input. Scalar float results compare NaN to any NaN (the spec leaves NaN bits free);
// everything else, v128 and memory bytes included, must be bit-identical.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "exec_support.hpp"
#include "runtime/instance.hpp"

namespace {

using namespace loom;  // NOLINT

[[noreturn]] void mismatch(const std::string& what) {
  std::fprintf(stderr, "fuzz_tiers: jit and interp differ: %s\n", what.c_str());
  std::abort();
}

bool same_value(ValType type, const Value& a, const Value& b) {
  switch (type.kind) {
    case ValKind::I32:
      return a.u32 == b.u32;
    case ValKind::I64:
      return a.u64 == b.u64;
    case ValKind::F32:
      return (std::isnan(a.f32) && std::isnan(b.f32)) || a.u32 == b.u32;
    case ValKind::F64:
      return (std::isnan(a.f64) && std::isnan(b.f64)) || a.u64 == b.u64;
    case ValKind::V128:
      return a.v128 == b.v128;
    default:  // references: each store has its own objects; only nullness is comparable
      return (a.ref == nullptr) == (b.ref == nullptr);
  }
}

// One tier's run of a module.
struct TierRun {
  TierRun(jit::Tier tier, const Features& features) : sandbox(tier, features) {}
  fuzz::Sandbox sandbox;
  Instance* instance = nullptr;
};

void compare_traps(const std::optional<Trap>& jit, const std::optional<Trap>& interp,
                   const std::string& where) {
  if (jit.has_value() != interp.has_value()) {
    mismatch(where + ": " +
             (jit ? "jit traps (" + jit->message + ")" : "interp traps (" + interp->message + ")") +
             ", the other returns");
  }
  if (!jit) return;
  if (jit->kind != interp->kind || jit->message != interp->message) {
    mismatch(where + ": trap \"" + jit->message + "\" vs \"" + interp->message + "\"");
  }
  if (jit->backtrace.size() != interp->backtrace.size()) {
    mismatch(where + ": backtraces of " + std::to_string(jit->backtrace.size()) + " and " +
             std::to_string(interp->backtrace.size()) + " frames");
  }
  for (size_t i = 0; i < jit->backtrace.size(); ++i) {
    const TrapFrame& a = jit->backtrace[i];
    const TrapFrame& b = interp->backtrace[i];
    if (a.func_index != b.func_index || a.offset != b.offset) {
      mismatch(where + ": backtrace frame " + std::to_string(i) + ": func " +
               std::to_string(a.func_index) + " at " + std::to_string(a.offset) + " vs func " +
               std::to_string(b.func_index) + " at " + std::to_string(b.offset));
    }
  }
}

void compare_final_state(const Module& module, const Instance& jit, const Instance& interp) {
  for (const Export& exp : module.exports) {
    if (exp.kind == ExternKind::Memory) {
      const MemoryInst& a = *jit.memories[exp.index];
      const MemoryInst& b = *interp.memories[exp.index];
      if (a.size_bytes() != b.size_bytes()) mismatch("memory \"" + exp.name + "\" size");
      if (a.size_bytes() && std::memcmp(a.base(), b.base(), a.size_bytes()) != 0) {
        mismatch("memory \"" + exp.name + "\" contents");
      }
    } else if (exp.kind == ExternKind::Global) {
      const GlobalInst& a = *jit.globals[exp.index];
      const GlobalInst& b = *interp.globals[exp.index];
      if (!same_value(a.type.type, a.value, b.value)) mismatch("global \"" + exp.name + "\"");
    }
  }
}

// Printed at exit when LOOM_FUZZ_STATS is set (for the counts in a report).
struct Stats {
  uint64_t inputs = 0, instantiated = 0, calls = 0, traps = 0;
  ~Stats() {
    if (!std::getenv("LOOM_FUZZ_STATS")) return;
    std::fprintf(stderr,
                 "fuzz_tiers: %llu inputs, %llu instantiated on both tiers, %llu calls compared "
                 "(%llu trapped)\n",
                 static_cast<unsigned long long>(inputs),
                 static_cast<unsigned long long>(instantiated),
                 static_cast<unsigned long long>(calls), static_cast<unsigned long long>(traps));
  }
};
Stats stats;

void execute(std::span<const uint8_t> bytes) {
  ++stats.inputs;
  const Features features;
  const std::shared_ptr<const Module> module = fuzz::decode_valid(bytes, features);
  if (!module) return;

  TierRun jit_run(jit::Tier::Jit, features), interp_run(jit::Tier::Interp, features);
  std::optional<std::string> instantiated[2];
  TierRun* runs[2] = {&jit_run, &interp_run};
  for (int i = 0; i < 2; ++i) {
    auto imports = fuzz::stub_imports(runs[i]->sandbox.store, *module);
    if (!imports) return;  // cannot be stubbed: the same for both
    auto instance = instantiate(runs[i]->sandbox.store, module, *imports);
    if (instance) {
      runs[i]->instance = *instance;
    } else {
      instantiated[i] = instance.error().message;
    }
  }
  if (instantiated[0] != instantiated[1]) {
    mismatch("instantiation: " + instantiated[0].value_or("ok") + " vs " +
             instantiated[1].value_or("ok"));
  }
  if (!jit_run.instance) return;
  ++stats.instantiated;

  fuzz::ArgumentSource source(bytes);
  size_t calls = 0;
  for (const Export& exp : module->exports) {
    if (exp.kind != ExternKind::Func) continue;
    if (++calls > fuzz::kMaxExportCalls) break;
    const FuncType& type = module->func_type(exp.index);
    std::vector<Value> args;
    for (const ValType& param : type.params) args.push_back(source.next(param));
    std::vector<Value> results[2];
    std::optional<Trap> traps[2];
    uint64_t fuel_left[2];
    for (int i = 0; i < 2; ++i) {
      fuzz::Sandbox& sandbox = runs[i]->sandbox;
      results[i].resize(type.results.size());
      sandbox.store.set_fuel(fuzz::kFuelPerCall);
      traps[i] = sandbox.executor->call(*runs[i]->instance->funcs[exp.index], args, results[i]);
      fuel_left[i] = sandbox.store.fuel_remaining();
    }
    ++stats.calls;
    stats.traps += traps[1].has_value();
    const std::string where = "call \"" + exp.name + "\"";
    compare_traps(traps[0], traps[1], where);
    if (fuel_left[0] != fuel_left[1]) {
      mismatch(where + ": fuel left " + std::to_string(fuel_left[0]) + " vs " +
               std::to_string(fuel_left[1]));
    }
    if (traps[0]) continue;
    for (size_t r = 0; r < type.results.size(); ++r) {
      if (!same_value(type.results[r], results[0][r], results[1][r])) {
        mismatch(where + ": result " + std::to_string(r));
      }
    }
  }
  compare_final_state(*module, *jit_run.instance, *interp_run.instance);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  execute(std::span<const uint8_t>(data, size));
  return 0;
}
