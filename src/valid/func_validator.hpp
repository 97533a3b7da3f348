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
  void push_all(std::span<const ValType> types) {
    vals_.insert(vals_.end(), types.begin(), types.end());
  }
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
  const std::vector<LocalDecl>* local_decls_ = nullptr;
  uint64_t declared_local_count_ = 0;
  std::vector<ValType> vals_;
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
