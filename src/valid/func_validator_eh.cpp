// Function validation of the exception-handling instructions (the spec's "Exception handling"
// rules, plus the legacy try/catch/rethrow/delegate of the testsuite's legacy/ files). Kept apart
// from func_validator.cpp, which calls step_exceptions() for these opcodes.
#include <string>

#include "valid/func_validator.hpp"

namespace loom {

namespace {

ValType exnref() {
  return ValType::ref(HeapType::abstract(AbsHeap::Exn), true);
}

}  // namespace

bool FuncValidator::check_tag(uint32_t tag) {
  if (tag < module_.num_tags()) return true;
  return fail("unknown tag " + std::to_string(tag));
}

std::span<const ValType> FuncValidator::tag_params(uint32_t tag) const {
  return module_.types[module_.tag_type_index(tag)].params;
}

// try_table's catch clause: what it hands to its label (the tag's values, then the exnref for
// the _ref forms) must match the label's types. Labels count from outside the try_table.
bool FuncValidator::check_catch(const CatchClause& clause) {
  std::span<const ValType> params;
  if (clause.has_tag()) {
    if (!check_tag(clause.tag)) return false;
    params = tag_params(clause.tag);
  }
  if (clause.label >= ctrls_.size()) return fail("unknown label");
  const std::span<const ValType> label = label_types(control(clause.label));
  const size_t carried = params.size() + (clause.has_ref() ? 1 : 0);
  bool ok = label.size() == carried;
  for (size_t i = 0; ok && i < params.size(); ++i) ok = val_type_matches(params[i], label[i]);
  // The _ref forms hand over a non-null (ref exn).
  if (ok && clause.has_ref()) {
    ok = val_type_matches(ValType::ref(HeapType::abstract(AbsHeap::Exn), false), label.back());
  }
  if (!ok) {
    return fail("type mismatch: catch clause of try_table carries " +
                to_string(FuncType{{}, {params.begin(), params.end()}}) +
                (clause.has_ref() ? " and an exnref" : "") + ", label expects " +
                to_string(FuncType{{}, {label.begin(), label.end()}}));
  }
  return true;
}

bool FuncValidator::step_exceptions(const Instr& instr) {
  switch (instr.op) {
    case Opcode::TryTable:
    case Opcode::Try: {
      if (ctrls_.size() > limit_value(Limit::ControlNesting)) {
        return fail(limit_error(Limit::ControlNesting));
      }
      FrameSig sig;
      if (!read_frame_sig(instr.block, sig)) return false;
      if (instr.op == Opcode::TryTable) {
        for (const CatchClause& clause : catches_) {
          if (!check_catch(clause)) return false;
        }
      }
      const std::span<const ValType> params = sig_params(sig);
      if (!pop_all(params)) return false;
      push_ctrl(instr.op, sig);
      push_all(params);
      return true;
    }
    case Opcode::Throw: {
      if (!check_tag(instr.index)) return false;
      if (!pop_all(tag_params(instr.index))) return false;
      set_unreachable();
      return true;
    }
    case Opcode::ThrowRef:
      if (!pop_expect(exnref())) return false;
      set_unreachable();
      return true;

    // Legacy: `catch` and `catch_all` end the try body (or the previous catch) like `else`.
    case Opcode::Catch:
    case Opcode::CatchAll: {
      const Opcode open = ctrls_.back().op;
      if (open != Opcode::Try && open != Opcode::Catch) {
        return fail(open == Opcode::CatchAll ? "catch after catch_all" : "catch without try");
      }
      if (instr.op == Opcode::Catch && !check_tag(instr.index)) return false;
      ControlFrame frame;
      if (!pop_ctrl(frame)) return false;
      push_ctrl(instr.op, frame.sig);
      if (instr.op == Opcode::Catch) push_all(tag_params(instr.index));
      return true;
    }
    case Opcode::Delegate: {
      if (ctrls_.back().op != Opcode::Try) return fail("delegate without try");
      ControlFrame frame;
      if (!pop_ctrl(frame)) return false;
      // The label counts from outside the try; the function's own frame is a valid target.
      if (instr.index >= ctrls_.size()) return fail("unknown label");
      push_all(sig_results(frame.sig));
      return true;
    }
    case Opcode::Rethrow: {
      if (instr.index >= ctrls_.size()) return fail("unknown label");
      const Opcode target = control(instr.index).op;
      if (target != Opcode::Catch && target != Opcode::CatchAll) {
        return fail("invalid rethrow label");
      }
      set_unreachable();
      return true;
    }
    default:
      break;
  }
  return fail("internal: not an exception instruction");
}

}  // namespace loom
