// Calls. Every callee is entered as `call [rax + tier.entry]` with rax = its FunctionInst* and
// the arguments in 16-byte cells at the callee's [rsp + 8] (compiler_core.hpp): compiled code,
// the lazy-compile stub and the call-out thunk all take that form, so a call site needs no
// knowledge of how the callee runs. Values are all in their slots around a call.
#include "jit/compiler_core.hpp"

namespace loom::jit::detail {

using namespace Xbyak;
using namespace Xbyak::util;

namespace {

struct Resolved {
  FunctionInst* func;
  uint64_t trap;  // a TrapKind when func is null
};

// call_indirect's checks, in the interpreter's order.
Resolved resolve_indirect(Instance* inst, uint64_t table_index, uint64_t index,
                          uint64_t type_index) {
  TableInst& table = *inst->tables[table_index];
  if (index >= table.size()) return {nullptr, static_cast<uint64_t>(TrapKind::UndefinedElement)};
  auto* target = static_cast<FunctionInst*>(table.get(index));
  if (!target) return {nullptr, static_cast<uint64_t>(TrapKind::UninitializedElement)};
  if (target->type_id != inst->type_ids[type_index]) {
    return {nullptr, static_cast<uint64_t>(TrapKind::IndirectCallTypeMismatch)};
  }
  return {target, 0};
}

}  // namespace

void Compiler::call_helper(const void* fn) {
  a_.mov(rax, reinterpret_cast<uint64_t>(fn));
  a_.call(rax);
}

void Compiler::emit_call(const Instr& instr, bool indirect) {
  const FuncType& type = indirect ? module_.types[instr.index] : module_.func_type(instr.index);
  for (ValType t : type.params)
    if (t.kind == ValKind::V128) throw Unsupported{"v128 values"};
  for (ValType t : type.results)
    if (t.kind == ValKind::V128) throw Unsupported{"v128 values"};
  const size_t n = type.params.size();
  const size_t m = type.results.size();
  spill_all();
  if (indirect) {
    // rax = the callee, after its checks (the table index is the top value).
    a_.mov(rdi, qword[r14 + offsetof(VmContext, instance)]);
    a_.mov(esi, instr.index2);
    load_entry(rdx, stack_.back(), stack_.size() - 1);
    a_.mov(ecx, instr.index);
    truncate(stack_.size() - 1);
    call_helper(reinterpret_cast<const void*>(&resolve_indirect));
    a_.test(rax, rax);
    Label* found = new_label();
    a_.jnz(*found, CodeGenerator::T_NEAR);
    trap_stubs_.push_back({new_label(), TrapKind::Unreachable, current_offset_, true});
    a_.jmp(*trap_stubs_.back().label, CodeGenerator::T_NEAR);
    a_.L(*found);
    // A function of an instance this executor has not seen yet has no entry: call it out.
    Label* entered = new_label();
    a_.mov(r11, qword[rax + tier_entry_offset()]);
    a_.test(r11, r11);
    a_.jnz(*entered, CodeGenerator::T_NEAR);
    a_.mov(r11, qword[r14 + offsetof(VmContext, callout_thunk)]);
    a_.L(*entered);
  } else {
    a_.mov(rax, qword[r14 + offsetof(VmContext, funcs)]);
    a_.mov(rax, qword[rax + 8 * instr.index]);
    a_.mov(r11, qword[rax + tier_entry_offset()]);
  }
  const size_t out = (16 * std::max(n, m) + 15) / 16 * 16;
  max_out_bytes_ = std::max(max_out_bytes_, out);
  if (out) a_.sub(rsp, static_cast<uint32_t>(out));
  const size_t from = stack_.size() - n;
  for (size_t k = 0; k < n; ++k) {
    a_.mov(rdx, slot(from + k));
    a_.mov(qword[rsp + static_cast<uint32_t>(16 * k)], rdx);
  }
  truncate(from);
  a_.call(r11);
  code_->call_sites.push_back({static_cast<uint32_t>(a_.getSize()), current_offset_});
  a_.mov(r15, qword[r14 + offsetof(VmContext, mem0_base)]);
  if (m == 1) {
    Reg64 r = alloc();
    if (is32(type.results[0]))
      a_.mov(r.cvt32(), dword[rsp]);
    else
      a_.mov(r, qword[rsp]);
    push_reg(type.results[0], r);
  } else {
    for (size_t k = 0; k < m; ++k) {
      a_.mov(rdx, qword[rsp + static_cast<uint32_t>(16 * k)]);
      push_slot(type.results[k]);
      a_.mov(slot(stack_.size() - 1), rdx);
    }
  }
  if (out) a_.add(rsp, static_cast<uint32_t>(out));
}

}  // namespace loom::jit::detail
