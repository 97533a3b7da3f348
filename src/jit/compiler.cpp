// The compiler core: value stack and register cache, frames, control flow. Read
// compiler_core.hpp first for the registers and the frame layout.
#include <algorithm>
#include <cstring>

#include "interp/compiler_impl.hpp"  // fuel_cost: both tiers charge the same fuel
#include "jit/compiler_core.hpp"

namespace loom::jit {
namespace detail {

using namespace Xbyak;
using namespace Xbyak::util;

namespace {

constexpr int32_t kCellBase = 24;  // [rbp - 24] is cell 0 (below the saved r14 and func)
// Frames stay far below the 2 GiB displacement range (and the wasm stack).
constexpr size_t kMaxCells = size_t{1} << 17;

size_t interruption_offset(const uint64_t Interruption::*field) {
  static Interruption probe;
  return static_cast<size_t>(reinterpret_cast<const char*>(&(probe.*field)) -
                             reinterpret_cast<const char*>(&probe));
}

}  // namespace

Compiler::Compiler(FunctionInst& func, const CompileEnv& env, uint8_t* buffer, size_t buffer_bytes)
    : func_(func),
      instance_(*func.instance),
      module_(func.instance->module()),
      env_(env),
      a_(buffer_bytes, buffer),
      validator_(module_, env.features) {
  std::fill(std::begin(owner_), std::end(owner_), kFree);
}

// ---- value stack ----

Address Compiler::slot(size_t index) const {
  return qword[rbp - static_cast<int32_t>(kCellBase + 8 * (num_locals_ + index))];
}

Address Compiler::local(uint32_t index) const {
  if (index < num_params_) return qword[rbp + static_cast<int32_t>(16 + 16 * index)];
  return qword[rbp - static_cast<int32_t>(kCellBase + 8 * (index - num_params_))];
}

Reg64 Compiler::alloc() {
  for (int r : kPool) {
    if (owner_[r] == kFree) {
      owner_[r] = kTemp;
      return Reg64(r);
    }
  }
  // None free: spill the deepest value that is in a register.
  for (size_t i = 0; i < stack_.size(); ++i) {
    if (stack_[i].loc == Loc::Reg) {
      const int r = stack_[i].reg;
      spill(i);
      owner_[r] = kTemp;
      return Reg64(r);
    }
  }
  throw Unsupported{"register pool exhausted"};  // not reachable: temps never exceed 3
}

void Compiler::release(Reg64 r) {
  owner_[r.getIdx()] = kFree;
}

bool Compiler::fits_imm32(const Entry& e, bool wide) {
  if (!wide) return true;
  return static_cast<int64_t>(e.bits) == static_cast<int32_t>(e.bits);
}

void Compiler::spill(size_t index) {
  Entry& e = stack_[index];
  if (e.loc == Loc::Slot) return;
  store_entry(slot(index), e, index, rax);
  if (e.loc == Loc::Reg) owner_[e.reg] = kFree;
  e.loc = Loc::Slot;
  e.reg = -1;
}

void Compiler::spill_all() {
  for (size_t i = 0; i < stack_.size(); ++i) spill(i);
}

void Compiler::load_entry(Reg64 r, const Entry& e, size_t index) {
  switch (e.loc) {
    case Loc::Slot:
      if (is32(e.type))
        a_.mov(r.cvt32(), dword[slot(index).getRegExp()]);
      else
        a_.mov(r, slot(index));
      break;
    case Loc::Const:
      if (e.bits <= 0xffffffffu)
        a_.mov(r.cvt32(), static_cast<uint32_t>(e.bits));
      else
        a_.mov(r, e.bits);
      break;
    case Loc::Reg:
      if (e.reg != r.getIdx()) a_.mov(r, Reg64(e.reg));
      break;
  }
}

void Compiler::store_entry(const Address& dst, const Entry& e, size_t index, const Reg64& scratch) {
  switch (e.loc) {
    case Loc::Reg:
      a_.mov(dst, Reg64(e.reg));
      break;
    case Loc::Const:
      if (static_cast<int64_t>(e.bits) == static_cast<int32_t>(e.bits)) {
        a_.mov(dst, e.bits);
      } else {
        a_.mov(scratch, e.bits);
        a_.mov(dst, scratch);
      }
      break;
    case Loc::Slot:
      a_.mov(scratch, slot(index));
      a_.mov(dst, scratch);
      break;
  }
}

Reg64 Compiler::pop_reg() {
  Entry e = stack_.back();
  stack_.pop_back();
  if (e.loc == Loc::Reg) {
    owner_[e.reg] = kTemp;
    return Reg64(e.reg);
  }
  Reg64 r = alloc();
  load_entry(r, e, stack_.size());
  return r;
}

Entry Compiler::pop_entry() {
  Entry e = stack_.back();
  stack_.pop_back();
  if (e.loc == Loc::Reg) owner_[e.reg] = kTemp;
  return e;
}

void Compiler::push_reg(ValType t, Reg64 r) {
  stack_.push_back(Entry{t, Loc::Reg, r.getIdx(), 0});
  owner_[r.getIdx()] = static_cast<int>(stack_.size() - 1);
  max_height_ = std::max(max_height_, stack_.size());
}

void Compiler::push_const(ValType t, uint64_t bits) {
  stack_.push_back(Entry{t, Loc::Const, -1, bits});
  max_height_ = std::max(max_height_, stack_.size());
}

void Compiler::push_slot(ValType t) {
  stack_.push_back(Entry{t, Loc::Slot, -1, 0});
  max_height_ = std::max(max_height_, stack_.size());
}

void Compiler::truncate(size_t size) {
  for (size_t i = size; i < stack_.size(); ++i) {
    if (stack_[i].loc == Loc::Reg) owner_[stack_[i].reg] = kFree;
  }
  stack_.resize(size);
}

void Compiler::copy_to_slots(size_t dst, size_t n) {
  const size_t from = stack_.size() - n;
  // dst <= from: copying upwards never overwrites a source still to be read.
  for (size_t k = 0; k < n; ++k) {
    const Entry& e = stack_[from + k];
    if (e.loc == Loc::Slot && from + k == dst + k) continue;
    store_entry(slot(dst + k), e, from + k, rax);
  }
}

// ---- control ----

Label* Compiler::new_label() {
  labels_.emplace_back();
  return &labels_.back();
}

Label* Compiler::trap_label(TrapKind kind, uint32_t wasm_offset) {
  for (const TrapStub& s : trap_stubs_) {
    if (!s.kind_in_edx && s.kind == kind && s.wasm_offset == wasm_offset) return s.label;
  }
  trap_stubs_.push_back({new_label(), kind, wasm_offset});
  return trap_stubs_.back().label;
}

void Compiler::mark_dead() {
  Block& b = blocks_.back();
  b.dead = true;
  truncate(b.entry);
}

void Compiler::emit_interruption_checks(uint32_t wasm_offset) {
  if (env_.epoch_interruption) {
    a_.mov(rax, qword[r14 + offsetof(VmContext, interruption)]);
    a_.mov(rcx, qword[rax + interruption_offset(&Interruption::epoch_deadline)]);
    static Interruption probe;
    const size_t epoch_at = static_cast<size_t>(reinterpret_cast<const char*>(&probe.epoch) -
                                                reinterpret_cast<const char*>(&probe));
    a_.cmp(qword[rax + epoch_at], rcx);
    a_.jae(*trap_label(TrapKind::Interrupted, wasm_offset), CodeGenerator::T_NEAR);
  }
  if (env_.consume_fuel) {
    const size_t fuel_at = interruption_offset(&Interruption::fuel);
    a_.mov(rax, qword[r14 + offsetof(VmContext, interruption)]);
    a_.mov(rcx, qword[rax + fuel_at]);
    a_.db(0x48);  // sub rcx, imm32 (the region's cost, patched when it ends)
    a_.db(0x81);
    a_.db(0xe9);
    a_.dd(0);
    fuel_regions_.push_back({a_.getSize() - 4, 0});
    a_.jb(*trap_label(TrapKind::OutOfFuel, wasm_offset), CodeGenerator::T_NEAR);
    a_.mov(qword[rax + fuel_at], rcx);
    blocks_.back().fuel_region = true;
  }
}

void Compiler::begin_block(Opcode op, const Instr& instr) {
  const ControlFrame& frame = validator_.control(0);
  Block b;
  b.op = op;
  for (ValType t : validator_.frame_params(frame)) b.params.push_back(t);
  for (ValType t : validator_.frame_results(frame)) b.results.push_back(t);
  for (ValType t : b.params)
    if (t.kind == ValKind::V128) throw Unsupported{"v128 values"};
  for (ValType t : b.results)
    if (t.kind == ValKind::V128) throw Unsupported{"v128 values"};
  if (blocks_.back().dead) {
    b.dead = b.entered_dead = true;
    b.entry = stack_.size();
    blocks_.push_back(std::move(b));
    return;
  }
  spill_all();
  b.entry = stack_.size() - b.params.size();
  if (op == Opcode::Loop) {
    b.head = new_label();
    a_.L(*b.head);
    blocks_.push_back(std::move(b));
    emit_interruption_checks(static_cast<uint32_t>(instr.offset));
    return;
  }
  b.end = new_label();
  blocks_.push_back(std::move(b));
}

void Compiler::end_block() {
  Block b = std::move(blocks_.back());
  blocks_.pop_back();
  if (b.fuel_region) {
    a_.rewrite(fuel_regions_.back().cost_at, fuel_regions_.back().cost, 4);
    fuel_regions_.pop_back();
  }
  if (b.entered_dead) return;
  if (!b.dead) copy_to_slots(b.entry, b.results.size());
  if (b.else_label) a_.L(*b.else_label);
  if (b.end) a_.L(*b.end);
  truncate(b.entry);
  for (ValType t : b.results) push_slot(t);
  if (blocks_.empty()) emit_return();
}

void Compiler::branch_to(Block& target) {
  copy_to_slots(target.entry, target.branch_types().size());
  a_.jmp(target.op == Opcode::Loop ? *target.head : *target.end, CodeGenerator::T_NEAR);
}

void Compiler::emit_return() {
  const size_t n = type_->results.size();
  const size_t from = stack_.size() - n;
  for (size_t k = 0; k < n; ++k) {
    store_entry(qword[rbp + static_cast<int32_t>(16 + 16 * k)], stack_[from + k], from + k, rax);
  }
  a_.mov(rcx, qword[r14 + offsetof(VmContext, thread)]);
  a_.sub(qword[rcx + offsetof(JitThread, depth)], 1);
  a_.mov(r14, qword[rbp - 8]);
  a_.leave();
  a_.ret();
}

void Compiler::translate(const Instr& instr, const InstrReader& in) {
  if (!fuel_regions_.empty() && !dead()) {
    fuel_regions_.back().cost += interp::compiler_detail::fuel_cost(instr.op);
  }
  switch (instr.op) {
    case Opcode::Block:
    case Opcode::Loop:
      begin_block(instr.op, instr);
      return;
    case Opcode::If: {
      if (dead()) {
        begin_block(instr.op, instr);
        return;
      }
      if (!validator_.frame_params(validator_.control(0)).empty()) {
        throw Unsupported{"if with block parameters"};
      }
      Reg64 cond = pop_reg();
      spill_all();
      a_.test(cond.cvt32(), cond.cvt32());
      release(cond);
      Label* else_label = new_label();
      a_.jz(*else_label, CodeGenerator::T_NEAR);
      begin_block(instr.op, instr);
      blocks_.back().else_label = else_label;
      return;
    }
    case Opcode::Else: {
      Block& b = blocks_.back();
      if (b.entered_dead) return;
      if (!b.dead) {
        copy_to_slots(b.entry, b.results.size());
        a_.jmp(*b.end, CodeGenerator::T_NEAR);
      }
      a_.L(*b.else_label);
      b.else_label = nullptr;
      b.dead = false;
      truncate(b.entry);
      for (ValType t : b.params) push_slot(t);
      return;
    }
    case Opcode::End:
      end_block();
      return;
    default:
      break;
  }
  if (dead()) return;

  switch (instr.op) {
    case Opcode::Unreachable:
      a_.jmp(*trap_label(TrapKind::Unreachable, current_offset_), CodeGenerator::T_NEAR);
      mark_dead();
      return;
    case Opcode::Nop:
      return;
    case Opcode::Drop: {
      Entry e = pop_entry();
      if (e.loc == Loc::Reg) release(Reg64(e.reg));
      return;
    }
    case Opcode::Br:
      branch_to(block(instr.index));
      mark_dead();
      return;
    case Opcode::BrIf: {
      Reg64 cond = pop_reg();
      Block& target = block(instr.index);
      const size_t n = target.branch_types().size();
      bool in_place = stack_.size() - n == target.entry;
      for (size_t k = 0; in_place && k < n; ++k) {
        in_place = stack_[target.entry + k].loc == Loc::Slot;
      }
      a_.test(cond.cvt32(), cond.cvt32());
      release(cond);
      if (in_place) {
        a_.jnz(target.op == Opcode::Loop ? *target.head : *target.end, CodeGenerator::T_NEAR);
      } else {
        Label* skip = new_label();
        a_.jz(*skip, CodeGenerator::T_NEAR);
        branch_to(target);
        a_.L(*skip);
      }
      return;
    }
    case Opcode::BrTable: {
      Reg64 index = pop_reg();
      spill_all();
      const auto& targets = in.br_table_targets();
      const uint32_t count = static_cast<uint32_t>(targets.size());
      // One label per distinct depth: the target itself when no value moves, else a stub.
      std::vector<std::pair<uint32_t, Label*>> by_depth;
      auto label_for = [&](uint32_t depth) {
        for (auto& [d, l] : by_depth)
          if (d == depth) return l;
        Block& t = block(depth);
        Label* l = stack_.size() - t.branch_types().size() == t.entry
                       ? (t.op == Opcode::Loop ? t.head : t.end)
                       : new_label();
        by_depth.push_back({depth, l});
        return l;
      };
      Label* fallback = label_for(instr.index);
      Label* table = new_label();
      a_.cmp(index.cvt32(), count);
      a_.jae(*fallback, CodeGenerator::T_NEAR);
      a_.lea(rax, ptr[rip + *table]);
      a_.jmp(qword[rax + index * 8]);
      release(index);
      a_.align(8);
      a_.L(*table);
      for (uint32_t i = 0; i < count; ++i) a_.putL(*label_for(targets[i]));
      for (auto& [depth, l] : by_depth) {
        Block& t = block(depth);
        if (l == t.head || l == t.end) continue;
        a_.L(*l);
        branch_to(t);
      }
      mark_dead();
      return;
    }
    case Opcode::Return:
      emit_return();
      mark_dead();
      return;
    case Opcode::Call:
      emit_call(instr, false);
      return;
    case Opcode::CallIndirect:
      emit_call(instr, true);
      return;
    case Opcode::Select:
    case Opcode::SelectT: {
      Reg64 cond = pop_reg();
      Reg64 b = pop_reg();
      Entry top = stack_.back();
      if (top.type.kind == ValKind::V128) throw Unsupported{"v128 values"};
      Reg64 a = pop_reg();
      a_.test(cond.cvt32(), cond.cvt32());
      a_.cmovz(a, b);
      release(cond);
      release(b);
      push_reg(top.type, a);
      return;
    }
    case Opcode::LocalGet: {
      const ValType t = local_types_[instr.index];
      Reg64 r = alloc();
      if (is32(t))
        a_.mov(r.cvt32(), dword[local(instr.index).getRegExp()]);
      else
        a_.mov(r, local(instr.index));
      push_reg(t, r);
      return;
    }
    case Opcode::LocalSet:
    case Opcode::LocalTee: {
      const Entry e = stack_.back();
      store_entry(local(instr.index), e, stack_.size() - 1, rax);
      if (instr.op == Opcode::LocalSet) {
        Entry popped = pop_entry();
        if (popped.loc == Loc::Reg) release(Reg64(popped.reg));
      }
      return;
    }
    default:
      break;
  }
  if (translate_int(instr) || translate_float(instr) || translate_memory(instr)) return;
  throw Unsupported{std::string(op_info(instr.op).text)};
}

size_t Compiler::run(JitCode& code) {
  code_ = &code;
  const uint32_t defined = func_.index - module_.num_imported_funcs();
  const FunctionBody& body = module_.bodies[defined];
  type_ = &module_.func_type(func_.index);
  if (!validator_.begin_function(func_.index, body)) throw Unsupported{"invalid function"};
  // Wasm exceptions unwind only through interpreter frames so far: a module that declares or
  // imports tags (and so may throw or catch) runs in the interpreter.
  if (module_.num_tags() != 0) throw Unsupported{"exception handling (the module has tags)"};
  for (ValType t : type_->params) local_types_.push_back(t);
  num_params_ = static_cast<uint32_t>(type_->params.size());
  uint64_t declared = 0;
  for (const LocalDecl& decl : body.locals) declared += decl.count;
  if (declared > kMaxCells) throw Unsupported{"too many locals"};
  for (const LocalDecl& decl : body.locals) {
    for (uint32_t i = 0; i < decl.count; ++i) local_types_.push_back(decl.type);
  }
  num_locals_ = static_cast<uint32_t>(declared);
  for (ValType t : local_types_)
    if (t.kind == ValKind::V128) throw Unsupported{"v128 values"};
  for (ValType t : type_->results)
    if (t.kind == ValKind::V128) throw Unsupported{"v128 values"};

  // Prologue. rax = this function, r14 = the caller's VmContext.
  a_.push(rbp);
  a_.mov(rbp, rsp);
  a_.push(r14);
  a_.push(rax);
  a_.mov(r14, qword[rax + tier_context_offset()]);
  a_.mov(rcx, rsp);
  a_.db(0x48);  // sub rcx, imm32: the frame and the largest outgoing area (patched)
  a_.db(0x81);
  a_.db(0xe9);
  a_.dd(0);
  const size_t check_at = a_.getSize() - 4;
  a_.cmp(rcx, qword[r14 + offsetof(VmContext, stack_limit)]);
  a_.jb(stack_overflow_, CodeGenerator::T_NEAR);
  a_.mov(rcx, qword[r14 + offsetof(VmContext, thread)]);
  a_.mov(rdx, qword[rcx + offsetof(JitThread, depth)]);
  a_.add(rdx, 1);
  a_.mov(qword[rcx + offsetof(JitThread, depth)], rdx);
  a_.cmp(rdx, qword[rcx + offsetof(JitThread, max_depth)]);
  a_.ja(stack_overflow_, CodeGenerator::T_NEAR);
  a_.db(0x48);  // sub rsp, imm32: the frame (patched)
  a_.db(0x81);
  a_.db(0xec);
  a_.dd(0);
  const size_t frame_at = a_.getSize() - 4;
  a_.mov(r15, qword[r14 + offsetof(VmContext, mem0_base)]);
  if (num_locals_ > 0) {
    a_.xor_(eax, eax);
    if (num_locals_ <= 16) {
      for (uint32_t k = 0; k < num_locals_; ++k) a_.mov(local(num_params_ + k), rax);
    } else {
      a_.lea(rdi, local(num_params_ + num_locals_ - 1));
      a_.mov(ecx, num_locals_);
      a_.rep();
      a_.stosq();
    }
  }

  Block function;
  function.op = Opcode::Block;
  function.results.assign(type_->results.begin(), type_->results.end());
  function.end = new_label();
  blocks_.push_back(std::move(function));
  emit_interruption_checks(static_cast<uint32_t>(body.code.begin));

  InstrReader in(module_.slice(body.code), body.code.begin, env_.features);
  Instr instr;
  while (!in.at_end()) {
    if (!in.next(instr)) throw Unsupported{"malformed function"};
    if (!validator_.step(instr, in)) throw Unsupported{"invalid function"};
    current_offset_ = static_cast<uint32_t>(instr.offset);
    translate(instr, in);
    if (num_locals_ + max_height_ > kMaxCells) throw Unsupported{"frame too large"};
  }
  if (!validator_.finish(in.offset()) || !blocks_.empty()) throw Unsupported{"invalid function"};

  // Out-of-line paths.
  for (const TrapStub& s : trap_stubs_) {
    a_.L(*s.label);
    if (s.kind_in_edx)
      a_.mov(edi, edx);
    else
      a_.mov(edi, static_cast<uint32_t>(s.kind));
    a_.mov(esi, s.wasm_offset);
    a_.mov(rax, reinterpret_cast<uint64_t>(env_.trap_entry));
    a_.jmp(rax);
  }
  // Stack exhaustion is reported at the caller's call site, as the interpreter does.
  a_.L(stack_overflow_);
  a_.mov(edi, static_cast<uint32_t>(TrapKind::CallStackExhausted));
  a_.mov(rsi, qword[rbp + 8]);
  a_.mov(rdx, qword[rbp]);
  a_.mov(rax, reinterpret_cast<uint64_t>(env_.call_site_trap_entry));
  a_.jmp(rax);

  const size_t frame = (8 * (num_locals_ + max_height_) + 15) / 16 * 16;
  a_.rewrite(frame_at, frame, 4);
  a_.rewrite(check_at, frame + max_out_bytes_ + 64, 4);
  std::sort(code.call_sites.begin(), code.call_sites.end(),
            [](const CodeSite& x, const CodeSite& y) { return x.pc < y.pc; });
  std::sort(code.fault_sites.begin(), code.fault_sites.end(),
            [](const CodeSite& x, const CodeSite& y) { return x.pc < y.pc; });
  return a_.getSize();
}

}  // namespace detail

CompileOutcome compile_function(FunctionInst& func, const CompileEnv& env) {
  CompileOutcome out;
  const Module& module = func.instance->module();
  const FunctionBody& body = module.bodies[func.index - module.num_imported_funcs()];
  out.body_bytes = body.code.end - body.code.begin;
  size_t capacity = 4096 + 48 * out.body_bytes;
  for (int attempt = 0; attempt < 4; ++attempt, capacity *= 4) {
    uint8_t* buffer = env.code.begin_write(capacity);
    if (!buffer) {
      out.reason = "out of JIT code memory";
      return out;
    }
    auto code = std::make_unique<JitCode>();
    code->func = &func;
    code->begin = buffer;
    size_t used = 0;
    try {
      detail::Compiler compiler(func, env, buffer, capacity);
      used = compiler.run(*code);
    } catch (const detail::Unsupported& u) {
      env.code.finish_write(0);
      out.reason = u.reason;
      return out;
    } catch (const Xbyak::Error& e) {
      env.code.finish_write(0);
      if (static_cast<int>(e) == Xbyak::ERR_CODE_IS_TOO_BIG) continue;
      out.reason = std::string("assembler: ") + e.what();
      return out;
    }
    if (!env.code.finish_write(used)) {
      out.reason = "cannot make JIT code executable";
      return out;
    }
    code->size = static_cast<uint32_t>(used);
    out.entry = buffer;
    out.code_bytes = used;
    env.map.add(std::move(code));
    return out;
  }
  out.reason = "function too large for the JIT";
  return out;
}

}  // namespace loom::jit
