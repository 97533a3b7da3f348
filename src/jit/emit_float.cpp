// Float instructions. Floats live in general registers as their bits; arithmetic moves them
// through xmm0/xmm1 with the operands in wasm order (a op b), so NaN results are those of the
// interpreter's C++ (`a + b` compiles to the same SSE instruction). min/max follow
// numeric::fmin/fmax exactly; sign operations are bit operations; conversions whose
// semantics need care (trapping or saturating truncation, u64 -> float) call numeric.hpp.
#include <cstring>

#include "interp/numeric.hpp"
#include "jit/compiler_core.hpp"

namespace loom::jit::detail {

using namespace Xbyak;
using namespace Xbyak::util;

namespace {

// A helper's result: the value, and a TrapKind (kNoTrap when none).
struct HelperResult {
  uint64_t value;
  uint64_t trap;
};
constexpr uint64_t kNoTrap = 0xff;

template <typename F>
F from_bits(uint64_t bits) {
  F f;
  if constexpr (sizeof(F) == 4) {
    const uint32_t b = static_cast<uint32_t>(bits);
    std::memcpy(&f, &b, 4);
  } else {
    std::memcpy(&f, &bits, 8);
  }
  return f;
}
template <typename F>
uint64_t to_bits(F f) {
  if constexpr (sizeof(F) == 4) {
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return b;
  } else {
    uint64_t b;
    std::memcpy(&b, &f, 8);
    return b;
  }
}

template <typename I, typename F>
HelperResult trunc_helper(uint64_t bits) {
  I out{};
  if (auto trap = numeric::trunc<I>(from_bits<F>(bits), out)) {
    return {0, static_cast<uint64_t>(*trap)};
  }
  using U = std::make_unsigned_t<I>;
  return {static_cast<uint64_t>(static_cast<U>(out)), kNoTrap};
}
template <typename I, typename F>
uint64_t trunc_sat_helper(uint64_t bits) {
  using U = std::make_unsigned_t<I>;
  return static_cast<uint64_t>(static_cast<U>(numeric::trunc_sat<I>(from_bits<F>(bits))));
}
template <typename F>
uint64_t convert_u64_helper(uint64_t bits) {
  return to_bits(static_cast<F>(bits));
}

bool is_f64(Opcode op) {
  const std::string_view text = op_info(op).text;
  return text.starts_with("f64.");
}

}  // namespace

bool Compiler::translate_float(const Instr& instr) {
  switch (instr.op) {
    case Opcode::F32Const:
      push_const(ValKind::F32, instr.f32_bits);
      return true;
    case Opcode::F64Const:
      push_const(ValKind::F64, instr.f64_bits);
      return true;
    case Opcode::F32Add:
    case Opcode::F32Sub:
    case Opcode::F32Mul:
    case Opcode::F32Div:
    case Opcode::F32Min:
    case Opcode::F32Max:
    case Opcode::F32Copysign:
    case Opcode::F64Add:
    case Opcode::F64Sub:
    case Opcode::F64Mul:
    case Opcode::F64Div:
    case Opcode::F64Min:
    case Opcode::F64Max:
    case Opcode::F64Copysign:
      float_binop(instr);
      return true;
    case Opcode::F32Abs:
    case Opcode::F32Neg:
    case Opcode::F32Sqrt:
    case Opcode::F32Ceil:
    case Opcode::F32Floor:
    case Opcode::F32Trunc:
    case Opcode::F32Nearest:
    case Opcode::F64Abs:
    case Opcode::F64Neg:
    case Opcode::F64Sqrt:
    case Opcode::F64Ceil:
    case Opcode::F64Floor:
    case Opcode::F64Trunc:
    case Opcode::F64Nearest:
      float_unop(instr);
      return true;
    case Opcode::F32Eq:
    case Opcode::F32Ne:
    case Opcode::F32Lt:
    case Opcode::F32Gt:
    case Opcode::F32Le:
    case Opcode::F32Ge:
    case Opcode::F64Eq:
    case Opcode::F64Ne:
    case Opcode::F64Lt:
    case Opcode::F64Gt:
    case Opcode::F64Le:
    case Opcode::F64Ge:
      float_compare(instr);
      return true;
    case Opcode::I32ReinterpretF32:
      stack_.back().type = ValKind::I32;
      return true;
    case Opcode::I64ReinterpretF64:
      stack_.back().type = ValKind::I64;
      return true;
    case Opcode::F32ReinterpretI32:
      stack_.back().type = ValKind::F32;
      return true;
    case Opcode::F64ReinterpretI64:
      stack_.back().type = ValKind::F64;
      return true;
    case Opcode::I32TruncF32S:
    case Opcode::I32TruncF32U:
    case Opcode::I32TruncF64S:
    case Opcode::I32TruncF64U:
    case Opcode::I64TruncF32S:
    case Opcode::I64TruncF32U:
    case Opcode::I64TruncF64S:
    case Opcode::I64TruncF64U:
    case Opcode::I32TruncSatF32S:
    case Opcode::I32TruncSatF32U:
    case Opcode::I32TruncSatF64S:
    case Opcode::I32TruncSatF64U:
    case Opcode::I64TruncSatF32S:
    case Opcode::I64TruncSatF32U:
    case Opcode::I64TruncSatF64S:
    case Opcode::I64TruncSatF64U:
    case Opcode::F32ConvertI32S:
    case Opcode::F32ConvertI32U:
    case Opcode::F32ConvertI64S:
    case Opcode::F32ConvertI64U:
    case Opcode::F64ConvertI32S:
    case Opcode::F64ConvertI32U:
    case Opcode::F64ConvertI64S:
    case Opcode::F64ConvertI64U:
    case Opcode::F32DemoteF64:
    case Opcode::F64PromoteF32:
      float_convert(instr);
      return true;
    default:
      return false;
  }
}

void Compiler::float_binop(const Instr& instr) {
  const Opcode op = instr.op;
  const bool d = is_f64(op);
  const ValType type = d ? ValKind::F64 : ValKind::F32;
  Reg64 b = pop_reg();
  Reg64 a = pop_reg();
  auto to_xmm = [&](const Xmm& x, Reg64 r) {
    if (d)
      a_.movq(x, r);
    else
      a_.movd(x, r.cvt32());
  };
  auto from_xmm = [&](Reg64 r, const Xmm& x) {
    if (d)
      a_.movq(r, x);
    else
      a_.movd(r.cvt32(), x);
  };
  switch (op) {
    case Opcode::F32Copysign:
      a_.and_(a.cvt32(), 0x7fffffff);
      a_.and_(b.cvt32(), 0x80000000u);
      a_.or_(a.cvt32(), b.cvt32());
      break;
    case Opcode::F64Copysign:
      a_.btr(a, 63);
      a_.shr(b, 63);
      a_.shl(b, 63);
      a_.or_(a, b);
      break;
    case Opcode::F32Min:
    case Opcode::F32Max:
    case Opcode::F64Min:
    case Opcode::F64Max: {
      const bool is_min = op == Opcode::F32Min || op == Opcode::F64Min;
      Label* nan = new_label();
      Label* unequal = new_label();
      Label* done = new_label();
      to_xmm(xmm0, a);
      to_xmm(xmm1, b);
      if (d)
        a_.ucomisd(xmm0, xmm1);
      else
        a_.ucomiss(xmm0, xmm1);
      a_.jp(*nan, CodeGenerator::T_NEAR);
      a_.jne(*unequal, CodeGenerator::T_NEAR);
      // Equal: only the signs of zeros can differ; min prefers -0, max +0.
      if (is_min)
        a_.or_(a, b);
      else
        a_.and_(a, b);
      a_.jmp(*done, CodeGenerator::T_NEAR);
      a_.L(*unequal);
      if (is_min)
        a_.jb(*done, CodeGenerator::T_NEAR);  // a < b: keep a
      else
        a_.ja(*done, CodeGenerator::T_NEAR);
      a_.mov(a, b);
      a_.jmp(*done, CodeGenerator::T_NEAR);
      a_.L(*nan);  // the first NaN operand, quieted: numeric::propagate_nan
      if (d)
        a_.addsd(xmm0, xmm1);
      else
        a_.addss(xmm0, xmm1);
      from_xmm(a, xmm0);
      a_.L(*done);
      break;
    }
    default:
      to_xmm(xmm0, a);
      to_xmm(xmm1, b);
      switch (op) {
        case Opcode::F32Add:
          a_.addss(xmm0, xmm1);
          break;
        case Opcode::F32Sub:
          a_.subss(xmm0, xmm1);
          break;
        case Opcode::F32Mul:
          a_.mulss(xmm0, xmm1);
          break;
        case Opcode::F32Div:
          a_.divss(xmm0, xmm1);
          break;
        case Opcode::F64Add:
          a_.addsd(xmm0, xmm1);
          break;
        case Opcode::F64Sub:
          a_.subsd(xmm0, xmm1);
          break;
        case Opcode::F64Mul:
          a_.mulsd(xmm0, xmm1);
          break;
        case Opcode::F64Div:
          a_.divsd(xmm0, xmm1);
          break;
        default:
          break;
      }
      from_xmm(a, xmm0);
  }
  release(b);
  push_reg(type, a);
}

void Compiler::float_unop(const Instr& instr) {
  const Opcode op = instr.op;
  const bool d = is_f64(op);
  const ValType type = d ? ValKind::F64 : ValKind::F32;
  Reg64 a = pop_reg();
  switch (op) {
    case Opcode::F32Abs:
      a_.and_(a.cvt32(), 0x7fffffff);
      break;
    case Opcode::F32Neg:
      a_.xor_(a.cvt32(), 0x80000000u);
      break;
    case Opcode::F64Abs:
      a_.btr(a, 63);
      break;
    case Opcode::F64Neg:
      a_.btc(a, 63);
      break;
    default: {
      if (d)
        a_.movq(xmm0, a);
      else
        a_.movd(xmm0, a.cvt32());
      // roundss/sd immediates: 1 floor, 2 ceil, 3 trunc; 8 suppresses the inexact exception.
      switch (op) {
        case Opcode::F32Sqrt:
          a_.sqrtss(xmm0, xmm0);
          break;
        case Opcode::F64Sqrt:
          a_.sqrtsd(xmm0, xmm0);
          break;
        case Opcode::F32Ceil:
          a_.roundss(xmm0, xmm0, 0x0a);
          break;
        case Opcode::F32Floor:
          a_.roundss(xmm0, xmm0, 0x09);
          break;
        case Opcode::F32Trunc:
          a_.roundss(xmm0, xmm0, 0x0b);
          break;
        case Opcode::F64Ceil:
          a_.roundsd(xmm0, xmm0, 0x0a);
          break;
        case Opcode::F64Floor:
          a_.roundsd(xmm0, xmm0, 0x09);
          break;
        case Opcode::F64Trunc:
          a_.roundsd(xmm0, xmm0, 0x0b);
          break;
        // 0: to nearest, ties to even (what nearbyint does in the default rounding mode).
        case Opcode::F32Nearest:
          a_.roundss(xmm0, xmm0, 0x08);
          break;
        case Opcode::F64Nearest:
          a_.roundsd(xmm0, xmm0, 0x08);
          break;
        default:
          break;
      }
      if (d)
        a_.movq(a, xmm0);
      else
        a_.movd(a.cvt32(), xmm0);
    }
  }
  push_reg(type, a);
}

void Compiler::float_compare(const Instr& instr) {
  const Opcode op = instr.op;
  const bool d = is_f64(op);
  Reg64 b = pop_reg();
  Reg64 a = pop_reg();
  auto to_xmm = [&](const Xmm& x, Reg64 r) {
    if (d)
      a_.movq(x, r);
    else
      a_.movd(x, r.cvt32());
  };
  auto compare = [&](const Xmm& x, const Xmm& y) {
    if (d)
      a_.ucomisd(x, y);
    else
      a_.ucomiss(x, y);
  };
  to_xmm(xmm0, a);
  to_xmm(xmm1, b);
  // Unordered sets ZF, PF and CF: `a`/`ae` after swapping the operands are false for NaN.
  switch (op) {
    case Opcode::F32Eq:
    case Opcode::F64Eq:
      compare(xmm0, xmm1);
      a_.sete(al);
      a_.setnp(cl);
      a_.and_(al, cl);
      break;
    case Opcode::F32Ne:
    case Opcode::F64Ne:
      compare(xmm0, xmm1);
      a_.setne(al);
      a_.setp(cl);
      a_.or_(al, cl);
      break;
    case Opcode::F32Lt:
    case Opcode::F64Lt:
      compare(xmm1, xmm0);
      a_.seta(al);
      break;
    case Opcode::F32Gt:
    case Opcode::F64Gt:
      compare(xmm0, xmm1);
      a_.seta(al);
      break;
    case Opcode::F32Le:
    case Opcode::F64Le:
      compare(xmm1, xmm0);
      a_.setae(al);
      break;
    case Opcode::F32Ge:
    case Opcode::F64Ge:
      compare(xmm0, xmm1);
      a_.setae(al);
      break;
    default:
      break;
  }
  a_.movzx(a.cvt32(), al);
  release(b);
  push_reg(ValKind::I32, a);
}

void Compiler::float_convert(const Instr& instr) {
  const Opcode op = instr.op;
  const void* helper = nullptr;
  bool traps = false;
  ValType result = ValKind::I32;
  switch (op) {
#define TRUNC_CASE(Name, I, F, R)                                \
  case Opcode::Name:                                             \
    helper = reinterpret_cast<const void*>(&trunc_helper<I, F>); \
    traps = true;                                                \
    result = ValKind::R;                                         \
    break;
#define SAT_CASE(Name, I, F, R)                                      \
  case Opcode::Name:                                                 \
    helper = reinterpret_cast<const void*>(&trunc_sat_helper<I, F>); \
    result = ValKind::R;                                             \
    break;
    TRUNC_CASE(I32TruncF32S, int32_t, float, I32)
    TRUNC_CASE(I32TruncF32U, uint32_t, float, I32)
    TRUNC_CASE(I32TruncF64S, int32_t, double, I32)
    TRUNC_CASE(I32TruncF64U, uint32_t, double, I32)
    TRUNC_CASE(I64TruncF32S, int64_t, float, I64)
    TRUNC_CASE(I64TruncF32U, uint64_t, float, I64)
    TRUNC_CASE(I64TruncF64S, int64_t, double, I64)
    TRUNC_CASE(I64TruncF64U, uint64_t, double, I64)
    SAT_CASE(I32TruncSatF32S, int32_t, float, I32)
    SAT_CASE(I32TruncSatF32U, uint32_t, float, I32)
    SAT_CASE(I32TruncSatF64S, int32_t, double, I32)
    SAT_CASE(I32TruncSatF64U, uint32_t, double, I32)
    SAT_CASE(I64TruncSatF32S, int64_t, float, I64)
    SAT_CASE(I64TruncSatF32U, uint64_t, float, I64)
    SAT_CASE(I64TruncSatF64S, int64_t, double, I64)
    SAT_CASE(I64TruncSatF64U, uint64_t, double, I64)
#undef TRUNC_CASE
#undef SAT_CASE
    case Opcode::F32ConvertI64U:
      helper = reinterpret_cast<const void*>(&convert_u64_helper<float>);
      result = ValKind::F32;
      break;
    case Opcode::F64ConvertI64U:
      helper = reinterpret_cast<const void*>(&convert_u64_helper<double>);
      result = ValKind::F64;
      break;
    default:
      break;
  }
  if (helper) {
    // i32 inputs are zero-extended, f32 bits too: the helper reads the low bits it needs.
    Reg64 a = pop_reg();
    spill_all();
    a_.mov(rdi, a);
    release(a);
    call_helper(helper);
    if (traps) {
      Label* ok = new_label();
      a_.cmp(edx, static_cast<uint32_t>(kNoTrap));
      a_.je(*ok, CodeGenerator::T_NEAR);
      trap_stubs_.push_back({new_label(), TrapKind::Unreachable, current_offset_, true});
      a_.jmp(*trap_stubs_.back().label, CodeGenerator::T_NEAR);
      a_.L(*ok);
    }
    Reg64 r = alloc();
    a_.mov(r, rax);
    push_reg(result, r);
    return;
  }
  Reg64 a = pop_reg();
  a_.xorps(xmm0, xmm0);
  switch (op) {
    case Opcode::F32ConvertI32S:
      a_.cvtsi2ss(xmm0, a.cvt32());
      result = ValKind::F32;
      break;
    case Opcode::F32ConvertI32U:
      a_.cvtsi2ss(xmm0, a);
      result = ValKind::F32;
      break;
    case Opcode::F32ConvertI64S:
      a_.cvtsi2ss(xmm0, a);
      result = ValKind::F32;
      break;
    case Opcode::F64ConvertI32S:
      a_.cvtsi2sd(xmm0, a.cvt32());
      result = ValKind::F64;
      break;
    case Opcode::F64ConvertI32U:
      a_.cvtsi2sd(xmm0, a);
      result = ValKind::F64;
      break;
    case Opcode::F64ConvertI64S:
      a_.cvtsi2sd(xmm0, a);
      result = ValKind::F64;
      break;
    case Opcode::F32DemoteF64:
      a_.movq(xmm1, a);
      a_.cvtsd2ss(xmm0, xmm1);
      result = ValKind::F32;
      break;
    case Opcode::F64PromoteF32:
      a_.movd(xmm1, a.cvt32());
      a_.cvtss2sd(xmm0, xmm1);
      result = ValKind::F64;
      break;
    default:
      break;
  }
  if (result.kind == ValKind::F64)
    a_.movq(a, xmm0);
  else
    a_.movd(a.cvt32(), xmm0);
  push_reg(result, a);
}

}  // namespace loom::jit::detail
