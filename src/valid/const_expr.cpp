// Constant expressions: global initializers, segment offsets and element items.
#include <string>

#include "valid/func_validator.hpp"

namespace loom {

bool ConstExprValidator::fail(size_t offset, std::string message) {
  error_ = Error{};
  error_.message = std::move(message);
  error_.offset = offset;
  error_.kind = ErrorKind::Invalid;
  return false;
}

bool ConstExprValidator::validate(const ConstExpr& expr, ValType expected, size_t visible_globals) {
  const ByteRange range = expr.range;
  if (range.begin > range.end || range.end > module_.bytes.size()) {
    return fail(range.begin, "constant expression out of range");
  }
  stack_.clear();
  InstrReader in(module_.slice(range), range.begin, features_);
  Instr instr;
  bool ended = false;
  size_t end_offset = range.begin;
  while (!in.at_end()) {
    if (!in.next(instr)) {
      error_ = in.error();
      error_.kind = ErrorKind::Malformed;
      return false;
    }
    if (ended) return fail(instr.offset, "constant expression required");
    switch (instr.op) {
      case Opcode::I32Const:
        stack_.push_back(ValKind::I32);
        break;
      case Opcode::I64Const:
        stack_.push_back(ValKind::I64);
        break;
      case Opcode::F32Const:
        stack_.push_back(ValKind::F32);
        break;
      case Opcode::F64Const:
        stack_.push_back(ValKind::F64);
        break;
      case Opcode::V128Const:
        stack_.push_back(ValKind::V128);
        break;
      case Opcode::RefNull:
        if (instr.heap.is_index() && instr.heap.value >= module_.types.size()) {
          return fail(instr.offset, "unknown type " + std::to_string(instr.heap.value));
        }
        stack_.push_back(ValType::ref(instr.heap, true));
        break;
      case Opcode::RefFunc:
        // Outside bodies ref.func declares its function (C.refs), so only the index is checked.
        if (instr.index >= module_.num_funcs()) {
          return fail(instr.offset, "unknown function " + std::to_string(instr.index));
        }
        if (features_.has(Feature::FunctionReferences)) {
          const uint32_t type = module_.func_type_index(instr.index);
          stack_.push_back(ValType::ref(HeapType::index(type), false));
        } else {
          stack_.push_back(ValType::funcref());
        }
        break;
      case Opcode::GlobalGet: {
        if (instr.index >= visible_globals) {
          return fail(instr.offset, "unknown global " + std::to_string(instr.index));
        }
        const GlobalType& global = module_.global_type(instr.index);
        // A mutable global's value is not known at instantiation time.
        if (global.is_mutable) return fail(instr.offset, "constant expression required");
        stack_.push_back(global.type);
        break;
      }
      case Opcode::I32Add:
      case Opcode::I32Sub:
      case Opcode::I32Mul:
      case Opcode::I64Add:
      case Opcode::I64Sub:
      case Opcode::I64Mul: {
        if (!features_.has(Feature::ExtendedConst)) {
          return fail(instr.offset, "constant expression required");
        }
        const ValType operand = op_info(instr.op).param1;
        for (int i = 0; i < 2; ++i) {
          if (stack_.empty()) {
            return fail(instr.offset, "type mismatch: expected " + to_string(operand) +
                                          ", got nothing (" + std::string(op_text(instr.op)) + ")");
          }
          if (!types_.matches(stack_.back(), operand)) {
            return fail(instr.offset, "type mismatch: expected " + to_string(operand) + ", got " +
                                          to_string(stack_.back()) + " (" +
                                          std::string(op_text(instr.op)) + ")");
          }
          stack_.pop_back();
        }
        stack_.push_back(operand);
        break;
      }
      case Opcode::End:
        ended = true;
        end_offset = instr.offset;
        break;
      default:
        return fail(instr.offset, "constant expression required");
    }
  }
  if (!ended) {
    fail(in.offset(), "unexpected end of section or function");
    error_.kind = ErrorKind::Malformed;
    return false;
  }
  if (stack_.size() != 1 || !types_.matches(stack_[0], expected)) {
    std::string got = "[";
    for (size_t i = 0; i < stack_.size(); ++i) got += (i ? " " : "") + to_string(stack_[i]);
    return fail(end_offset, "type mismatch: constant expression must produce [" +
                                to_string(expected) + "], got " + got + "]");
  }
  return true;
}

}  // namespace loom
