// The interpreter compiler's exception handling (docs/runtime-abi.md "Wasm exceptions"): handler
// tables for try_table and the legacy try, and the throw instructions. The dispatch loop unwinds
// with these tables (interpreter.cpp, throw_exception).
//
// - try_table: a Jump over one landing pad per catch clause, each pad a Jump to the clause's
//   label (fixed up like any branch); the handler's range is the body. The unwinder writes the
//   tag's values (and the exnref) to the label's slots and continues at the pad.
// - legacy try: a hidden exnref operand below the try's params holds the caught exception for
//   rethrow; each catch is a landing point in the code like an `else`, whose tag values start
//   at the try's entry slot. The handler's range ends where the first catch starts. At the end
//   the hidden operand is removed from under the results.
// - delegate: a handler without catches whose parent is the handler of the target label.
#include "interp/compiler_impl.hpp"
#include "runtime/trap.hpp"

namespace loom::interp {
namespace compiler_detail {

uint32_t Compiler::open_handler() {
  HandlerEntry h;
  h.begin = here();
  h.parent = labels_.back().handler;
  out_.handlers.push_back(std::move(h));
  const auto id = static_cast<uint32_t>(out_.handlers.size() - 1);
  labels_.back().handler = labels_.back().own_handler = id;
  return id;
}

void Compiler::begin_try_table(const InstrReader& in) {
  // All operands canonical first (begin_block would do it after the pads): the unwinder finds
  // every operand below a catch's label in its slot.
  materialize_from(0);
  emit_op(IOp::Jump);
  const uint32_t skip = here();
  emit_u32(0);
  std::vector<CatchEntry> catches;
  for (const CatchClause& clause : in.catches()) {
    Label& target = label(clause.label);  // counted from outside the try_table
    CatchEntry c;
    c.tag = clause.has_tag() ? clause.tag : kCatchAllTag;
    c.with_ref = clause.has_ref();
    c.dst = slot_of_index(target.entry);
    c.pad = here();
    emit_op(IOp::Jump);
    emit_jump_to(target);
    catches.push_back(c);
  }
  patch_u32(skip, here());
  last_dst_ = UINT32_MAX;
  begin_block(Opcode::TryTable);
  const uint32_t id = open_handler();
  out_.handlers[id].catches = std::move(catches);
}

void Compiler::begin_legacy_try() {
  materialize_from(0);
  // The hidden exnref goes below the params: move them up one slot (last first, as they overlap).
  const FrameSig& sig = validator_.control(0).sig;
  const size_t params =
      sig.kind == FrameSig::Kind::Index ? module_.types[sig.type_index].params.size() : 0;
  const size_t first = stack_.size() - params;
  std::vector<Operand> moved(stack_.begin() + static_cast<std::ptrdiff_t>(first), stack_.end());
  truncate(first);
  const uint32_t exn_slot = push(ValType::ref(HeapType::abstract(AbsHeap::Exn), true));
  for (const Operand& o : moved) push(o.type);
  for (size_t i = moved.size(); i-- > 0;)
    copy(stack_[first + 1 + i].slot, moved[i].slot, moved[i].type);
  canonical_ = stack_.size();
  last_dst_ = UINT32_MAX;
  begin_block(Opcode::Try);
  labels_.back().exn_slot = exn_slot;
  open_handler();
}

void Compiler::begin_catch(const Instr& instr) {
  Label& l = labels_.back();
  HandlerEntry& h = out_.handlers[l.own_handler];
  if (!l.in_catch) h.end = here();  // the try body ends here
  l.in_catch = true;
  l.handler = h.parent;  // a catch body is not protected by its own try
  if (!l.dead) {
    materialize_from(l.entry);
    emit_op(IOp::Jump);
    l.fixups.push_back(here());
    emit_u32(0);
  }
  CatchEntry c;
  c.tag = instr.op == Opcode::Catch ? instr.index : kCatchAllTag;
  c.legacy = true;
  c.exn_slot = l.exn_slot;
  c.dst = slot_of_index(l.entry);
  c.pad = here();
  h.catches.push_back(c);
  l.dead = false;
  last_dst_ = UINT32_MAX;
  truncate(l.entry);
  if (instr.op == Opcode::Catch) {
    for (ValType t : module_.types[module_.tag_type_index(instr.index)].params) push(t);
  }
}

void Compiler::remove_operand_below(size_t index, size_t count) {
  std::vector<Operand> moved(stack_.end() - static_cast<std::ptrdiff_t>(count), stack_.end());
  truncate(index);
  for (const Operand& o : moved) copy_operand(push(o.type), o);
  canonical_ = stack_.size();
  last_dst_ = UINT32_MAX;
}

void Compiler::end_handler_block(const Instr& instr) {
  Label& l = labels_.back();
  HandlerEntry& h = out_.handlers[l.own_handler];
  if (!l.in_catch) h.end = here();
  if (instr.op == Opcode::Delegate) {
    // The label counts from outside the try: its handler (kNoHandler for the function's own
    // label) gets the exceptions of the body.
    h.parent = labels_[labels_.size() - 2 - instr.index].handler;
  }
  const bool legacy = l.exn_slot != kNoAlias;
  const size_t entry = l.entry;
  const size_t results = label_results(l).size();
  end_block();
  if (legacy) remove_operand_below(entry - 1, results);
}

void Compiler::translate_exceptions(const Instr& instr, const InstrReader& in) {
  switch (instr.op) {
    case Opcode::TryTable:
      if (dead()) {
        begin_block(instr.op);
      } else {
        begin_try_table(in);
      }
      return;
    case Opcode::Try:
      if (dead()) {
        begin_block(instr.op);
      } else {
        begin_legacy_try();
      }
      return;
    case Opcode::Catch:
    case Opcode::CatchAll:
      if (labels_.back().own_handler != kNoHandler) begin_catch(instr);
      return;
    case Opcode::Delegate:
      if (labels_.back().own_handler != kNoHandler) {
        end_handler_block(instr);
      } else {
        end_block();
      }
      return;
    case Opcode::Throw: {
      const FuncType& type = module_.types[module_.tag_type_index(instr.index)];
      const size_t n = type.params.size();
      materialize_from(stack_.size() - n);
      const uint32_t arg_base = n ? stack_[stack_.size() - n].slot : next_slot();
      emit_op(IOp::ThrowOp);
      emit_u32(instr.index);
      emit_u32(arg_base);
      mark_dead();
      return;
    }
    case Opcode::ThrowRef: {
      const Operand exn = pop();
      emit_op(IOp::ThrowRefOp);
      emit_u32(exn.source());
      mark_dead();
      return;
    }
    case Opcode::Rethrow:
      emit_op(IOp::RethrowOp);
      emit_u32(label(instr.index).exn_slot);
      mark_dead();
      return;
    default:
      return;
  }
}

}  // namespace compiler_detail
}  // namespace loom::interp
