// Translation of the typed-reference instructions: ref.as_non_null, br_on_null, br_on_non_null.
#include "interp/compiler_impl.hpp"

namespace loom::interp::compiler_detail {

void Compiler::translate_typed_ref(const Instr& instr) {
  switch (instr.op) {
    case Opcode::RefAsNonNull: {
      const Operand ref = pop();
      emit_op(IOp::RefAsNonNullOp);
      emit_u32(push(ValType::ref(ref.type.heap, false)));
      emit_u32(ref.source());
      return;
    }
    case Opcode::BrOnNull: {
      // Branch without the reference when it is null; otherwise it stays on the stack.
      Label& target = label(instr.index);
      const auto types = branch_types(target);
      materialize_from(stack_.size() - 1 - types.size());
      const Operand ref = pop_deferred();
      const bool in_place = stack_.size() - types.size() == target.entry;
      emit_op(in_place ? IOp::JumpIfNull : IOp::JumpIfNonNull);
      emit_u32(ref.slot);
      if (in_place) {
        emit_jump_to(target);
      } else {
        const uint32_t skip = here();
        emit_u32(0);
        emit_branch_copies(target, types);
        emit_op(IOp::Jump);
        emit_jump_to(target);
        patch_u32(skip, here());
      }
      push(ValType::ref(ref.type.heap, false));  // back in its slot
      return;
    }
    case Opcode::BrOnNonNull: {
      // Branch with the reference (the label's last value) when it is not null; else drop it.
      Label& target = label(instr.index);
      const auto types = branch_types(target);
      materialize_from(stack_.size() - types.size());
      const uint32_t ref_slot = stack_.back().slot;
      const bool in_place = stack_.size() - types.size() == target.entry;
      emit_op(in_place ? IOp::JumpIfNonNull : IOp::JumpIfNull);
      emit_u32(ref_slot);
      if (in_place) {
        emit_jump_to(target);
      } else {
        const uint32_t skip = here();
        emit_u32(0);
        emit_branch_copies(target, types);
        emit_op(IOp::Jump);
        emit_jump_to(target);
        patch_u32(skip, here());
      }
      pop_deferred();
      return;
    }
    default:
      return;
  }
}

}  // namespace loom::interp::compiler_detail
