// Integer instructions: constants, arithmetic, comparisons, conversions between integer types.
// Semantics as src/interp/numeric.hpp: masked shift counts, trapping division.
#include <xbyak/xbyak_util.h>

#include "jit/compiler_core.hpp"

namespace loom::jit::detail {

using namespace Xbyak;
using namespace Xbyak::util;

namespace {

bool has_popcnt() {
  static const bool has = Xbyak::util::Cpu().has(Xbyak::util::Cpu::tPOPCNT);
  return has;
}

bool is_wide_op(Opcode op) {
  switch (op) {
    case Opcode::I64Add:
    case Opcode::I64Sub:
    case Opcode::I64Mul:
    case Opcode::I64And:
    case Opcode::I64Or:
    case Opcode::I64Xor:
    case Opcode::I64Shl:
    case Opcode::I64ShrS:
    case Opcode::I64ShrU:
    case Opcode::I64Rotl:
    case Opcode::I64Rotr:
    case Opcode::I64DivS:
    case Opcode::I64DivU:
    case Opcode::I64RemS:
    case Opcode::I64RemU:
    case Opcode::I64Eq:
    case Opcode::I64Ne:
    case Opcode::I64LtS:
    case Opcode::I64LtU:
    case Opcode::I64GtS:
    case Opcode::I64GtU:
    case Opcode::I64LeS:
    case Opcode::I64LeU:
    case Opcode::I64GeS:
    case Opcode::I64GeU:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool Compiler::translate_int(const Instr& instr) {
  switch (instr.op) {
    case Opcode::I32Const:
      push_const(ValKind::I32, static_cast<uint32_t>(instr.i32));
      return true;
    case Opcode::I64Const:
      push_const(ValKind::I64, static_cast<uint64_t>(instr.i64));
      return true;
    case Opcode::I32Add:
    case Opcode::I32Sub:
    case Opcode::I32Mul:
    case Opcode::I32And:
    case Opcode::I32Or:
    case Opcode::I32Xor:
    case Opcode::I32Shl:
    case Opcode::I32ShrS:
    case Opcode::I32ShrU:
    case Opcode::I32Rotl:
    case Opcode::I32Rotr:
    case Opcode::I64Add:
    case Opcode::I64Sub:
    case Opcode::I64Mul:
    case Opcode::I64And:
    case Opcode::I64Or:
    case Opcode::I64Xor:
    case Opcode::I64Shl:
    case Opcode::I64ShrS:
    case Opcode::I64ShrU:
    case Opcode::I64Rotl:
    case Opcode::I64Rotr:
      int_binop(instr);
      return true;
    case Opcode::I32DivS:
    case Opcode::I32DivU:
    case Opcode::I32RemS:
    case Opcode::I32RemU:
    case Opcode::I64DivS:
    case Opcode::I64DivU:
    case Opcode::I64RemS:
    case Opcode::I64RemU:
      int_divrem(instr);
      return true;
    case Opcode::I32Eq:
    case Opcode::I32Ne:
    case Opcode::I32LtS:
    case Opcode::I32LtU:
    case Opcode::I32GtS:
    case Opcode::I32GtU:
    case Opcode::I32LeS:
    case Opcode::I32LeU:
    case Opcode::I32GeS:
    case Opcode::I32GeU:
    case Opcode::I64Eq:
    case Opcode::I64Ne:
    case Opcode::I64LtS:
    case Opcode::I64LtU:
    case Opcode::I64GtS:
    case Opcode::I64GtU:
    case Opcode::I64LeS:
    case Opcode::I64LeU:
    case Opcode::I64GeS:
    case Opcode::I64GeU:
      int_compare(instr);
      return true;
    case Opcode::I32Eqz:
    case Opcode::I64Eqz:
    case Opcode::I32Clz:
    case Opcode::I32Ctz:
    case Opcode::I32Popcnt:
    case Opcode::I64Clz:
    case Opcode::I64Ctz:
    case Opcode::I64Popcnt:
    case Opcode::I32WrapI64:
    case Opcode::I64ExtendI32S:
    case Opcode::I64ExtendI32U:
    case Opcode::I32Extend8S:
    case Opcode::I32Extend16S:
    case Opcode::I64Extend8S:
    case Opcode::I64Extend16S:
    case Opcode::I64Extend32S:
      int_unop(instr);
      return true;
    default:
      return false;
  }
}

void Compiler::int_binop(const Instr& instr) {
  const Opcode op = instr.op;
  const bool wide = is_wide_op(op);
  const ValType type = wide ? ValKind::I64 : ValKind::I32;
  const Entry& top = stack_.back();
  if (top.loc == Loc::Const && fits_imm32(top, wide)) {
    const uint64_t bits = pop_entry().bits;
    Reg64 a64 = pop_reg();
    const Reg a = wide ? static_cast<const Reg&>(a64) : a64.cvt32();
    const uint32_t imm = static_cast<uint32_t>(bits);
    const uint8_t count = static_cast<uint8_t>(bits & (wide ? 63 : 31));
    switch (op) {
      case Opcode::I32Add:
      case Opcode::I64Add:
        a_.add(a, imm);
        break;
      case Opcode::I32Sub:
      case Opcode::I64Sub:
        a_.sub(a, imm);
        break;
      case Opcode::I32Mul:
      case Opcode::I64Mul:
        a_.imul(a, a, static_cast<int>(imm));
        break;
      case Opcode::I32And:
      case Opcode::I64And:
        a_.and_(a, imm);
        break;
      case Opcode::I32Or:
      case Opcode::I64Or:
        a_.or_(a, imm);
        break;
      case Opcode::I32Xor:
      case Opcode::I64Xor:
        a_.xor_(a, imm);
        break;
      case Opcode::I32Shl:
      case Opcode::I64Shl:
        a_.shl(a, count);
        break;
      case Opcode::I32ShrS:
      case Opcode::I64ShrS:
        a_.sar(a, count);
        break;
      case Opcode::I32ShrU:
      case Opcode::I64ShrU:
        a_.shr(a, count);
        break;
      case Opcode::I32Rotl:
      case Opcode::I64Rotl:
        a_.rol(a, count);
        break;
      case Opcode::I32Rotr:
      case Opcode::I64Rotr:
        a_.ror(a, count);
        break;
      default:
        break;
    }
    push_reg(type, a64);
    return;
  }
  Reg64 b64 = pop_reg();
  Reg64 a64 = pop_reg();
  const Reg a = wide ? static_cast<const Reg&>(a64) : a64.cvt32();
  const Reg b = wide ? static_cast<const Reg&>(b64) : b64.cvt32();
  switch (op) {
    case Opcode::I32Add:
    case Opcode::I64Add:
      a_.add(a, b);
      break;
    case Opcode::I32Sub:
    case Opcode::I64Sub:
      a_.sub(a, b);
      break;
    case Opcode::I32Mul:
    case Opcode::I64Mul:
      a_.imul(a, b);
      break;
    case Opcode::I32And:
    case Opcode::I64And:
      a_.and_(a, b);
      break;
    case Opcode::I32Or:
    case Opcode::I64Or:
      a_.or_(a, b);
      break;
    case Opcode::I32Xor:
    case Opcode::I64Xor:
      a_.xor_(a, b);
      break;
    default:
      // Shifts and rotates: the count in cl (the hardware masks it like wasm).
      a_.mov(ecx, b64.cvt32());
      switch (op) {
        case Opcode::I32Shl:
        case Opcode::I64Shl:
          a_.shl(a, cl);
          break;
        case Opcode::I32ShrS:
        case Opcode::I64ShrS:
          a_.sar(a, cl);
          break;
        case Opcode::I32ShrU:
        case Opcode::I64ShrU:
          a_.shr(a, cl);
          break;
        case Opcode::I32Rotl:
        case Opcode::I64Rotl:
          a_.rol(a, cl);
          break;
        case Opcode::I32Rotr:
        case Opcode::I64Rotr:
          a_.ror(a, cl);
          break;
        default:
          break;
      }
  }
  release(b64);
  push_reg(type, a64);
}

void Compiler::int_divrem(const Instr& instr) {
  const Opcode op = instr.op;
  const bool wide = is_wide_op(op);
  const ValType type = wide ? ValKind::I64 : ValKind::I32;
  Reg64 b64 = pop_reg();
  Reg64 a64 = pop_reg();
  const Reg a = wide ? static_cast<const Reg&>(a64) : a64.cvt32();
  const Reg b = wide ? static_cast<const Reg&>(b64) : b64.cvt32();
  const Reg acc = wide ? static_cast<const Reg&>(rax) : eax;
  const Reg rem = wide ? static_cast<const Reg&>(rdx) : edx;
  a_.test(b, b);
  a_.jz(*trap_label(TrapKind::IntegerDivideByZero, current_offset_), CodeGenerator::T_NEAR);
  Label* done = new_label();
  const bool is_signed = op == Opcode::I32DivS || op == Opcode::I64DivS || op == Opcode::I32RemS ||
                         op == Opcode::I64RemS;
  const bool is_rem = op == Opcode::I32RemS || op == Opcode::I64RemS || op == Opcode::I32RemU ||
                      op == Opcode::I64RemU;
  if (is_signed) {
    Label* normal = new_label();
    a_.cmp(b, -1);
    a_.jne(*normal, CodeGenerator::T_NEAR);
    if (is_rem) {
      a_.xor_(a64.cvt32(), a64.cvt32());  // INT_MIN % -1 (and any x % -1) is 0
      a_.jmp(*done, CodeGenerator::T_NEAR);
    } else {
      if (wide) {
        a_.mov(rax, uint64_t{1} << 63);
        a_.cmp(a, rax);
      } else {
        a_.cmp(a, 0x80000000u);
      }
      a_.je(*trap_label(TrapKind::IntegerOverflow, current_offset_), CodeGenerator::T_NEAR);
    }
    a_.L(*normal);
    a_.mov(acc, a);
    if (wide)
      a_.cqo();
    else
      a_.cdq();
    a_.idiv(b);
  } else {
    a_.mov(acc, a);
    a_.xor_(edx, edx);
    a_.div(b);
  }
  a_.mov(a, is_rem ? rem : acc);
  a_.L(*done);
  release(b64);
  push_reg(type, a64);
}

void Compiler::int_compare(const Instr& instr) {
  const Opcode op = instr.op;
  const bool wide = is_wide_op(op);
  const Entry& top = stack_.back();
  Reg64 a64;
  if (top.loc == Loc::Const && fits_imm32(top, wide)) {
    const uint32_t imm = static_cast<uint32_t>(pop_entry().bits);
    a64 = pop_reg();
    a_.cmp(wide ? static_cast<const Reg&>(a64) : a64.cvt32(), imm);
  } else {
    Reg64 b64 = pop_reg();
    a64 = pop_reg();
    if (wide)
      a_.cmp(a64, b64);
    else
      a_.cmp(a64.cvt32(), b64.cvt32());
    release(b64);
  }
  switch (op) {
    case Opcode::I32Eq:
    case Opcode::I64Eq:
      a_.sete(al);
      break;
    case Opcode::I32Ne:
    case Opcode::I64Ne:
      a_.setne(al);
      break;
    case Opcode::I32LtS:
    case Opcode::I64LtS:
      a_.setl(al);
      break;
    case Opcode::I32LtU:
    case Opcode::I64LtU:
      a_.setb(al);
      break;
    case Opcode::I32GtS:
    case Opcode::I64GtS:
      a_.setg(al);
      break;
    case Opcode::I32GtU:
    case Opcode::I64GtU:
      a_.seta(al);
      break;
    case Opcode::I32LeS:
    case Opcode::I64LeS:
      a_.setle(al);
      break;
    case Opcode::I32LeU:
    case Opcode::I64LeU:
      a_.setbe(al);
      break;
    case Opcode::I32GeS:
    case Opcode::I64GeS:
      a_.setge(al);
      break;
    case Opcode::I32GeU:
    case Opcode::I64GeU:
      a_.setae(al);
      break;
    default:
      break;
  }
  a_.movzx(a64.cvt32(), al);
  push_reg(ValKind::I32, a64);
}

void Compiler::int_unop(const Instr& instr) {
  Reg64 a = pop_reg();
  const Reg32 a32 = a.cvt32();
  ValType result = ValKind::I32;
  switch (instr.op) {
    case Opcode::I32Eqz:
      a_.test(a32, a32);
      a_.sete(al);
      a_.movzx(a32, al);
      break;
    case Opcode::I64Eqz:
      a_.test(a, a);
      a_.sete(al);
      a_.movzx(a32, al);
      break;
    case Opcode::I32Clz:  // 31 - bsr, or 32 for zero
      a_.bsr(eax, a32);
      a_.mov(ecx, 63);
      a_.cmovz(eax, ecx);
      a_.xor_(eax, 31);
      a_.mov(a32, eax);
      break;
    case Opcode::I64Clz:
      a_.bsr(rax, a);
      a_.mov(ecx, 127);
      a_.cmovz(eax, ecx);
      a_.xor_(eax, 63);
      a_.mov(a32, eax);
      result = ValKind::I64;
      break;
    case Opcode::I32Ctz:
      a_.bsf(eax, a32);
      a_.mov(ecx, 32);
      a_.cmovz(eax, ecx);
      a_.mov(a32, eax);
      break;
    case Opcode::I64Ctz:
      a_.bsf(rax, a);
      a_.mov(ecx, 64);
      a_.cmovz(eax, ecx);
      a_.mov(a32, eax);
      result = ValKind::I64;
      break;
    case Opcode::I32Popcnt:
      if (!has_popcnt()) throw Unsupported{"popcnt"};
      a_.popcnt(a32, a32);
      break;
    case Opcode::I64Popcnt:
      if (!has_popcnt()) throw Unsupported{"popcnt"};
      a_.popcnt(a, a);
      result = ValKind::I64;
      break;
    case Opcode::I32WrapI64:
      a_.mov(a32, a32);
      break;
    case Opcode::I64ExtendI32S:
      a_.movsxd(a, a32);
      result = ValKind::I64;
      break;
    case Opcode::I64ExtendI32U:
      result = ValKind::I64;  // already zero-extended
      break;
    case Opcode::I32Extend8S:
      a_.movsx(a32, a.cvt8());
      break;
    case Opcode::I32Extend16S:
      a_.movsx(a32, a.cvt16());
      break;
    case Opcode::I64Extend8S:
      a_.movsx(a, a.cvt8());
      result = ValKind::I64;
      break;
    case Opcode::I64Extend16S:
      a_.movsx(a, a.cvt16());
      result = ValKind::I64;
      break;
    case Opcode::I64Extend32S:
      a_.movsxd(a, a32);
      result = ValKind::I64;
      break;
    default:
      break;
  }
  push_reg(result, a);
}

}  // namespace loom::jit::detail
