// Typed function references (WebAssembly 3.0): call_ref, return_call_ref, ref.as_non_null,
// br_on_null, br_on_non_null, and the initialisation of non-defaultable locals.
#include <string>

#include "valid/func_validator.hpp"

namespace loom {

bool FuncValidator::begin_local_inits(const FunctionBody& body) {
  local_unset_.clear();
  local_inits_.clear();
  bool any = false;
  for (const LocalDecl& decl : body.locals)
    any |= decl.count && decl.type.is_ref() && !decl.type.nullable;
  if (!any) return true;
  local_unset_.assign(params_.size() + declared_local_count_, 0);
  size_t index = params_.size();
  for (const LocalDecl& decl : body.locals) {
    const bool unset = decl.type.is_ref() && !decl.type.nullable;
    for (uint32_t i = 0; i < decl.count; ++i) local_unset_[index++] = unset;
  }
  return true;
}

// Pops a reference (or the polymorphic bottom, returned as kUnknownType).
bool FuncValidator::pop_ref(ValType& out) {
  if (!pop_any(out)) return false;
  if (is_unknown(out) || out.is_ref()) return true;
  return fail("type mismatch: expected a reference, got " + to_string(out) + " (" +
              std::string(op_text(current_op_)) + ")");
}

bool FuncValidator::check_tail_call_results(const FuncType& callee) {
  const std::span<const ValType> own = module_.types[type_index_].results;
  bool same = callee.results.size() == own.size();
  for (size_t i = 0; same && i < own.size(); ++i) same = matches(callee.results[i], own[i]);
  if (same) return true;
  return fail("type mismatch: " + std::string(op_text(current_op_)) + " callee returns " +
              to_string(callee) + ", caller returns " +
              to_string(FuncType{{}, module_.types[type_index_].results}));
}

bool FuncValidator::step_typed_ref(const Instr& instr) {
  switch (instr.op) {
    case Opcode::CallRef:
    case Opcode::ReturnCallRef: {
      if (!check_type_index(instr.index)) return false;
      if (!module_.is_func_type(instr.index)) {
        return fail("type mismatch: " + std::string(op_text(instr.op)) +
                    " needs a function type, " + std::to_string(instr.index) + " is not one");
      }
      if (!pop_expect(ValType::ref(HeapType::index(instr.index), true))) return false;
      const FuncType& callee = module_.types[instr.index];
      if (!pop_all(callee.params)) return false;
      if (instr.op == Opcode::CallRef) {
        push_all(callee.results);
        return true;
      }
      if (!check_tail_call_results(callee)) return false;
      set_unreachable();
      return true;
    }
    case Opcode::RefAsNonNull: {
      ValType ref;
      if (!pop_ref(ref)) return false;
      if (is_unknown(ref)) {
        push(kUnknownType);
      } else {
        push(ValType::ref(ref.heap, false));
      }
      return true;
    }
    case Opcode::BrOnNull: {
      if (instr.index >= ctrls_.size()) return fail("unknown label");
      ValType ref;
      if (!pop_ref(ref)) return false;
      const std::span<const ValType> types = label_types(control(instr.index));
      if (!pop_all(types)) return false;
      push_all(types);
      push(is_unknown(ref) ? kUnknownType : ValType::ref(ref.heap, false));
      return true;
    }
    case Opcode::BrOnNonNull: {
      if (instr.index >= ctrls_.size()) return fail("unknown label");
      const std::span<const ValType> types = label_types(control(instr.index));
      if (types.empty() || !types.back().is_ref()) {
        return fail("type mismatch: br_on_non_null needs a label whose last value is a reference");
      }
      ValType ref;
      if (!pop_ref(ref)) return false;
      // The branch carries the reference as non-null.
      if (!is_unknown(ref) && !matches(ValType::ref(ref.heap, false), types.back())) {
        return type_mismatch(types.back(), ref);
      }
      const std::span<const ValType> rest = types.first(types.size() - 1);
      if (!pop_all(rest)) return false;
      push_all(rest);
      return true;
    }
    default:
      break;
  }
  return fail("internal: not a typed reference instruction");
}

}  // namespace loom
