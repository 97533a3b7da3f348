// The JIT compiler's internals (compiler.hpp is the interface). Read this before compiler*.cpp.
//
// Registers (x86-64, System V host; docs/runtime-abi.md "JIT registers and frames"):
//   r14  the instance's VmContext (jit_executor.hpp), restored by the callee on return
//   r15  memory 0's base (reloaded after every call and memory.grow)
//   rbp  the frame pointer; frames are rbp-linked, the entry trampoline's rbp is 0
//   rsp  16-byte aligned in a function body, so leaf C helpers can be called directly
//   rax, rcx, rdx   scratch (division, shifts, copies, helper results)
//   rbx, rsi, rdi, r8-r13   the register pool the value stack is cached in
// Frame of a function with P params, L declared locals and a value stack of at most H values:
//   [rbp + 16 + 16 i]  param / result cell i (Value-sized; the caller's outgoing area)
//   [rbp + 8]          return address          [rbp]      the caller's rbp
//   [rbp - 8]          the caller's r14        [rbp - 16] this frame's FunctionInst*
//   [rbp - 24 - 8 k]   cell k: declared local k (k < L), then value stack slot i at k = L + i
// Calls pass arguments in a Value array at the callee's [rsp + 8] (16-byte cells, the array-call
// layout), with rax = the callee's FunctionInst*; the callee writes its results to the same cells.
// So a call to any function, compiled or not, is `call [rax + tier.entry]`: JIT code, the lazy
// compile stub, or the call-out thunk that runs the callee through JitExecutor::call.
//
// The value stack is a register cache (as in V8's Liftoff): an Entry lives in a pool register,
// in its stack slot, or is a constant not emitted yet. i32 and f32 values in registers are kept
// zero-extended; floats live in the general registers as their bits and move through xmm0/xmm1
// only for arithmetic. At control-flow joins (block, loop and if entries, branch targets) and
// around calls every value is in its slot: the state a branch must produce is then simply
// "results in the label's slots".
#pragma once
#include <xbyak/xbyak.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "binary/instr_reader.hpp"
#include "jit/compiler.hpp"
#include "jit/jit_executor.hpp"
#include "valid/func_validator.hpp"

namespace loom::jit::detail {

using Xbyak::Reg32;
using Xbyak::Reg64;

enum class Loc : uint8_t { Slot, Reg, Const };

struct Entry {
  ValType type;
  Loc loc = Loc::Slot;
  int reg = -1;       // Loc::Reg: the register index (Xbyak::Operand::Code)
  uint64_t bits = 0;  // Loc::Const
};

struct Block {
  Opcode op = Opcode::Block;
  size_t entry = 0;  // stack index of the first parameter
  std::vector<ValType> params, results;
  Xbyak::Label* end = nullptr;   // branch target of a block / if (and the function)
  Xbyak::Label* head = nullptr;  // loop: the branch target
  Xbyak::Label* else_label = nullptr;
  bool dead = false;
  bool entered_dead = false;
  bool fuel_region = false;
  const std::vector<ValType>& branch_types() const { return op == Opcode::Loop ? params : results; }
};

struct TrapStub {
  Xbyak::Label* label;
  TrapKind kind;
  uint32_t wasm_offset;
  bool kind_in_edx = false;  // the kind is computed at run time (call_indirect)
};

// Thrown (and caught in compile_function) for anything this increment does not compile.
struct Unsupported {
  std::string reason;
};

class Compiler {
 public:
  Compiler(FunctionInst& func, const CompileEnv& env, uint8_t* buffer, size_t buffer_bytes);
  // Emits the function; throws Unsupported or Xbyak::Error. Then fills `code` (sites) and
  // returns the bytes used.
  size_t run(JitCode& code);

 private:
  // ---- value stack (compiler.cpp) ----
  Xbyak::Address slot(size_t index) const;
  Xbyak::Address local(uint32_t index) const;
  Reg64 alloc();
  void release(Reg64 r);
  void spill(size_t index);
  void spill_all();
  Reg64 pop_reg();
  Entry pop_entry();  // the top as it is (a Reg entry's register becomes the caller's)
  void push_reg(ValType t, Reg64 r);
  void push_const(ValType t, uint64_t bits);
  void push_slot(ValType t);
  void truncate(size_t size);
  void load_entry(Reg64 r, const Entry& e, size_t index);
  void store_entry(const Xbyak::Address& dst, const Entry& e, size_t index, const Reg64& scratch);
  // Writes the top `n` values to the slots from stack index `dst` on (a branch's copies).
  void copy_to_slots(size_t dst, size_t n);
  static bool is32(ValType t) { return t.kind == ValKind::I32 || t.kind == ValKind::F32; }
  static bool fits_imm32(const Entry& e, bool wide);

  // ---- control (compiler.cpp) ----
  Block& block(uint32_t depth) { return blocks_[blocks_.size() - 1 - depth]; }
  bool dead() const { return blocks_.back().dead; }
  void mark_dead();
  void begin_block(Opcode op, const Instr& instr);
  void end_block();
  void branch_to(Block& target);  // copies + jump (in the current code path)
  void emit_return();
  void emit_interruption_checks(uint32_t wasm_offset);
  Xbyak::Label* new_label();
  Xbyak::Label* trap_label(TrapKind kind, uint32_t wasm_offset);
  void translate(const Instr& instr, const InstrReader& in);

  // ---- instruction groups ----
  bool translate_int(const Instr& instr);             // emit_int.cpp
  bool translate_float(const Instr& instr);           // emit_float.cpp
  bool translate_memory(const Instr& instr);          // emit_memory.cpp (also globals, references)
  void emit_call(const Instr& instr, bool indirect);  // emit_calls.cpp
  void call_helper(const void* fn);  // a leaf C helper on the wasm stack (after spill_all)
  // Calls fn(instance, imm0, imm1, operands...) (emit_memory.cpp's helpers) on the top
  // `operands` values; a helper that `traps` returns its TrapKind in rdx.
  void call_runtime(const void* fn, uint32_t imm0, uint32_t imm1, size_t operands, bool traps,
                    ValType result);
  void record_fault_site(uint32_t wasm_offset) {
    code_->fault_sites.push_back({static_cast<uint32_t>(a_.getSize()), wasm_offset});
  }
  void int_binop(const Instr& instr);
  void int_divrem(const Instr& instr);
  void int_compare(const Instr& instr);
  void int_unop(const Instr& instr);
  void float_binop(const Instr& instr);
  void float_unop(const Instr& instr);
  void float_compare(const Instr& instr);
  void float_convert(const Instr& instr);
  void load(const Instr& instr);
  void store(const Instr& instr);
  Xbyak::RegExp effective_address(Reg64 address, uint64_t offset);

  FunctionInst& func_;
  Instance& instance_;
  const Module& module_;
  const CompileEnv& env_;
  const FuncType* type_ = nullptr;
  Xbyak::CodeGenerator a_;
  FuncValidator validator_;
  JitCode* code_ = nullptr;

  std::vector<Entry> stack_;
  int owner_[16];  // per register: kFree, kTemp, or the stack index it caches
  std::deque<Block> blocks_;
  std::deque<Xbyak::Label> labels_;
  std::vector<TrapStub> trap_stubs_;
  std::vector<ValType> local_types_;
  uint32_t num_params_ = 0;
  uint32_t num_locals_ = 0;  // declared
  size_t max_height_ = 0;
  size_t max_out_bytes_ = 0;  // the largest outgoing call area
  uint32_t current_offset_ = 0;
  struct FuelRegion {
    size_t cost_at;  // code position of the imm32 to patch
    uint32_t cost;
  };
  std::vector<FuelRegion> fuel_regions_;
  Xbyak::Label stack_overflow_;

 public:
  static constexpr int kFree = -1;
  static constexpr int kTemp = -2;
};

// Register pool order: allocation takes the first free one.
inline constexpr int kPool[] = {Xbyak::Operand::RBX, Xbyak::Operand::RSI, Xbyak::Operand::RDI,
                                Xbyak::Operand::R8,  Xbyak::Operand::R9,  Xbyak::Operand::R10,
                                Xbyak::Operand::R11, Xbyak::Operand::R12, Xbyak::Operand::R13};

}  // namespace loom::jit::detail
