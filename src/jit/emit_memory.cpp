// Memory, global, table and reference instructions. Loads and stores of memory 0 (32-bit, with
// its 8 GiB guard region) are single instructions on [r15 + address + offset]: an out-of-bounds
// access faults and the signal handler turns the fault site (recorded here) into the trap.
// Everything else with run-time state (sizes, growth, bulk operations, tables) calls a small
// C++ helper with the interpreter's semantics.
#include <algorithm>
#include <cstring>

#include "jit/compiler_core.hpp"

namespace loom::jit::detail {

using namespace Xbyak;
using namespace Xbyak::util;

namespace {

struct HelperResult {
  uint64_t value;
  uint64_t trap;
};
constexpr uint64_t kNoTrap = 0xff;
constexpr HelperResult ok(uint64_t v = 0) {
  return {v, kNoTrap};
}
constexpr HelperResult trap(TrapKind kind) {
  return {0, static_cast<uint64_t>(kind)};
}

// Helpers: (instance, immediate 0, immediate 1, operands in wasm order). Addresses and lengths
// of 32-bit memories and tables arrive zero-extended.
HelperResult memory_size(Instance* inst, uint64_t mem, uint64_t, uint64_t, uint64_t, uint64_t) {
  return ok(inst->memories[mem]->pages());
}
HelperResult memory_grow(Instance* inst, uint64_t mem, uint64_t, uint64_t delta, uint64_t,
                         uint64_t) {
  return ok(static_cast<uint64_t>(inst->memories[mem]->grow(delta)));
}
HelperResult memory_fill(Instance* inst, uint64_t mem, uint64_t, uint64_t dst, uint64_t value,
                         uint64_t length) {
  MemoryInst& memory = *inst->memories[mem];
  if (!memory.in_bounds(dst, length)) return trap(TrapKind::OutOfBoundsMemoryAccess);
  std::memset(memory.base() + dst, static_cast<uint8_t>(value), length);
  return ok();
}
HelperResult memory_copy(Instance* inst, uint64_t to_mem, uint64_t from_mem, uint64_t dst,
                         uint64_t src, uint64_t length) {
  MemoryInst& to = *inst->memories[to_mem];
  MemoryInst& from = *inst->memories[from_mem];
  if (!to.in_bounds(dst, length) || !from.in_bounds(src, length)) {
    return trap(TrapKind::OutOfBoundsMemoryAccess);
  }
  std::memmove(to.base() + dst, from.base() + src, length);
  return ok();
}
HelperResult memory_init(Instance* inst, uint64_t data_index, uint64_t mem, uint64_t dst,
                         uint64_t src, uint64_t length) {
  MemoryInst& memory = *inst->memories[mem];
  const std::span<const uint8_t> data = inst->datas[data_index];
  src = static_cast<uint32_t>(src);
  length = static_cast<uint32_t>(length);
  if (!memory.in_bounds(dst, length) || src > data.size() || length > data.size() - src) {
    return trap(TrapKind::OutOfBoundsMemoryAccess);
  }
  if (length) std::memcpy(memory.base() + dst, data.data() + src, length);
  return ok();
}
HelperResult data_drop(Instance* inst, uint64_t data_index, uint64_t, uint64_t, uint64_t,
                       uint64_t) {
  inst->datas[data_index] = {};
  return ok();
}
HelperResult table_get(Instance* inst, uint64_t t, uint64_t, uint64_t index, uint64_t, uint64_t) {
  TableInst& table = *inst->tables[t];
  if (index >= table.size()) return trap(TrapKind::OutOfBoundsTableAccess);
  return ok(reinterpret_cast<uint64_t>(table.get(index)));
}
HelperResult table_set(Instance* inst, uint64_t t, uint64_t, uint64_t index, uint64_t ref,
                       uint64_t) {
  TableInst& table = *inst->tables[t];
  if (index >= table.size()) return trap(TrapKind::OutOfBoundsTableAccess);
  table.set(index, reinterpret_cast<Ref>(ref));
  return ok();
}
HelperResult table_size(Instance* inst, uint64_t t, uint64_t, uint64_t, uint64_t, uint64_t) {
  return ok(inst->tables[t]->size());
}
HelperResult table_grow(Instance* inst, uint64_t t, uint64_t, uint64_t init, uint64_t delta,
                        uint64_t) {
  return ok(static_cast<uint64_t>(inst->tables[t]->grow(delta, reinterpret_cast<Ref>(init))));
}
HelperResult table_fill(Instance* inst, uint64_t t, uint64_t, uint64_t index, uint64_t ref,
                        uint64_t length) {
  TableInst& table = *inst->tables[t];
  if (!table.in_bounds(index, length)) return trap(TrapKind::OutOfBoundsTableAccess);
  std::fill_n(table.data() + index, length, reinterpret_cast<Ref>(ref));
  return ok();
}
HelperResult table_copy(Instance* inst, uint64_t to_t, uint64_t from_t, uint64_t dst, uint64_t src,
                        uint64_t length) {
  TableInst& to = *inst->tables[to_t];
  TableInst& from = *inst->tables[from_t];
  if (!to.in_bounds(dst, length) || !from.in_bounds(src, length)) {
    return trap(TrapKind::OutOfBoundsTableAccess);
  }
  std::memmove(to.data() + dst, from.data() + src, length * sizeof(Ref));
  return ok();
}
HelperResult table_init(Instance* inst, uint64_t elem, uint64_t t, uint64_t dst, uint64_t src,
                        uint64_t length) {
  TableInst& table = *inst->tables[t];
  const std::vector<Ref>& elems = inst->elems[elem];
  src = static_cast<uint32_t>(src);
  length = static_cast<uint32_t>(length);
  if (!table.in_bounds(dst, length) || src > elems.size() || length > elems.size() - src) {
    return trap(TrapKind::OutOfBoundsTableAccess);
  }
  std::copy_n(elems.data() + src, length, table.data() + dst);
  return ok();
}
HelperResult elem_drop(Instance* inst, uint64_t elem, uint64_t, uint64_t, uint64_t, uint64_t) {
  inst->elems[elem].clear();
  return ok();
}

}  // namespace

void Compiler::call_runtime(const void* fn, uint32_t imm0, uint32_t imm1, size_t operands,
                            bool traps, ValType result) {
  spill_all();
  const size_t from = stack_.size() - operands;
  const Reg64 arg_regs[3] = {rcx, r8, r9};
  for (size_t k = 0; k < operands; ++k) load_entry(arg_regs[k], stack_[from + k], from + k);
  truncate(from);
  a_.mov(rdi, qword[r14 + offsetof(VmContext, instance)]);
  a_.mov(esi, imm0);
  a_.mov(edx, imm1);
  call_helper(fn);
  if (traps) {
    Label* fine = new_label();
    a_.cmp(edx, static_cast<uint32_t>(kNoTrap));
    a_.je(*fine, CodeGenerator::T_NEAR);
    trap_stubs_.push_back({new_label(), TrapKind::Unreachable, current_offset_, true});
    a_.jmp(*trap_stubs_.back().label, CodeGenerator::T_NEAR);
    a_.L(*fine);
  }
  if (result.kind != ValKind::Void) {
    Reg64 r = alloc();
    if (is32(result))
      a_.mov(r.cvt32(), eax);
    else
      a_.mov(r, rax);
    push_reg(result, r);
  }
}

RegExp Compiler::effective_address(Reg64 address, uint64_t offset) {
  if (offset <= 0x7fffffff) return r15 + address + static_cast<uint32_t>(offset);
  a_.mov(rax, offset);
  a_.add(rax, address);
  return r15 + rax;
}

void Compiler::load(const Instr& instr) {
  Reg64 r = pop_reg();
  const RegExp ea = effective_address(r, instr.mem.offset);
  const Reg32 r32 = r.cvt32();
  ValType type = ValKind::I32;
  record_fault_site(current_offset_);
  switch (instr.op) {
    case Opcode::I32Load:
      a_.mov(r32, dword[ea]);
      break;
    case Opcode::F32Load:
      a_.mov(r32, dword[ea]);
      type = ValKind::F32;
      break;
    case Opcode::I64Load:
      a_.mov(r, qword[ea]);
      type = ValKind::I64;
      break;
    case Opcode::F64Load:
      a_.mov(r, qword[ea]);
      type = ValKind::F64;
      break;
    case Opcode::I32Load8S:
      a_.movsx(r32, byte[ea]);
      break;
    case Opcode::I32Load8U:
      a_.movzx(r32, byte[ea]);
      break;
    case Opcode::I32Load16S:
      a_.movsx(r32, word[ea]);
      break;
    case Opcode::I32Load16U:
      a_.movzx(r32, word[ea]);
      break;
    case Opcode::I64Load8S:
      a_.movsx(r, byte[ea]);
      type = ValKind::I64;
      break;
    case Opcode::I64Load8U:
      a_.movzx(r32, byte[ea]);
      type = ValKind::I64;
      break;
    case Opcode::I64Load16S:
      a_.movsx(r, word[ea]);
      type = ValKind::I64;
      break;
    case Opcode::I64Load16U:
      a_.movzx(r32, word[ea]);
      type = ValKind::I64;
      break;
    case Opcode::I64Load32S:
      a_.movsxd(r, dword[ea]);
      type = ValKind::I64;
      break;
    case Opcode::I64Load32U:
      a_.mov(r32, dword[ea]);
      type = ValKind::I64;
      break;
    default:
      break;
  }
  push_reg(type, r);
}

void Compiler::store(const Instr& instr) {
  Reg64 v = pop_reg();
  Reg64 r = pop_reg();
  const RegExp ea = effective_address(r, instr.mem.offset);
  record_fault_site(current_offset_);
  switch (instr.op) {
    case Opcode::I32Store:
    case Opcode::F32Store:
    case Opcode::I64Store32:
      a_.mov(dword[ea], v.cvt32());
      break;
    case Opcode::I64Store:
    case Opcode::F64Store:
      a_.mov(qword[ea], v);
      break;
    case Opcode::I32Store8:
    case Opcode::I64Store8:
      a_.mov(byte[ea], v.cvt8());
      break;
    case Opcode::I32Store16:
    case Opcode::I64Store16:
      a_.mov(word[ea], v.cvt16());
      break;
    default:
      break;
  }
  release(v);
  release(r);
}

bool Compiler::translate_memory(const Instr& instr) {
  const OpInfo& info = op_info(instr.op);
  if (info.imm == ImmKind::MemArg && info.prefix == 0) {
    if (instr.mem.memory != 0) throw Unsupported{"loads and stores of memories other than 0"};
    const MemoryInst& memory = *instance_.memories[0];
    if (memory.type().limits.is64) throw Unsupported{"memory64 loads and stores"};
    if (!memory.has_guard_region()) throw Unsupported{"memory 0 without a guard region"};
    // The guard region starts at a host page boundary, not at a small-page memory's end.
    if (memory.type().page_size_log2 < 16) throw Unsupported{"custom page sizes"};
    if (info.result != ValKind::Void)
      load(instr);
    else
      store(instr);
    return true;
  }
  auto address_type = [&](uint32_t mem) -> ValType {
    return module_.memory_type(mem).limits.is64 ? ValKind::I64 : ValKind::I32;
  };
  auto index_type = [&](uint32_t table) -> ValType {
    return module_.table_type(table).limits.is64 ? ValKind::I64 : ValKind::I32;
  };
  auto fn = [](auto* f) { return reinterpret_cast<const void*>(f); };
  switch (instr.op) {
    case Opcode::MemorySize:
      call_runtime(fn(&memory_size), instr.index, 0, 0, false, address_type(instr.index));
      return true;
    case Opcode::MemoryGrow:
      call_runtime(fn(&memory_grow), instr.index, 0, 1, false, address_type(instr.index));
      a_.mov(r15, qword[r14 + offsetof(VmContext, mem0_base)]);
      return true;
    case Opcode::MemoryFill:
      call_runtime(fn(&memory_fill), instr.index, 0, 3, true, ValKind::Void);
      return true;
    case Opcode::MemoryCopy:
      call_runtime(fn(&memory_copy), instr.index, instr.index2, 3, true, ValKind::Void);
      return true;
    case Opcode::MemoryInit:
      call_runtime(fn(&memory_init), instr.index, instr.index2, 3, true, ValKind::Void);
      return true;
    case Opcode::DataDrop:
      call_runtime(fn(&data_drop), instr.index, 0, 0, false, ValKind::Void);
      return true;
    case Opcode::TableGet:
      call_runtime(fn(&table_get), instr.index, 0, 1, true, module_.table_type(instr.index).elem);
      return true;
    case Opcode::TableSet:
      call_runtime(fn(&table_set), instr.index, 0, 2, true, ValKind::Void);
      return true;
    case Opcode::TableSize:
      call_runtime(fn(&table_size), instr.index, 0, 0, false, index_type(instr.index));
      return true;
    case Opcode::TableGrow:
      call_runtime(fn(&table_grow), instr.index, 0, 2, false, index_type(instr.index));
      return true;
    case Opcode::TableFill:
      call_runtime(fn(&table_fill), instr.index, 0, 3, true, ValKind::Void);
      return true;
    case Opcode::TableCopy:
      call_runtime(fn(&table_copy), instr.index, instr.index2, 3, true, ValKind::Void);
      return true;
    case Opcode::TableInit:
      call_runtime(fn(&table_init), instr.index, instr.index2, 3, true, ValKind::Void);
      return true;
    case Opcode::ElemDrop:
      call_runtime(fn(&elem_drop), instr.index, 0, 0, false, ValKind::Void);
      return true;
    case Opcode::GlobalGet: {
      const ValType t = module_.global_type(instr.index).type;
      if (t.kind == ValKind::V128) throw Unsupported{"v128 values"};
      Reg64 r = alloc();
      a_.mov(rax, qword[r14 + offsetof(VmContext, globals)]);
      a_.mov(rax, qword[rax + 8 * instr.index]);
      if (is32(t))
        a_.mov(r.cvt32(), dword[rax + global_value_offset()]);
      else
        a_.mov(r, qword[rax + global_value_offset()]);
      push_reg(t, r);
      return true;
    }
    case Opcode::GlobalSet: {
      const ValType t = module_.global_type(instr.index).type;
      if (t.kind == ValKind::V128) throw Unsupported{"v128 values"};
      Reg64 v = pop_reg();
      a_.mov(rax, qword[r14 + offsetof(VmContext, globals)]);
      a_.mov(rax, qword[rax + 8 * instr.index]);
      a_.mov(qword[rax + global_value_offset()], v);
      release(v);
      return true;
    }
    case Opcode::RefNull:
      push_const(ValType::ref(instr.heap, true), 0);
      return true;
    case Opcode::RefIsNull: {
      Reg64 r = pop_reg();
      a_.test(r, r);
      a_.sete(al);
      a_.movzx(r.cvt32(), al);
      push_reg(ValKind::I32, r);
      return true;
    }
    case Opcode::RefFunc: {
      Reg64 r = alloc();
      a_.mov(rax, qword[r14 + offsetof(VmContext, funcs)]);
      a_.mov(r, qword[rax + 8 * instr.index]);
      push_reg(ValType::funcref(), r);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace loom::jit::detail
