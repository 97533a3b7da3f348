// Function body validation: the operand/control stack algorithm of the spec's appendix
// ("Validation Algorithm"), fed one decoded instruction at a time so that a compiler can validate
// and translate in the same pass (DESIGN.md):
//
//   FuncValidator fv(module, features);          // once per module; reused for every function
//   for each defined function f:
//     InstrReader in(module.slice(body.code), body.code.begin, features);
//     fv.begin_function(f, body);
//     while (!in.at_end()) {
//       if (!in.next(instr)) return in.error();
//       if (!fv.step(instr, in)) return fv.error();
//       ... the compiler inspects fv's stacks here ...
//     }
//     if (!fv.finish(in.offset())) return fv.error();
//
// validate_body() runs exactly that loop. The stacks are plain vectors reused across functions, so
// deep nesting never recurses and validating many small functions does not allocate.
#pragma once
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_set>
#include <vector>

#include "binary/instr_reader.hpp"
#include "ir/features.hpp"
#include "ir/limits.hpp"
#include "ir/module.hpp"
#include "ir/opcode.hpp"
#include "util/result.hpp"
#include "valid/subtyping.hpp"

namespace loom {

// The bottom type of the spec's algorithm: what popping from a polymorphic (unreachable) stack
// yields. It matches every type.
inline constexpr ValType kUnknownType{};
inline bool is_unknown(ValType t) {
  return t.kind == ValKind::Void;
}

// The signature of a control frame: a block type, or the function itself (no start types).
struct FrameSig {
  enum class Kind : uint8_t { Empty, Value, Index, Function } kind = Kind::Empty;
  ValType value;            // Kind::Value
  uint32_t type_index = 0;  // Kind::Index and Kind::Function
};

struct ControlFrame {
  // Block, Loop, If or Else; the function's own frame is a Block. Exceptions: TryTable, and the
  // legacy Try (its body), Catch and CatchAll (their handlers).
  Opcode op = Opcode::Block;
  FrameSig sig;
  uint32_t height = 0;       // operand stack height when the frame was entered (after its params)
  bool unreachable = false;  // the rest of the frame is stack-polymorphic
  uint32_t init_height = 0;  // local_inits_ size at entry: locals set inside are reset at the end
};

// The operand stack: a vector's interface where the validator uses one, plus raw access for the
// fast path (the slots past size() are allocated, so a hot loop can keep the top in a register).
// Two slots below the bottom always exist and hold kUnknownType, so the fast path may read the
// two top entries without checking the height first.
class TypeStack {
 public:
  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size() - kGuardSlots; }
  ValType* data() { return slots_.data() + kGuardSlots; }
  const ValType* data() const { return slots_.data() + kGuardSlots; }
  ValType& operator[](size_t i) { return data()[i]; }
  ValType operator[](size_t i) const { return data()[i]; }
  ValType& back() { return data()[size_ - 1]; }
  void clear() { size_ = 0; }
  void pop_back() { --size_; }
  void push_back(ValType t) {
    if (size_ == capacity()) reserve(size_ + 1);
    data()[size_++] = t;
  }
  void append(std::span<const ValType> types) {
    reserve(size_ + types.size());
    std::copy(types.begin(), types.end(), data() + size_);
    size_ += types.size();
  }
  void resize(size_t n) {  // the validator only shrinks, to a frame's height
    reserve(n);
    size_ = n;
  }
  // Capacity for at least `n` values (growing geometrically, but not past the height limit, so
  // the fast path, which fills the capacity unchecked, stops there); size() is unchanged.
  void reserve(size_t n) {
    if (n <= capacity()) return;
    const size_t grown = std::min(2 * capacity(), kMaxHeight);
    slots_.resize(kGuardSlots + std::max<size_t>({n, grown, 64}));
  }
  // For the fast path, which tracks the size in a local and stores it back.
  void set_size(size_t n) { size_ = n; }

 private:
  static constexpr size_t kGuardSlots = 2;
  static constexpr size_t kMaxHeight = limit_value(Limit::OperandStackHeight);
  std::vector<ValType> slots_ = std::vector<ValType>(kGuardSlots);
  size_t size_ = 0;
};

class FuncValidator {
 public:
  // `module` and `features` are referenced, not copied: they must outlive the validator.
  FuncValidator(const Module& module, const Features& features);

  // Starts validating defined function `func_index` (index space: imports first) with `body`'s
  // locals. Returns false (see error()) when the function's type index is out of range.
  bool begin_function(uint32_t func_index, const FunctionBody& body);

  // Validates one instruction. `reader` (the one that decoded it) supplies br_table targets and
  // typed-select types.
  bool step(const Instr& instr, const InstrReader& reader) {
    catches_ = reader.catches();
    return step(instr, reader.br_table_targets(), reader.select_types());
  }
  bool step(const Instr& instr, std::span<const uint32_t> br_targets,
            std::span<const ValType> select_types) {
    if (!step_instr(instr, br_targets, select_types)) return false;
    return vals_.size() <= limit_value(Limit::OperandStackHeight) || fail_stack_height();
  }

  // Call after the last instruction: the function's final `end` must have been seen.
  // `end_offset` is the offset just past the body, for the error.
  bool finish(size_t end_offset);

  // Decodes and validates a whole body (the loop in the comment above).
  bool validate_body(uint32_t func_index, const FunctionBody& body);

  const Error& error() const { return error_; }
  Error take_error() { return std::move(error_); }

  // ---- State for a compiler running in the same pass ----
  // True once the function's final `end` was validated.
  bool done() const { return started_ && ctrls_.empty(); }
  size_t operand_height() const { return vals_.size(); }
  // The operand `depth` entries below the top (0 = top); kUnknownType when polymorphic.
  ValType operand(size_t depth) const { return vals_[vals_.size() - 1 - depth]; }
  size_t control_depth() const { return ctrls_.size(); }
  // The frame `depth` levels out (0 = innermost), as a branch label depth counts.
  const ControlFrame& control(size_t depth) const { return ctrls_[ctrls_.size() - 1 - depth]; }
  std::span<const ValType> frame_params(const ControlFrame& f) const { return sig_params(f.sig); }
  std::span<const ValType> frame_results(const ControlFrame& f) const { return sig_results(f.sig); }
  // What a branch to the frame carries: params for a loop, results otherwise.
  std::span<const ValType> label_types(const ControlFrame& f) const {
    return f.op == Opcode::Loop ? sig_params(f.sig) : sig_results(f.sig);
  }
  uint64_t local_count() const { return params_.size() + declared_local_count_; }
  // Type of local `index` (params first); `index` must be < local_count().
  ValType local_type(uint32_t index) const;

 private:
  bool step_instr(const Instr& instr, std::span<const uint32_t> br_targets,
                  std::span<const ValType> select_types);
  bool fail_stack_height();
  std::span<const ValType> sig_params(const FrameSig& sig) const;
  std::span<const ValType> sig_results(const FrameSig& sig) const;

  // validate_body's fast path: validates instructions straight from the bytes, from `p` on, as
  // long as each is a common opcode whose encoding and typing are plainly fine. Returns where it
  // stopped: `end`, or an instruction it left untouched for InstrReader and step(), which also
  // produce every error. The bytes up to `readable_end` (past `end`) may be read: immediates are
  // read first and checked against `end` once their length is known.
  const uint8_t* fast_run(const uint8_t* p, const uint8_t* end, const uint8_t* readable_end);

  // What fast_run does per single-byte opcode (enabled features only); built once per validator.
  enum class FastKind : uint8_t {
    Slow,
    // Table-driven, without a branch per opcode: the instructions that pop at most two values
    // and push at most one, with no immediate, a short LEB128 (constant or local/global index),
    // a memarg or a fixed-size constant (nop, drop, numeric operators, loads and stores, local
    // and global accesses, constants).
    Generic,
    Block,
    Loop,
    If,
    Else,
    End,
    BrIf,
    Call,
    CallIndirect,  // table 0 holds funcrefs and takes i32 indices
    Count_
  };
  // Which variable types a Generic instruction's index refers to.
  enum VariableArray : uint8_t { kLocalArray, kGlobalArray };
  // Variable type arrays start with one slot per numeric kind, holding that kind's ValType (slot
  // = ValKind value), so that a Generic instruction without an index reads its result there.
  static constexpr size_t kKindSlots = 5;  // Void, I32, I64, F32, F64

  // Generic instructions use masks (0 or all ones) where a flag would do, so that the fast path
  // selects without branching.
  struct alignas(16) FastOp {
    FastKind kind = FastKind::Slow;
    // Generic: the immediate's layout.
    uint8_t fixed_length = 0;  // f32/f64 constants: their bytes
    uint8_t leb_mask = 0;      // 0x0f: a LEB128 right after the opcode,
    uint8_t leb_max = 0;       // at most this long in all (so always well-formed and in range)
    uint8_t memarg_mask = 0;   // 0x0f instead for a memarg: a flags byte, then an offset LEB128
    uint8_t max_align = 0xff;  // memarg: bound of the flags byte (log2 of the access size)
    // Generic: typing. The pushed type is array[slot + index], index being the LEB128's value
    // under index_mask (0xff: all of it).
    uint8_t index_mask = 0;
    VariableArray array = kLocalArray;
    uint8_t slot = 0;
    uint8_t pop_bytes = 0;  // sizeof(ValType) times the operands popped
    uint8_t pushes = 0;
    uint8_t variable_mask = 0;  // 0xff: the top operand must have the variable's set kind
    uint16_t pop_mask = 0;      // which of the two top operands' kinds are checked (top: low byte)
    uint16_t expected = 0;      // and their expected values
  };
  static_assert(sizeof(FastOp) == 16);
  std::array<FastOp, 256> fast_ops_{};
  // The globals' variable array (kind slots first) and their set kinds; the locals' are per
  // function, below.
  std::vector<ValType> global_slots_;
  std::vector<uint8_t> global_set_kinds_;
  // The kind an operand must have to be stored in a variable of type `t`, as the fast path
  // compares it: kNotSettable (never an operand's kind) for references, whose subtyping the slow
  // path decides, and for immutable globals.
  static constexpr uint8_t kNotSettable = 0xee;
  static uint8_t set_kind(ValType t, bool is_mutable = true) {
    return is_mutable && !t.is_ref() ? static_cast<uint8_t>(t.kind) : kNotSettable;
  }
  // Starts a variable array with its kind slots.
  static void init_kind_slots(std::vector<ValType>& slots, std::vector<uint8_t>& set_kinds);

  // Instruction groups.
  bool step_simple(const Instr& instr, const OpInfo& info);
  bool step_control(const Instr& instr, std::span<const uint32_t> br_targets);
  bool step_variable(const Instr& instr);
  bool step_table(const Instr& instr);
  bool step_memory(const Instr& instr);
  bool step_call(const Instr& instr);
  bool step_select(const Instr& instr, std::span<const ValType> select_types);
  // Typed function references (func_validator_refs.cpp).
  bool step_typed_ref(const Instr& instr);
  bool check_tail_call_results(const FuncType& callee);
  bool pop_ref(ValType& out);
  // Local initialisation (3.0): non-defaultable locals must be set before they are read; a set
  // inside a block counts until the block's end.
  bool begin_local_inits(const FunctionBody& body);
  void set_local_init(uint32_t index) {
    if (!local_unset_[index]) return;
    local_unset_[index] = 0;
    local_inits_.push_back(index);
  }
  void reset_local_inits(uint32_t height) {
    while (local_inits_.size() > height) {
      local_unset_[local_inits_.back()] = 1;
      local_inits_.pop_back();
    }
  }
  // Exception handling (func_validator_eh.cpp); try_table's clauses are catches_.
  bool step_exceptions(const Instr& instr);
  bool check_tag(uint32_t tag);
  bool check_catch(const CatchClause& clause);
  std::span<const ValType> tag_params(uint32_t tag) const;

  // Immediate checks shared by simple and hand-typed instructions.
  bool check_memory(uint32_t memory);
  bool check_table(uint32_t table);
  bool check_type_index(uint32_t type_index);
  bool check_func(uint32_t func);
  bool check_data(uint32_t data);
  bool check_elem(uint32_t elem);
  bool check_heap_type(HeapType heap);
  bool read_frame_sig(const BlockType& block, FrameSig& out);
  ValType memory_address_type(uint32_t memory) const;
  ValType table_address_type(uint32_t table) const;

  // The spec's stack primitives.
  void push(ValType t) { vals_.push_back(t); }
  void push_all(std::span<const ValType> types) { vals_.append(types); }
  bool pop_any(ValType& out);
  bool pop_expect(ValType expected);
  bool pop_all(std::span<const ValType> types);
  // Checks that the stack top matches `types` without popping (br_table's non-default targets).
  bool check_top(std::span<const ValType> types);
  void push_ctrl(Opcode op, const FrameSig& sig);
  bool pop_ctrl(ControlFrame& out);
  void set_unreachable();

  bool fail(std::string message);
  // For the few checks the binary format calls malformed rather than invalid.
  bool fail_malformed(std::string message);
  bool type_mismatch(ValType expected, ValType actual);

  const Module& module_;
  const Features& features_;
  std::vector<bool> declared_refs_;  // C.refs: functions ref.func may name
  TypeRelation types_;               // subtyping over the module's types
  // Fast path of types_.matches for the common numeric case.
  bool matches(ValType actual, ValType expected) const {
    if (actual.kind == expected.kind && actual.kind != ValKind::Ref) return true;
    return types_.matches(actual, expected);
  }

  // Per function; vectors keep their capacity across functions.
  bool started_ = false;
  uint32_t func_index_ = 0;
  uint32_t type_index_ = 0;
  Opcode current_op_ = Opcode::Nop;  // for error messages
  size_t current_offset_ = 0;
  std::span<const ValType> params_;
  std::vector<uint64_t> local_ends_;  // prefix sums of the LocalDecl runs
  // The kind slots, then every local's type (params first) when that list is not much longer
  // than the body; otherwise just the kind slots and local_type() searches local_ends_.
  std::vector<ValType> local_slots_;
  std::vector<uint8_t> local_set_kinds_;  // per slot, see set_kind()
  const std::vector<LocalDecl>* local_decls_ = nullptr;
  uint64_t declared_local_count_ = 0;
  TypeStack vals_;
  std::vector<ControlFrame> ctrls_;
  std::vector<uint8_t> local_unset_;   // per local when some is non-defaultable, else empty
  std::vector<uint32_t> local_inits_;  // locals set since their frames began
  std::unordered_set<const ValType*> br_table_checked_;  // result lists a br_table has checked
  std::span<const CatchClause> catches_;                  // of the try_table being stepped

  Error error_;
};

// Constant expressions (const_expr.cpp). Checks `expr` is constant and of type [expected].
// `visible_globals` is how many globals (from index 0) global.get may name here.
class ConstExprValidator {
 public:
  ConstExprValidator(const Module& module, const Features& features)
      : module_(module), features_(features), types_(module) {}
  bool validate(const ConstExpr& expr, ValType expected, size_t visible_globals);
  const Error& error() const { return error_; }
  Error take_error() { return std::move(error_); }

 private:
  bool fail(size_t offset, std::string message);

  const Module& module_;
  const Features& features_;
  TypeRelation types_;
  std::vector<ValType> stack_;
  Error error_;
};

// The function indices referenced outside function bodies (exports, element segments, global,
// table, offset and element initializers): the only ones ref.func may name inside bodies.
std::vector<bool> collect_declared_functions(const Module& module, const Features& features);

}  // namespace loom
