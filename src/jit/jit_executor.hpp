// The JIT tier's Executor (docs/runtime-abi.md, JIT sections). Functions are compiled lazily, on
// their first call, to x86-64 (compiler.hpp); a function the compiler cannot handle yet runs in
// the embedded interpreter, and calls cross between the tiers in both directions through the
// array-call convention (FunctionInst::tier on the interpreter's side, the call-out thunk on
// ours). JIT code runs on a stack of its own (mmap'ed, PROT_NONE guard below, stack-limit check
// in every prologue); C++ runtime code called from it runs back on the host stack.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "interp/interpreter.hpp"
#include "jit/code_map.hpp"
#include "jit/code_memory.hpp"
#include "jit/tier.hpp"
#include "runtime/instance.hpp"
#include "runtime/store.hpp"

namespace loom::jit {

class JitExecutor;

// Per executor: the innermost activation (entry trampoline) and where a nested entry continues
// on the wasm stack. JIT code reaches it through VmContext::thread.
struct JitThread {
  uintptr_t host_rsp = 0;  // the innermost entry's host stack pointer (16-byte aligned)
  uintptr_t wasm_sp = 0;   // the wasm rsp at the innermost call-out to C++
  JitExecutor* executor = nullptr;
  // JIT frames live now, and the most there may be (InterpreterLimits::max_call_depth, as the
  // interpreter counts its frames), so deep recursion traps at the same depth in both tiers.
  uint64_t depth = 0;
  uint64_t max_depth = 0;
};

// Per instance (r14 in JIT code): what compiled code reads without calling into C++.
struct VmContext {
  uint8_t* mem0_base = nullptr;
  FunctionInst* const* funcs = nullptr;
  GlobalInst* const* globals = nullptr;
  uintptr_t stack_limit = 0;  // lowest rsp a frame may reach (wasm stack bottom + margin)
  JitThread* thread = nullptr;
  Interruption* interruption = nullptr;
  const void* callout_thunk = nullptr;
  Instance* instance = nullptr;
  MemoryInst* mem0 = nullptr;
};

// Compile statistics (issue 10 asks for compile throughput).
struct JitStats {
  size_t compiled = 0;    // functions compiled to machine code
  size_t fallbacks = 0;   // functions left to the interpreter
  size_t body_bytes = 0;  // wasm body bytes compiled
  size_t code_bytes = 0;  // machine code bytes produced
  double compile_seconds = 0;
};

class JitExecutor : public Executor {
 public:
  JitExecutor(const Features& features, const ExecutorOptions& options);
  ~JitExecutor() override;

  void attach(Store& store) override;
  void detach(Store& store) override;
  std::optional<Trap> call(FunctionInst& func, std::span<const Value> args,
                           std::span<Value> results) override;

  bool ok() const { return stack_ != nullptr && code_.ok() && entry_ != nullptr; }
  const JitStats& stats() const { return stats_; }
  // True once `func` was compiled to machine code (false: not yet called, or it falls back).
  bool is_compiled(const FunctionInst& func) const;
  interp::Interpreter& interpreter() { return interpreter_; }

  // ---- called from JIT code through the runtime stubs (jit_runtime.cpp) ----
  bool run_callout(FunctionInst& func, Value* cells);
  const void* compile_lazily(FunctionInst& func);
  void raise_trap(uint32_t kind, uint32_t wasm_offset, uintptr_t rbp);
  void raise_at_call_site(uint32_t kind, uintptr_t return_address, uintptr_t rbp);

  // Runtime stub addresses, for the compiler.
  const void* trap_entry() const { return trap_entry_; }
  const void* call_site_trap_entry() const { return call_site_trap_entry_; }

  static constexpr uint32_t kPendingTrap = 0xff;  // raise_at_call_site: the trap is pending_

 private:
  VmContext* prepare(Instance& instance);
  // Compiles `func` unless decided already; false when it runs in the interpreter.
  bool ensure_decided(FunctionInst& func);
  std::optional<Trap> run_jit(FunctionInst& func, std::span<const Value> args,
                              std::span<Value> results);
  bool generate_stubs();
  void append_frames(Trap& trap, uintptr_t rbp, uint32_t first_offset) const;
  void forget_store();

  Features features_;
  ExecutorOptions options_;
  interp::Interpreter interpreter_;
  Store* store_ = nullptr;
  Interruption unattached_;
  Interruption* interruption_ = &unattached_;
  JitThread thread_;
  CodeMemory code_;
  CodeMap code_map_;
  bool registered_ = false;
  uint8_t* stack_ = nullptr;  // the wasm stack (mmap'ed), guard page below
  size_t stack_bytes_ = 0;
  uintptr_t stack_limit_ = 0;
  size_t active_ = 0;  // JIT activations on the host stack right now
  std::unordered_map<Instance*, std::unique_ptr<VmContext>> contexts_;
  std::vector<FunctionInst*> touched_;  // functions whose `tier` we set (cleared at the end)
  std::optional<Trap> pending_;
  JitStats stats_;

  // Stubs (generated once into code_).
  using EntryFn = int (*)(FunctionInst* func, Value* cells, JitThread* thread);
  EntryFn entry_ = nullptr;
  const void* callout_thunk_ = nullptr;
  const void* lazy_stub_ = nullptr;
  const void* trap_entry_ = nullptr;
  const void* call_site_trap_entry_ = nullptr;
};

// Offsets JIT code uses.
size_t tier_entry_offset();    // of FunctionInst::tier.entry
size_t tier_context_offset();  // of FunctionInst::tier.context
size_t global_value_offset();  // of GlobalInst::value

}  // namespace loom::jit
