// The JIT compiler's interface: one validated function to x86-64 machine code in one pass,
// driven by FuncValidator like the interpreter's compiler. compiler_core.hpp has the internals.
#pragma once
#include <cstddef>
#include <string>

#include "ir/features.hpp"
#include "jit/code_map.hpp"
#include "jit/code_memory.hpp"
#include "runtime/store.hpp"

namespace loom::jit {

struct CompileEnv {
  const Features& features;
  CodeMemory& code;
  CodeMap& map;
  bool consume_fuel = false;
  bool epoch_interruption = false;
  const void* trap_entry = nullptr;            // edi = TrapKind, esi = wasm offset, rbp = frame
  const void* call_site_trap_entry = nullptr;  // edi = TrapKind, rsi = return address, rdx = rbp
};

struct CompileOutcome {
  const void* entry = nullptr;  // null: the function runs in the interpreter, because of `reason`
  std::string reason;
  size_t body_bytes = 0;
  size_t code_bytes = 0;
};

// `func` must be a defined wasm function whose instance has a VmContext (func.tier.context).
CompileOutcome compile_function(FunctionInst& func, const CompileEnv& env);

}  // namespace loom::jit
