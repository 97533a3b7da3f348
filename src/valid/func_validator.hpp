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
#include <vector>

#include "binary/instr_reader.hpp"
#include "ir/features.hpp"
#include "ir/module.hpp"
#include "ir/opcode.hpp"
#include "util/result.hpp"

namespace loom {

// The bottom type of the spec's algorithm: what popping from a polymorphic (unreachable) stack
// yields. It matches every type.
inline constexpr ValType kUnknownType{};
inline bool is_unknown(ValType t) {
  return t.kind == ValKind::Void;
}

// Subtyping as far as it is needed before GC: equality, plus nullable/abstract widening of
// references (a (ref $t) of a function type is a funcref, a non-null ref is a nullable ref).
bool val_type_matches(ValType actual, ValType expected);

// The signature of a control frame: a block type, or the function itself (no start types).
struct FrameSig {
  enum class Kind : uint8_t { Empty, Value, Index, Function } kind = Kind::Empty;
  ValType value;            // Kind::Value
  uint32_t type_index = 0;  // Kind::Index and Kind::Function
};

struct ControlFrame {
  Opcode op = Opcode::Block;  // Block, Loop, If or Else; the function's own frame is a Block
  FrameSig sig;
  uint32_t height = 0;       // operand stack height when the frame was entered (after its params)
  bool unreachable = false;  // the rest of the frame is stack-polymorphic
};

// The operand stack: a vector's interface where the validator uses one, plus raw access for the
// fast path (the slots past size() are allocated, so a hot loop can keep the top in a register).
class TypeStack {
 public:
  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }
  ValType* data() { return slots_.data(); }
  const ValType* data() const { return slots_.data(); }
  ValType& operator[](size_t i) { return slots_.data()[i]; }
  ValType operator[](size_t i) const { return slots_.data()[i]; }
  ValType& back() { return slots_.data()[size_ - 1]; }
  void clear() { size_ = 0; }
  void pop_back() { --size_; }
  void push_back(ValType t) {
    if (size_ == slots_.size()) reserve(size_ + 1);
    slots_.data()[size_++] = t;
  }
  void append(std::span<const ValType> types) {
    reserve(size_ + types.size());
    std::copy(types.begin(), types.end(), slots_.data() + size_);
    size_ += types.size();
  }
  void resize(size_t n) {  // the validator only shrinks, to a frame's height
    reserve(n);
    size_ = n;
  }
  // Capacity for at least `n` values (growing geometrically); size() is unchanged.
  void reserve(size_t n) {
    if (n > slots_.size()) slots_.resize(std::max<size_t>({n, 2 * slots_.size(), 64}));
  }
  // For the fast path, which tracks the size in a local and stores it back.
  void set_size(size_t n) { size_ = n; }

 private:
  std::vector<ValType> slots_;
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
    return step(instr, reader.br_table_targets(), reader.select_types());
  }
  bool step(const Instr& instr, std::span<const uint32_t> br_targets,
            std::span<const ValType> select_types);

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
  std::span<const ValType> sig_params(const FrameSig& sig) const;
  std::span<const ValType> sig_results(const FrameSig& sig) const;

  // validate_body's fast path: validates instructions straight from the bytes, from `p` on, as
  // long as each is a common single-byte opcode whose encoding and typing are plainly fine.
  // Returns where it stopped: `end`, or an instruction it left untouched for InstrReader and
  // step(), which also produce every error.
  const uint8_t* fast_run(const uint8_t* p, const uint8_t* end);

  // What fast_run does per single-byte opcode (enabled features only); built once per validator.
  enum class FastKind : uint8_t {
    Slow,
    Unary,   // [t1] -> [t], no immediate
    Binary,  // [t1 t2] -> [t], no immediate
    Load,    // [i32] -> [t], memarg
    Store,   // [i32 t] -> [], memarg
    Nop,
    Drop,
    Block,
    Loop,
    If,
    Else,
    End,
    BrIf,
    Call,
    LocalGet,
    LocalSet,
    LocalTee,
    GlobalGet,
    GlobalSet,
    I32Const,
    I64Const,
    F32Const,
    F64Const,
    Count_
  };
  struct FastOp {
    FastKind kind = FastKind::Slow;
    ValKind result = ValKind::Void;
    ValKind param1 = ValKind::Void;
    ValKind param2 = ValKind::Void;
    uint8_t max_align = 0;  // Load and Store: log2 of the access size
  };
  std::array<FastOp, 256> fast_ops_{};
  bool memory0_is_i32_ = false;           // memory 0 exists and takes i32 addresses
  std::vector<GlobalType> global_types_;  // flattened index space, imports first

  // Instruction groups.
  bool step_simple(const Instr& instr, const OpInfo& info);
  bool step_control(const Instr& instr, std::span<const uint32_t> br_targets);
  bool step_variable(const Instr& instr);
  bool step_table(const Instr& instr);
  bool step_memory(const Instr& instr);
  bool step_call(const Instr& instr);
  bool step_select(const Instr& instr, std::span<const ValType> select_types);

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

  // Per function; vectors keep their capacity across functions.
  bool started_ = false;
  uint32_t func_index_ = 0;
  uint32_t type_index_ = 0;
  Opcode current_op_ = Opcode::Nop;  // for error messages
  size_t current_offset_ = 0;
  std::span<const ValType> params_;
  std::vector<uint64_t> local_ends_;  // prefix sums of the LocalDecl runs
  // Every local's type (params first) when that list is not much longer than the body; otherwise
  // empty and local_type() searches local_ends_.
  std::vector<ValType> local_types_;
  const std::vector<LocalDecl>* local_decls_ = nullptr;
  uint64_t declared_local_count_ = 0;
  TypeStack vals_;
  std::vector<ControlFrame> ctrls_;

  Error error_;
};

// Constant expressions (const_expr.cpp). Checks `expr` is constant and of type [expected].
// `visible_globals` is how many globals (from index 0) global.get may name here.
class ConstExprValidator {
 public:
  ConstExprValidator(const Module& module, const Features& features)
      : module_(module), features_(features) {}
  bool validate(const ConstExpr& expr, ValType expected, size_t visible_globals);
  const Error& error() const { return error_; }
  Error take_error() { return std::move(error_); }

 private:
  bool fail(size_t offset, std::string message);

  const Module& module_;
  const Features& features_;
  std::vector<ValType> stack_;
  Error error_;
};

// The function indices referenced outside function bodies (exports, element segments, global,
// table, offset and element initializers): the only ones ref.func may name inside bodies.
std::vector<bool> collect_declared_functions(const Module& module, const Features& features);

}  // namespace loom
