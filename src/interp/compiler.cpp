#include "interp/compiler_impl.hpp"

#include <algorithm>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "binary/instr_reader.hpp"
#include "interp/handlers.hpp"
#include "ir/limits.hpp"
#include "runtime/trap.hpp"
#include "valid/func_validator.hpp"

namespace loom::interp {
namespace compiler_detail {

void Compiler::emit_interruption_checks() {
  if (options_.epoch_interruption) emit_op(IOp::CheckEpoch);
  if (options_.consume_fuel) {
    emit_op(IOp::ConsumeFuel);
    fuel_regions_.push_back({here(), 0});
    emit_u32(0);  // patched when the region ends
    labels_.back().fuel_region = true;
  }
}

void Compiler::emit_branch_copies(const Label& target, std::span<const ValType> types) {
  // The label's slots start where its entry index's slot is; entries below it are unchanged
  // since the label was opened.
  emit_copies_to(slot_of_index(target.entry), types.size());
}

void Compiler::emit_copies_to(uint32_t dst, size_t n) {
  const size_t from = stack_.size() - n;
  if (n >= kRangeCopyMin) {
    // Many values: put them in their canonical (contiguous) slots, then move them at once.
    materialize_from(from);
    const uint32_t src = slot_of_index(from);
    if (dst == src) return;
    emit_op(IOp::CopyRange);
    emit_u32(dst);
    emit_u32(src);
    emit_u32(next_slot() - src);
    return;
  }
  // dst <= src, so copying upwards never overwrites a source.
  for (size_t i = 0; i < n; ++i) {
    const Operand& o = stack_[from + i];
    copy_operand(dst, o);
    dst += width(o.type);
  }
}

// Emits the u32 target operand of a jump already started by the caller.
void Compiler::emit_jump_to(Label& target) {
  if (target.op == Opcode::Loop) {
    emit_u32(target.loop_target);
  } else {
    target.fixups.push_back(here());
    emit_u32(0);
  }
}

namespace {

// The fused compare-and-jump for an i32 comparison (jumping when it holds, or when it does not).
IOp fused_compare_jump(IOp compare, bool when_true) {
  struct Fusion {
    IOp compare, jump_if_true, jump_if_false;
  };
  static constexpr Fusion kFusions[] = {
      {IOp::I32Eq, IOp::JumpIfI32Eq, IOp::JumpIfI32Ne},
      {IOp::I32Ne, IOp::JumpIfI32Ne, IOp::JumpIfI32Eq},
      {IOp::I32LtS, IOp::JumpIfI32LtS, IOp::JumpIfI32GeS},
      {IOp::I32LtU, IOp::JumpIfI32LtU, IOp::JumpIfI32GeU},
      {IOp::I32GtS, IOp::JumpIfI32GtS, IOp::JumpIfI32LeS},
      {IOp::I32GtU, IOp::JumpIfI32GtU, IOp::JumpIfI32LeU},
      {IOp::I32LeS, IOp::JumpIfI32LeS, IOp::JumpIfI32GtS},
      {IOp::I32LeU, IOp::JumpIfI32LeU, IOp::JumpIfI32GtU},
      {IOp::I32GeS, IOp::JumpIfI32GeS, IOp::JumpIfI32LtS},
      {IOp::I32GeU, IOp::JumpIfI32GeU, IOp::JumpIfI32LtU},
  };
  for (const Fusion& f : kFusions) {
    if (f.compare == compare) return when_true ? f.jump_if_true : f.jump_if_false;
  }
  return IOp::Count_;
}

// The variant of a binary operation that takes its second operand as an immediate.
IOp immediate_form(Opcode op) {
  struct Form {
    Opcode op;
    IOp with_immediate;
  };
  static constexpr Form kForms[] = {
      {Opcode::I32Add, IOp::I32AddImm},   {Opcode::I32Sub, IOp::I32SubImm},
      {Opcode::I32Mul, IOp::I32MulImm},   {Opcode::I32And, IOp::I32AndImm},
      {Opcode::I32Or, IOp::I32OrImm},     {Opcode::I32Xor, IOp::I32XorImm},
      {Opcode::I32Shl, IOp::I32ShlImm},   {Opcode::I32ShrS, IOp::I32ShrSImm},
      {Opcode::I32ShrU, IOp::I32ShrUImm}, {Opcode::I32Eq, IOp::I32EqImm},
      {Opcode::I32Ne, IOp::I32NeImm},     {Opcode::I32LtS, IOp::I32LtSImm},
      {Opcode::I32LtU, IOp::I32LtUImm},   {Opcode::I32GtS, IOp::I32GtSImm},
      {Opcode::I32GtU, IOp::I32GtUImm},   {Opcode::I32LeS, IOp::I32LeSImm},
      {Opcode::I32LeU, IOp::I32LeUImm},   {Opcode::I32GeS, IOp::I32GeSImm},
      {Opcode::I32GeU, IOp::I32GeUImm},   {Opcode::I64Add, IOp::I64AddImm},
      {Opcode::I64Sub, IOp::I64SubImm},   {Opcode::I64Mul, IOp::I64MulImm},
      {Opcode::I64And, IOp::I64AndImm},   {Opcode::I64Or, IOp::I64OrImm},
      {Opcode::I64Xor, IOp::I64XorImm},   {Opcode::I64Shl, IOp::I64ShlImm},
      {Opcode::I64ShrS, IOp::I64ShrSImm}, {Opcode::I64ShrU, IOp::I64ShrUImm},
  };
  for (const Form& f : kForms) {
    if (f.op == op) return f.with_immediate;
  }
  return IOp::Count_;
}

// The fused compare-with-constant-and-jump for an i32 comparison with an immediate.
IOp fused_compare_imm_jump(IOp compare, bool when_true) {
  struct Fusion {
    IOp compare, jump_if_true, jump_if_false;
  };
  static constexpr Fusion kFusions[] = {
      {IOp::I32EqImm, IOp::JumpIfI32EqImm, IOp::JumpIfI32NeImm},
      {IOp::I32NeImm, IOp::JumpIfI32NeImm, IOp::JumpIfI32EqImm},
      {IOp::I32LtSImm, IOp::JumpIfI32LtSImm, IOp::JumpIfI32GeSImm},
      {IOp::I32LtUImm, IOp::JumpIfI32LtUImm, IOp::JumpIfI32GeUImm},
      {IOp::I32GtSImm, IOp::JumpIfI32GtSImm, IOp::JumpIfI32LeSImm},
      {IOp::I32GtUImm, IOp::JumpIfI32GtUImm, IOp::JumpIfI32LeUImm},
      {IOp::I32LeSImm, IOp::JumpIfI32LeSImm, IOp::JumpIfI32GtSImm},
      {IOp::I32LeUImm, IOp::JumpIfI32LeUImm, IOp::JumpIfI32GtUImm},
      {IOp::I32GeSImm, IOp::JumpIfI32GeSImm, IOp::JumpIfI32LtSImm},
      {IOp::I32GeUImm, IOp::JumpIfI32GeUImm, IOp::JumpIfI32LtUImm},
  };
  for (const Fusion& f : kFusions) {
    if (f.compare == compare) return when_true ? f.jump_if_true : f.jump_if_false;
  }
  return IOp::Count_;
}

}  // namespace

// Emits a conditional jump on `cond` without its target operand. When `cond` was computed by the
// instruction just emitted (an i32 comparison or eqz whose result nothing else reads), that
// instruction is replaced by one fused compare-and-jump.
void Compiler::emit_conditional_jump(const Operand& cond, bool when_true) {
  const bool fresh = cond.alias == kNoAlias && last_dst_ != UINT32_MAX &&
                     last_dst_slot_ == cond.slot && last_dst_ == last_op_start_ + 8;
  if (fresh) {
    uint32_t a, b;
    std::memcpy(&a, out_.code.data() + last_op_start_ + 12, 4);
    if (last_iop_ == IOp::I32Eqz) {
      out_.code.resize(last_op_start_);
      emit_op(when_true ? IOp::JumpUnless : IOp::JumpIf);
      emit_u32(a);
      return;
    }
    const IOp fused_imm = fused_compare_imm_jump(last_iop_, when_true);
    if (fused_imm != IOp::Count_) {
      std::memcpy(&b, out_.code.data() + last_op_start_ + 16, 4);  // the immediate
      out_.code.resize(last_op_start_);
      emit_op(fused_imm);
      emit_u32(a);
      emit_u32(b);
      return;
    }
    const IOp fused = fused_compare_jump(last_iop_, when_true);
    if (fused != IOp::Count_) {
      std::memcpy(&b, out_.code.data() + last_op_start_ + 16, 4);
      out_.code.resize(last_op_start_);
      emit_op(fused);
      emit_u32(a);
      emit_u32(b);
      return;
    }
  }
  emit_op(when_true ? IOp::JumpIf : IOp::JumpUnless);
  emit_u32(cond.source());
}

void Compiler::begin_block(Opcode op) {
  const ControlFrame& frame = validator_.control(0);
  Label l;
  l.op = op;
  l.sig = frame.sig;
  l.handler = labels_.back().handler;
  if (labels_.back().dead) {
    l.dead = l.entered_dead = true;
    l.entry = stack_.size();
    labels_.push_back(std::move(l));
    return;
  }
  // Everything below becomes canonical: code inside the block may change any local.
  materialize_from(0);
  l.entry = stack_.size() - label_params(l).size();
  if (op == Opcode::Loop) {
    l.loop_target = here();
    last_dst_ = UINT32_MAX;  // a join point: code can arrive here from a branch
  }
  labels_.push_back(std::move(l));
  if (op == Opcode::Loop) emit_interruption_checks();  // every back-edge runs them
}

void Compiler::end_block() {
  Label l = std::move(labels_.back());
  labels_.pop_back();
  if (l.fuel_region) {
    patch_u32(fuel_regions_.back().cost_at, fuel_regions_.back().cost);
    fuel_regions_.pop_back();
  }
  if (l.entered_dead) return;
  if (!l.dead) materialize_from(l.entry);
  // Join point: every branch to this label lands here with results in the canonical slots.
  const uint32_t end = here();
  for (uint32_t fix : l.fixups) patch_u32(fix, end);
  if (l.else_fixup != UINT32_MAX) patch_u32(l.else_fixup, end);
  const bool joined = !l.fixups.empty() || l.else_fixup != UINT32_MAX;
  if (joined) last_dst_ = UINT32_MAX;
  truncate(l.entry);
  for (ValType t : label_results(l)) push(t);
  if (labels_.empty() && (!l.dead || joined)) emit_return();  // the function's own end
}

// `op` is iop_from(instr.op), or its i64-address twin for a memarg instruction on memory64.
void Compiler::translate_simple(const Instr& instr, const OpInfo& info, IOp op) {
  // Scalar constants are deferred: the instruction that uses one may take it as an immediate.
  switch (instr.op) {
    case Opcode::I32Const:
    case Opcode::F32Const:
    case Opcode::I64Const:
    case Opcode::F64Const: {
      push(info.result);
      Operand& o = stack_.back();
      o.is_const = true;
      o.bits = instr.op == Opcode::I32Const   ? static_cast<uint32_t>(instr.i32)
               : instr.op == Opcode::F32Const ? instr.f32_bits
               : instr.op == Opcode::I64Const ? static_cast<uint64_t>(instr.i64)
                                              : instr.f64_bits;
      return;
    }
    default:
      break;
  }
  const bool binary = info.param2 != ValKind::Void && info.param3 == ValKind::Void;
  if (binary && stack_.back().is_const && !stack_[stack_.size() - 2].is_const) {
    const IOp with_immediate = immediate_form(instr.op);
    if (with_immediate != IOp::Count_) {
      const Operand b = pop_deferred();
      const Operand a = pop();
      emit_op(with_immediate);
      emit_dst(push(info.result));
      const uint32_t dst_pos = last_dst_;
      emit_u32(a.source());
      if (info.param1 == ValKind::I64)
        emit_u64(b.bits);
      else
        emit_u32(static_cast<uint32_t>(b.bits));
      last_dst_ = dst_pos;
      return;
    }
  }
  const ValKind params[3] = {info.param1, info.param2, info.param3};
  int n = 0;
  while (n < 3 && params[n] != ValKind::Void) ++n;
  uint32_t sources[3];
  for (int i = n - 1; i >= 0; --i) sources[i] = pop().source();
  emit_op(op);
  if (info.result != ValKind::Void) emit_dst(push(info.result));
  const uint32_t dst_pos = last_dst_;
  for (int i = 0; i < n; ++i) emit_u32(sources[i]);
  switch (info.imm) {
    case ImmKind::MemArg:
      emit_u64(instr.mem.offset);
      break;
    case ImmKind::MemArgLane:
      emit_u64(instr.mem.offset);
      emit_u32(instr.lane);
      break;
    case ImmKind::Lane:
      emit_u32(instr.lane);
      break;
    case ImmKind::I32Const:
      emit_u32(static_cast<uint32_t>(instr.i32));
      break;
    case ImmKind::F32Const:
      emit_u32(instr.f32_bits);
      break;
    case ImmKind::I64Const:
      emit_u64(static_cast<uint64_t>(instr.i64));
      break;
    case ImmKind::F64Const:
      emit_u64(instr.f64_bits);
      break;
    case ImmKind::V128Const:
    case ImmKind::Shuffle:
      emit_raw(instr.v128.data(), 16);
      break;
    default:
      break;
  }
  last_dst_ = dst_pos;
}

void Compiler::set_local(uint32_t local, bool tee) {
  const uint32_t slot = local_slot(local);
  const ValType type = local_types_[local];
  Operand value = pop_deferred();
  if (value.is_const) {
    materialize_aliases_of(slot);
    emit_const(slot, value.bits);
    if (tee) stack_.push_back(value);  // still a constant
    return;
  }
  bool other_aliases = false;
  for (size_t i = canonical_; i < stack_.size(); ++i) other_aliases |= stack_[i].alias == slot;
  // Retarget: the instruction that produced `value` writes the local directly.
  if (value.alias == kNoAlias && last_dst_ != UINT32_MAX && !other_aliases &&
      value.slot == last_dst_slot_) {
    patch_u32(last_dst_, slot);
    last_dst_ = UINT32_MAX;
  } else {
    materialize_aliases_of(slot);
    copy(slot, value.source(), type);
  }
  if (tee) {
    stack_.push_back(value);
    stack_.back().alias = slot;
  }
}

void Compiler::emit_return() {
  emit_copies_to(0, func_type_->results.size());
  emit_op(IOp::ReturnOp);
}

void Compiler::emit_call(IOp op, const FuncType& type, const Instr& instr, uint32_t index_slot) {
  const size_t n = type.params.size();
  materialize_from(stack_.size() - n);
  const uint32_t arg_base = n ? stack_[stack_.size() - n].slot : next_slot();
  truncate(stack_.size() - n);
  emit_op(op);
  if (op == IOp::CallWasm) {
    emit_u32(instr.index);
  } else {
    emit_u32(instr.index);   // type index
    emit_u32(instr.index2);  // table index
    emit_u32(index_slot);
  }
  emit_u32(arg_base);
  for (ValType t : type.results) push(t);
  // The callee's frame starts at arg_base; make sure results fit in ours too.
}

// return_call / return_call_indirect: the arguments go to the canonical slots (contiguous), the
// interpreter moves them to the frame base and reuses the frame. (return_call_ref, from the
// function-references work, is the same with a callee slot instead of a table index.)
void Compiler::emit_tail_call(IOp op, const FuncType& type, const Instr& instr,
                              uint32_t index_slot) {
  const size_t n = type.params.size();
  materialize_from(stack_.size() - n);
  const uint32_t arg_base = n ? stack_[stack_.size() - n].slot : next_slot();
  const uint32_t arg_bytes = next_slot() - arg_base;
  emit_op(op);
  emit_u32(instr.index);
  if (op != IOp::ReturnCallWasm) {
    emit_u32(instr.index2);  // table index
    emit_u32(index_slot);
  }
  emit_u32(arg_base);
  emit_u32(arg_bytes);
  mark_dead();
}

bool Compiler::translate(const Instr& instr, const InstrReader& in) {
  const OpInfo& info = op_info(instr.op);
  if (!fuel_regions_.empty() && !dead()) fuel_regions_.back().cost += fuel_cost(instr.op);
  // Structure must be tracked even in unreachable code; everything else there is skipped.
  switch (instr.op) {
    case Opcode::Block:
    case Opcode::Loop:
      begin_block(instr.op);
      return true;
    case Opcode::If: {
      if (labels_.back().dead) {
        begin_block(instr.op);
        return true;
      }
      const Operand cond = pop();
      materialize_from(0);
      emit_conditional_jump(cond, false);
      const uint32_t fix = here();
      emit_u32(0);
      begin_block(instr.op);
      labels_.back().else_fixup = fix;
      return true;
    }
    case Opcode::Else: {
      Label& l = labels_.back();
      if (l.entered_dead) return true;
      if (!l.dead) {
        materialize_from(l.entry);
        emit_op(IOp::Jump);
        l.fixups.push_back(here());
        emit_u32(0);
      }
      patch_u32(l.else_fixup, here());
      l.else_fixup = UINT32_MAX;
      l.dead = false;
      last_dst_ = UINT32_MAX;
      truncate(l.entry);
      for (ValType t : label_params(l)) push(t);
      return true;
    }
    case Opcode::End:
      if (labels_.back().own_handler != kNoHandler) {
        end_handler_block(instr);
        return true;
      }
      end_block();
      return true;
    case Opcode::Try:
    case Opcode::TryTable:
    case Opcode::Catch:
    case Opcode::CatchAll:
    case Opcode::Delegate:
      translate_exceptions(instr, in);
      return true;
    default:
      break;
  }
  if (dead()) return true;

  if (info.simple) {
    if (!has_handler(iop_from(instr.op))) {
      error_ = Error{"the interpreter does not support " + std::string(info.text) + " yet",
                     instr.offset};
      return false;
    }
    const bool memarg = info.imm == ImmKind::MemArg || info.imm == ImmKind::MemArgLane;
    const bool other_memory = memarg && instr.mem.memory != 0;
    // Loads and stores address the cached memory 0; another memory is switched in around them.
    if (other_memory) {
      emit_op(IOp::UseMemory);
      emit_u32(instr.mem.memory);
    }
    const bool a64 = memarg && memory_is64(instr.mem.memory);
    translate_simple(instr, info, a64 ? iop_a64_from(instr.op) : iop_from(instr.op));
    if (other_memory) {  // (this also ends retargeting: the result stays in its slot)
      emit_op(IOp::UseMemory);
      emit_u32(0);
    }
    return true;
  }
  switch (instr.op) {
    case Opcode::Unreachable:
      emit_op(IOp::Trap);
      emit_u32(static_cast<uint32_t>(TrapKind::Unreachable));
      mark_dead();
      return true;
    case Opcode::Nop:
      return true;
    case Opcode::Drop:
      pop_deferred();
      return true;
    case Opcode::Br: {
      Label& target = label(instr.index);
      emit_branch_copies(target, branch_types(target));
      emit_op(IOp::Jump);
      emit_jump_to(target);
      mark_dead();
      return true;
    }
    case Opcode::BrIf: {
      const Operand cond = pop();
      Label& target = label(instr.index);
      const auto types = branch_types(target);
      materialize_from(stack_.size() - types.size());
      const bool in_place = stack_.size() - types.size() == target.entry;
      if (in_place) {
        emit_conditional_jump(cond, true);
        emit_jump_to(target);
      } else {
        emit_conditional_jump(cond, false);
        const uint32_t skip = here();
        emit_u32(0);
        emit_branch_copies(target, types);
        emit_op(IOp::Jump);
        emit_jump_to(target);
        patch_u32(skip, here());
      }
      return true;
    }
    case Opcode::BrTable: {
      const Operand index = pop();
      const auto& targets = in.br_table_targets();
      const uint32_t count = static_cast<uint32_t>(targets.size());
      {
        // Every target carries the same number of values; in-place targets read them from
        // their canonical slots, so they must not stay aliases of locals.
        const Label& fallback = label(instr.index);
        const size_t arity = branch_types(fallback).size();
        materialize_from(stack_.size() - arity);
      }
      emit_op(IOp::JumpTable);
      emit_u32(index.source());
      emit_u32(count);
      const uint32_t table = here();
      for (uint32_t i = 0; i <= count; ++i) emit_u32(0);
      // Each entry jumps to a stub that moves the carried values, then to the label.
      for (uint32_t i = 0; i <= count; ++i) {
        Label& target = label(i < count ? targets[i] : instr.index);
        const auto types = branch_types(target);
        const bool in_place = stack_.size() - types.size() == target.entry;
        if (in_place) {
          // Jump straight to the label: record the table entry itself as the fixup.
          if (target.op == Opcode::Loop)
            patch_u32(table + 4 * i, target.loop_target);
          else
            target.fixups.push_back(table + 4 * i);
          continue;
        }
        patch_u32(table + 4 * i, here());
        emit_branch_copies(target, types);
        emit_op(IOp::Jump);
        emit_jump_to(target);
      }
      mark_dead();
      return true;
    }
    case Opcode::Return:
      emit_return();
      mark_dead();
      return true;
    case Opcode::Call: {
      const FuncType& type = module_.func_type(instr.index);
      emit_call(IOp::CallWasm, type, instr, 0);
      return true;
    }
    case Opcode::CallIndirect: {
      // The index sits above the arguments, so materializing them cannot overwrite it.
      const Operand index = pop();
      const IOp op = table_is64(instr.index2) ? IOp::CallIndirectA64 : IOp::CallIndirectOp;
      emit_call(op, module_.types[instr.index], instr, index.source());
      return true;
    }
    case Opcode::ReturnCall:
      emit_tail_call(IOp::ReturnCallWasm, module_.func_type(instr.index), instr, 0);
      return true;
    case Opcode::ReturnCallIndirect: {
      const Operand index = pop();
      const IOp op =
          table_is64(instr.index2) ? IOp::ReturnCallIndirectA64 : IOp::ReturnCallIndirectOp;
      emit_tail_call(op, module_.types[instr.index], instr, index.source());
      return true;
    }
    case Opcode::ReturnCallRef: {
      const Operand ref = pop();  // above the arguments, like return_call_indirect's index
      emit_tail_call(IOp::ReturnCallRefOp, module_.types[instr.index], instr, ref.source());
      return true;
    }
    case Opcode::CallRef: {
      const Operand ref = pop();  // above the arguments, like call_indirect's index
      emit_call(IOp::CallRefOp, module_.types[instr.index], instr, ref.source());
      return true;
    }
    case Opcode::RefAsNonNull:
    case Opcode::BrOnNull:
    case Opcode::BrOnNonNull:
      translate_typed_ref(instr);
      return true;
    case Opcode::Select:
    case Opcode::SelectT: {
      const Operand cond = pop();
      const Operand b = pop();
      const Operand a = pop();
      emit_op(is_wide(a.type) ? IOp::Select128 : IOp::Select64);
      emit_dst(push(a.type.kind == ValKind::Void ? b.type : a.type));
      const uint32_t dst_pos = last_dst_;
      emit_u32(a.source());
      emit_u32(b.source());
      emit_u32(cond.source());
      last_dst_ = dst_pos;
      return true;
    }
    case Opcode::LocalGet: {
      const ValType t = local_types_[instr.index];
      push(t);
      stack_.back().alias = local_slot(instr.index);
      return true;
    }
    case Opcode::LocalSet:
      set_local(instr.index, false);
      return true;
    case Opcode::LocalTee:
      set_local(instr.index, true);
      return true;
    case Opcode::GlobalGet: {
      const ValType t = module_.global_type(instr.index).type;
      emit_op(is_wide(t) ? IOp::GlobalGet128 : IOp::GlobalGet64);
      emit_dst(push(t));
      const uint32_t dst_pos = last_dst_;
      emit_u32(instr.index);
      last_dst_ = dst_pos;
      return true;
    }
    case Opcode::GlobalSet: {
      const Operand v = pop();
      emit_op(is_wide(module_.global_type(instr.index).type) ? IOp::GlobalSet128
                                                             : IOp::GlobalSet64);
      emit_u32(v.source());
      emit_u32(instr.index);
      return true;
    }
    case Opcode::MemorySize:
    case Opcode::MemoryGrow:
    case Opcode::MemoryFill:
    case Opcode::MemoryCopy:
    case Opcode::MemoryInit:
      translate_memory(instr);
      return true;
    case Opcode::TableGet:
    case Opcode::TableSet:
    case Opcode::TableSize:
    case Opcode::TableGrow:
    case Opcode::TableFill:
    case Opcode::TableCopy:
    case Opcode::TableInit:
      translate_table(instr);
      return true;
    case Opcode::DataDrop:
    case Opcode::ElemDrop:
      emit_op(instr.op == Opcode::DataDrop ? IOp::DataDropOp : IOp::ElemDropOp);
      emit_u32(instr.index);
      return true;
    case Opcode::RefNull:
      emit_op(IOp::RefNullOp);
      emit_u32(push(ValType::ref(instr.heap, true)));
      return true;
    case Opcode::RefIsNull: {
      const Operand r = pop();
      emit_op(IOp::RefIsNullOp);
      emit_u32(push(ValKind::I32));
      emit_u32(r.source());
      return true;
    }
    case Opcode::Throw:
    case Opcode::ThrowRef:
    case Opcode::Rethrow:
      translate_exceptions(instr, in);
      return true;
    case Opcode::RefFunc:
      emit_op(IOp::RefFuncOp);
      emit_u32(push(ValType::ref(HeapType::index(module_.func_type_index(instr.index)), false)));
      emit_u32(instr.index);
      return true;
    case Opcode::I64Add128:  // wide-arithmetic: dst_lo, dst_hi, then the 4 (or 2) operands
    case Opcode::I64Sub128:
    case Opcode::I64MulWideS:
    case Opcode::I64MulWideU: {
      const int n = instr.op == Opcode::I64Add128 || instr.op == Opcode::I64Sub128 ? 4 : 2;
      uint32_t sources[4];
      for (int i = n - 1; i >= 0; --i) sources[i] = pop().source();
      emit_op(iop_from(instr.op));
      emit_u32(push(ValKind::I64));
      emit_u32(push(ValKind::I64));
      for (int i = 0; i < n; ++i) emit_u32(sources[i]);
      return true;
    }
    default:
      error_ = Error{"the interpreter does not support " + std::string(info.text) + " yet",
                     instr.offset};
      return false;
  }
}

Result<CompiledFunction> Compiler::run(uint32_t func_index) {
  const uint32_t defined = func_index - module_.num_imported_funcs();
  const FunctionBody& body = module_.bodies[defined];
  func_type_ = &module_.func_type(func_index);
  if (!validator_.begin_function(func_index, body)) return validator_.take_error();
  auto frame_too_large = [&](size_t offset) {
    Error error{limit_error(Limit::FunctionFrameBytes), offset};
    error.func = func_index;
    return error;
  };

  // Frame layout: params, declared locals, then temporaries. The locals' size is known before
  // any slot is handed out (a function may declare 2^32-1 locals; a local's slot must not wrap).
  uint64_t locals_bytes = 0;
  for (ValType t : func_type_->params) locals_bytes += width(t);
  for (const LocalDecl& decl : body.locals) locals_bytes += uint64_t{decl.count} * width(decl.type);
  if (locals_bytes + 2 * kSlot > kMaxFrameBytes) return frame_too_large(body.offset);
  const size_t local_count = func_type_->params.size() + body.local_count;
  local_slots_.reserve(local_count);
  local_types_.reserve(local_count);
  uint32_t slot = 0;
  for (ValType t : func_type_->params) {
    local_slots_.push_back(slot);
    local_types_.push_back(t);
    slot += width(t);
  }
  out_.param_bytes = slot;
  for (const LocalDecl& decl : body.locals) {
    for (uint32_t i = 0; i < decl.count; ++i) {
      local_slots_.push_back(slot);
      local_types_.push_back(decl.type);
      slot += width(decl.type);
    }
  }
  out_.locals_end = slot;
  temps_base_ = slot;
  max_bytes_ = slot;
  labels_.push_back(Label{});
  labels_.back().sig.kind = FrameSig::Kind::Function;
  labels_.back().sig.type_index = module_.func_type_index(func_index);
  emit_interruption_checks();  // a trap there is located at the body's start
  if (here() != 0) out_.source_map.push_back({0, static_cast<uint32_t>(body.code.begin)});

  InstrReader in(module_.slice(body.code), body.code.begin, features_);
  Instr instr;
  while (!in.at_end()) {
    if (!in.next(instr)) return in.error();
    if (!validator_.step(instr, in)) return validator_.take_error();
    out_.source_map.push_back({here(), static_cast<uint32_t>(instr.offset)});
    if (!translate(instr, in)) return error_;
    bound_deferred();
    // Room for the largest results a call may write beyond the last temporary.
    if (max_bytes_ + 2 * kSlot > kMaxFrameBytes) return frame_too_large(instr.offset);
    if (out_.code.size() > kMaxCodeBytes) {
      return Error{"function too large for the interpreter", instr.offset, func_index};
    }
  }
  if (!validator_.finish(in.offset())) return validator_.take_error();
  out_.frame_bytes = static_cast<uint32_t>(max_bytes_ + 2 * kSlot);
  return std::move(out_);
}

}  // namespace compiler_detail

Result<CompiledFunction> compile_function(const Module& module, const Features& features,
                                          uint32_t func_index, CompileOptions options) {
  compiler_detail::Compiler compiler(module, features, options);
  return compiler.run(func_index);
}

}  // namespace loom::interp
