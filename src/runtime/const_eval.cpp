#include "runtime/const_eval.hpp"

#include <cstring>
#include <vector>

#include "binary/instr_reader.hpp"

namespace loom {

Value evaluate_const_expr(const Instance& instance, const ConstExpr& expr) {
  const Module& module = instance.module();
  // Constant expressions may use every feature the module was validated with.
  static const Features kAll = Features::all();
  InstrReader in(module.slice(expr.range), expr.range.begin, kAll);
  std::vector<Value> stack;
  Instr instr;
  while (!in.at_end() && in.next(instr)) {
    Value v = default_value();
    switch (instr.op) {
      case Opcode::I32Const:
        v.i32 = instr.i32;
        stack.push_back(v);
        break;
      case Opcode::I64Const:
        v.i64 = instr.i64;
        stack.push_back(v);
        break;
      case Opcode::F32Const:
        v.u32 = instr.f32_bits;
        stack.push_back(v);
        break;
      case Opcode::F64Const:
        v.u64 = instr.f64_bits;
        stack.push_back(v);
        break;
      case Opcode::V128Const:
        std::memcpy(v.v128.bytes, instr.v128.data(), 16);
        stack.push_back(v);
        break;
      case Opcode::RefNull:
        v.ref = nullptr;
        stack.push_back(v);
        break;
      case Opcode::RefFunc:
        v.ref = instance.funcs[instr.index];
        stack.push_back(v);
        break;
      case Opcode::GlobalGet:
        stack.push_back(instance.globals[instr.index]->value);
        break;
      case Opcode::I32Add:
      case Opcode::I32Sub:
      case Opcode::I32Mul:
      case Opcode::I64Add:
      case Opcode::I64Sub:
      case Opcode::I64Mul: {
        Value b = stack.back();
        stack.pop_back();
        Value& a = stack.back();
        // Unsigned arithmetic: wrap-around without undefined behaviour.
        switch (instr.op) {
          case Opcode::I32Add:
            a.u32 = a.u32 + b.u32;
            break;
          case Opcode::I32Sub:
            a.u32 = a.u32 - b.u32;
            break;
          case Opcode::I32Mul:
            a.u32 = a.u32 * b.u32;
            break;
          case Opcode::I64Add:
            a.u64 = a.u64 + b.u64;
            break;
          case Opcode::I64Sub:
            a.u64 = a.u64 - b.u64;
            break;
          default:
            a.u64 = a.u64 * b.u64;
            break;
        }
        break;
      }
      default:
        break;  // End
    }
  }
  return stack.empty() ? default_value() : stack.back();
}

}  // namespace loom
