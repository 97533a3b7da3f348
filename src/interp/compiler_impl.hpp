// The interpreter compiler's internals (compiler.hpp is the interface): the compile-time
// operand stack and labels, and the Compiler class, whose translation is split by instruction
// group across compiler*.cpp. Included only by those files.
#pragma once
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "binary/instr_reader.hpp"
#include "interp/compiler.hpp"
#include "interp/handlers.hpp"
#include "ir/limits.hpp"
#include "valid/func_validator.hpp"

namespace loom::interp::compiler_detail {

constexpr uint32_t kSlot = 8;
constexpr uint32_t kNoAlias = UINT32_MAX;
// Slots are u32 byte offsets: the frame limit keeps every one far below 2^32. Frame sizes are
// computed in 64 bits and checked against it before a slot is handed out (locals) or after every
// instruction (the operand stack, which one instruction grows by at most a few KiB).
constexpr uint64_t kMaxFrameBytes = limit_value(Limit::FunctionFrameBytes);
static_assert(kMaxFrameBytes < (uint64_t{1} << 31));
// Code offsets are u32 too. Translation emits at most 64 bytes of code per body byte (a br_table
// entry with its stub), so no body within the function-body-bytes limit comes near 2^31; the
// check after every instruction is a backstop.
constexpr size_t kMaxCodeBytes = size_t{1} << 31;
static_assert(limit_value(Limit::FunctionBodyBytes) * 64 < kMaxCodeBytes);
// From this many values on, a branch or return moves them with one CopyRange instead of a copy
// each, so the code for a branch does not grow with its arity (up to function-results values).
constexpr size_t kRangeCopyMin = 4;
// At most this many operands on top of the stack may be deferred (aliases of locals, constants);
// deeper ones are materialized between instructions. The loops over deferred operands (block
// entries, local.set, branches) then cost O(1) each, however deep the stack: a million operands
// and a million blocks or local.sets took quadratic time.
constexpr size_t kMaxDeferred = 128;

inline uint32_t width(ValType t) {
  return t.kind == ValKind::V128 ? 2 * kSlot : kSlot;
}
inline bool is_wide(ValType t) {
  return t.kind == ValKind::V128;
}

// One entry of the compile-time operand stack.
struct Operand {
  ValType type;
  uint32_t slot;              // its canonical slot (byte offset in the frame)
  uint32_t alias = kNoAlias;  // while != kNoAlias the value still lives in this local's slot
  bool is_const = false;      // a scalar constant not yet written anywhere (`bits`)
  uint64_t bits = 0;
  uint32_t source() const { return alias != kNoAlias ? alias : slot; }
};

struct Label {
  Opcode op = Opcode::Block;
  size_t entry = 0;  // operand stack index of the first parameter
  FrameSig sig;      // the validator's: params and results (see label_params / label_results)
  uint32_t loop_target = 0;
  std::vector<uint32_t> fixups;      // code positions of u32 targets that jump to the end
  uint32_t else_fixup = UINT32_MAX;  // `if`: the JumpUnless to patch at else/end
  bool dead = false;                 // rest of the frame is unreachable
  bool entered_dead = false;         // the whole frame is unreachable code
  bool fuel_region = false;          // its ConsumeFuel is fuel_regions_.back() while open
  // Exceptions: the handler protecting code emitted in this block, the block's own handler
  // (try_table / legacy try), and for a legacy try the slot of its hidden exnref operand (just
  // below the label's entry; rethrow reads it) and whether a catch has started.
  uint32_t handler = kNoHandler;
  uint32_t own_handler = kNoHandler;
  uint32_t exn_slot = kNoAlias;
  bool in_catch = false;
};

// Fuel per wasm instruction, as wasmtime charges it: structure and no-ops are free.
inline uint32_t fuel_cost(Opcode op) {
  switch (op) {
    case Opcode::Nop:
    case Opcode::Drop:
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::Unreachable:
    case Opcode::Return:
    case Opcode::Else:
    case Opcode::End:
      return 0;
    default:
      return 1;
  }
}

class Compiler {
 public:
  Compiler(const Module& module, const Features& features, CompileOptions options)
      : module_(module), features_(features), options_(options), validator_(module, features) {}

  Result<CompiledFunction> run(uint32_t func_index);

 private:
  // ---- emission ----
  void emit_op(IOp op) {
    last_dst_ = UINT32_MAX;
    last_op_start_ = here();
    last_iop_ = op;
    const void* handler = handler_table()[static_cast<size_t>(op)];
    emit_raw(&handler, sizeof handler);
  }
  void emit_u32(uint32_t v) { emit_raw(&v, 4); }
  void emit_u64(uint64_t v) { emit_raw(&v, 8); }
  void emit_raw(const void* p, size_t n) {
    const auto* bytes = static_cast<const uint8_t*>(p);
    out_.code.insert(out_.code.end(), bytes, bytes + n);
  }
  uint32_t here() const { return static_cast<uint32_t>(out_.code.size()); }
  void patch_u32(uint32_t at, uint32_t v) { std::memcpy(out_.code.data() + at, &v, 4); }
  // Emits a result slot operand and remembers it so a following local.set can retarget it.
  void emit_dst(uint32_t slot) {
    last_dst_ = here();
    last_dst_slot_ = slot;
    emit_u32(slot);
  }

  // ---- operand stack ----
  uint32_t next_slot() const { return slot_of_index(stack_.size()); }
  // The canonical slot of operand stack index `index` (<= size). Below kMaxFrameBytes plus one
  // instruction's pushes (run() stops at the first instruction past the limit), so it fits.
  uint32_t slot_of_index(size_t index) const {
    return index == 0 ? temps_base_ : stack_[index - 1].slot + width(stack_[index - 1].type);
  }
  uint32_t push(ValType t) {
    const uint32_t slot = next_slot();
    stack_.push_back(Operand{t, slot});
    max_bytes_ = std::max<uint64_t>(max_bytes_, uint64_t{slot} + width(t));
    return slot;
  }
  // Pops an operand whose value an instruction will read from a slot: a deferred constant is
  // written to its slot first.
  Operand pop() {
    materialize_const(stack_.back());
    return pop_deferred();
  }
  // Pops without writing a deferred constant (the caller handles `is_const`).
  Operand pop_deferred() {
    Operand o = stack_.back();
    stack_.pop_back();
    canonical_ = std::min(canonical_, stack_.size());
    return o;
  }
  void truncate(size_t size) {
    stack_.resize(size);
    canonical_ = std::min(canonical_, size);
  }
  void materialize_const(Operand& o) {
    if (!o.is_const) return;
    emit_const(o.slot, o.bits);
    o.is_const = false;
  }
  void emit_const(uint32_t dst, uint64_t bits) {
    emit_op(IOp::Const64);
    emit_dst(dst);
    const uint32_t dst_pos = last_dst_;
    emit_u64(bits);
    last_dst_ = dst_pos;
  }
  // Writes operand `o` into `dst` (a constant directly, otherwise a copy from where it lives).
  void copy_operand(uint32_t dst, const Operand& o) {
    if (o.is_const)
      emit_const(dst, o.bits);
    else
      copy(dst, o.source(), o.type);
  }
  void copy(uint32_t dst, uint32_t src, ValType t) {
    if (dst == src) return;
    emit_op(is_wide(t) ? IOp::Copy128 : IOp::Copy64);
    emit_u32(dst);
    emit_u32(src);
  }
  void materialize(Operand& o) {
    materialize_const(o);
    if (o.alias == kNoAlias) return;
    copy(o.slot, o.alias, o.type);
    o.alias = kNoAlias;
  }
  void materialize_from(size_t index) {
    for (size_t i = std::max(index, canonical_); i < stack_.size(); ++i) materialize(stack_[i]);
    if (index <= canonical_) canonical_ = stack_.size();
  }
  void materialize_aliases_of(uint32_t local_slot) {
    for (size_t i = canonical_; i < stack_.size(); ++i) {
      if (stack_[i].alias == local_slot) materialize(stack_[i]);
    }
  }
  // Between instructions: keeps at most kMaxDeferred deferred operands.
  void bound_deferred() {
    if (stack_.size() - canonical_ <= kMaxDeferred || dead()) return;
    const size_t keep_from = stack_.size() - kMaxDeferred / 2;
    for (size_t i = canonical_; i < keep_from; ++i) materialize(stack_[i]);
    canonical_ = keep_from;
    last_dst_ = UINT32_MAX;  // the next instruction must not retarget these copies
  }

  // ---- control ----
  Label& label(uint32_t depth) { return labels_[labels_.size() - 1 - depth]; }
  // A label's types, from its signature (the span is valid while the label does not move).
  std::span<const ValType> label_params(const Label& l) const {
    return l.sig.kind == FrameSig::Kind::Index ? module_.types[l.sig.type_index].params
                                               : std::span<const ValType>();
  }
  std::span<const ValType> label_results(const Label& l) const {
    switch (l.sig.kind) {
      case FrameSig::Kind::Empty:
        return {};
      case FrameSig::Kind::Value:
        return std::span<const ValType>(&l.sig.value, 1);
      case FrameSig::Kind::Index:
      case FrameSig::Kind::Function:
        return module_.types[l.sig.type_index].results;
    }
    return {};
  }
  // What a branch to the label carries.
  std::span<const ValType> branch_types(const Label& l) const {
    return l.op == Opcode::Loop ? label_params(l) : label_results(l);
  }
  bool dead() const { return labels_.back().dead; }
  void mark_dead() {
    Label& l = labels_.back();
    l.dead = true;
    truncate(l.entry);
  }
  // Copies the top `types.size()` operands to the label's slots and jumps there.
  void emit_branch_copies(const Label& target, std::span<const ValType> types);
  // Copies the top `n` operands to the slots from `dst` on.
  void emit_copies_to(uint32_t dst, size_t n);
  void emit_jump_to(Label& target);
  void emit_conditional_jump(const Operand& cond, bool when_true);
  void begin_block(Opcode op);
  void end_block();
  // At a function entry or loop header: the checks CompileOptions asks for.
  void emit_interruption_checks();

  // ---- translation ----
  bool translate(const Instr& instr, const InstrReader& in);
  // Exception handling (compiler_eh.cpp): try_table, throw, throw_ref, legacy try/catch/
  // catch_all/delegate/rethrow; End of a handler block goes through end_handler_block.
  void translate_exceptions(const Instr& instr, const InstrReader& in);
  void begin_try_table(const InstrReader& in);
  void begin_legacy_try();
  void begin_catch(const Instr& instr);
  uint32_t open_handler();
  void end_handler_block(const Instr& instr);
  // Removes the operand at `index` (a legacy try's hidden exnref) from under the `count` values
  // above it, moving them down.
  void remove_operand_below(size_t index, size_t count);
  void translate_simple(const Instr& instr, const OpInfo& info, IOp op);
  void translate_memory(const Instr& instr);
  void translate_table(const Instr& instr);
  void translate_typed_ref(const Instr& instr);  // compiler_refs.cpp
  void emit_bulk(IOp op, const Instr& instr);
  bool memory_is64(uint32_t memory) const { return module_.memory_type(memory).limits.is64; }
  bool table_is64(uint32_t table) const { return module_.table_type(table).limits.is64; }
  void set_local(uint32_t local, bool tee);
  void emit_return();
  void emit_call(IOp op, const FuncType& type, const Instr& instr, uint32_t index_slot);
  void emit_tail_call(IOp op, const FuncType& type, const Instr& instr, uint32_t index_slot);

  uint32_t local_slot(uint32_t index) const { return local_slots_[index]; }

  const Module& module_;
  const Features& features_;
  CompileOptions options_;
  FuncValidator validator_;
  CompiledFunction out_;
  std::vector<Operand> stack_;
  size_t canonical_ = 0;  // stack_[0, canonical_) are neither aliases nor deferred constants
  std::vector<Label> labels_;
  std::vector<uint32_t> local_slots_;
  std::vector<ValType> local_types_;
  uint32_t temps_base_ = 0;
  uint64_t max_bytes_ = 0;          // end of the highest slot used so far
  uint32_t last_dst_ = UINT32_MAX;  // code position of the last result operand, if retargetable
  uint32_t last_dst_slot_ = 0;      // ...and the slot it names
  uint32_t last_op_start_ = 0;      // code position and op of the last emitted instruction
  IOp last_iop_ = IOp::Count_;
  const FuncType* func_type_ = nullptr;
  Error error_;
  // Open fuel regions (function body, then each enclosing loop): where the ConsumeFuel's cost
  // operand is and the cost of the live instructions translated into the region so far.
  struct FuelRegion {
    uint32_t cost_at;
    uint32_t cost;
  };
  std::vector<FuelRegion> fuel_regions_;
};

}  // namespace loom::interp::compiler_detail
