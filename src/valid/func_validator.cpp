#include "valid/func_validator.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>
#include <string>

#include "ir/limits.hpp"

namespace loom {
namespace {
constexpr size_t kMaxNesting = limit_value(Limit::ControlNesting);
}  // namespace

namespace {

// to_string, naming the polymorphic bottom type as the spec's algorithm does.
std::string type_name(ValType t) {
  return is_unknown(t) ? "unknown" : to_string(t);
}

void scan_ref_funcs(const Module& module, const Features& features, const ConstExpr& expr,
                    std::vector<bool>& refs) {
  if (expr.range.end > module.bytes.size() || expr.range.begin > expr.range.end) return;
  InstrReader in(module.slice(expr.range), expr.range.begin, features);
  Instr instr;
  // Malformed expressions are reported by the constant-expression check; just stop here.
  while (!in.at_end() && in.next(instr)) {
    if (instr.op == Opcode::RefFunc && instr.index < refs.size()) refs[instr.index] = true;
  }
}

}  // namespace

std::vector<bool> collect_declared_functions(const Module& module, const Features& features) {
  std::vector<bool> refs(module.num_funcs(), false);
  for (const Export& exp : module.exports) {
    if (exp.kind == ExternKind::Func && exp.index < refs.size()) refs[exp.index] = true;
  }
  for (const ElemSegment& seg : module.elems) {
    for (uint32_t f : seg.func_indices) {
      if (f < refs.size()) refs[f] = true;
    }
    for (const ConstExpr& e : seg.exprs) scan_ref_funcs(module, features, e, refs);
    if (seg.mode == SegmentMode::Active) scan_ref_funcs(module, features, seg.offset, refs);
  }
  for (const Global& g : module.globals) scan_ref_funcs(module, features, g.init, refs);
  for (const Table& t : module.tables) {
    if (t.has_init) scan_ref_funcs(module, features, t.init, refs);
  }
  for (const DataSegment& d : module.datas) {
    if (d.mode == SegmentMode::Active) scan_ref_funcs(module, features, d.offset, refs);
  }
  return refs;
}

// ---------------------------------------------------------------------------------------------
// FuncValidator

FuncValidator::FuncValidator(const Module& module, const Features& features)
    : module_(module),
      features_(features),
      declared_refs_(collect_declared_functions(module, features)),
      types_(module) {
  // The fast path's table: single-byte opcodes of enabled features, with their fixed types.
  const auto numeric = [](ValKind k) { return k >= ValKind::I32 && k <= ValKind::F64; };
  const bool memory0_is_i32 = module_.num_memories() > 0 && !module_.memory_type(0).limits.is64;
  const bool table0_is_funcref_i32 = module_.num_tables() > 0 &&
                                     !module_.table_type(0).limits.is64 &&
                                     types_.matches(module_.table_type(0).elem, ValType::funcref());
  for (size_t i = 0; i < kOpcodeCount; ++i) {
    const auto op = static_cast<Opcode>(i);
    const OpInfo& info = op_info(op);
    if (info.prefix != 0 || info.code >= fast_ops_.size() || !features_.has(info.feature)) continue;
    FastOp& fast = fast_ops_[info.code];
    // Generic instructions: which operands they pop and check, what they push.
    const auto generic = [&fast](uint8_t pops, uint16_t pop_mask, uint16_t expected) {
      fast.kind = FastKind::Generic;
      fast.pop_bytes = static_cast<uint8_t>(pops * sizeof(ValType));
      fast.pop_mask = pop_mask;
      fast.expected = expected;
    };
    const auto kind_bits = [](ValKind top, ValKind below = ValKind::Void) {
      return static_cast<uint16_t>(static_cast<uint8_t>(top) | static_cast<uint8_t>(below) << 8);
    };
    const auto pushes = [&fast](ValKind kind) {
      fast.pushes = 1;
      fast.slot = static_cast<uint8_t>(kind);
    };
    const auto leb = [&fast](uint8_t max_length) {
      fast.leb_max = max_length;
      fast.leb_mask = 0x0f;
    };
    // Variable indices of up to two bytes (16384 locals or globals) are decoded in the fast path.
    const auto variable = [&fast, &leb](VariableArray array) {
      leb(2);
      fast.index_mask = 0xff;
      fast.array = array;
      fast.slot = kKindSlots;
    };
    switch (op) {
      case Opcode::Nop:
        generic(0, 0, 0);
        break;
      case Opcode::Drop:
        generic(1, 0, 0);  // any type
        break;
      case Opcode::Block:
        fast.kind = FastKind::Block;
        break;
      case Opcode::Loop:
        fast.kind = FastKind::Loop;
        break;
      case Opcode::If:
        fast.kind = FastKind::If;
        break;
      case Opcode::Else:
        fast.kind = FastKind::Else;
        break;
      case Opcode::End:
        fast.kind = FastKind::End;
        break;
      case Opcode::BrIf:
        fast.kind = FastKind::BrIf;
        break;
      case Opcode::Call:
        fast.kind = FastKind::Call;
        break;
      case Opcode::CallIndirect:
        if (table0_is_funcref_i32) fast.kind = FastKind::CallIndirect;
        break;
      case Opcode::LocalGet:
      case Opcode::GlobalGet:
        generic(0, 0, 0);
        variable(op == Opcode::LocalGet ? kLocalArray : kGlobalArray);
        fast.pushes = 1;
        break;
      case Opcode::LocalSet:
      case Opcode::LocalTee:
      case Opcode::GlobalSet:
        generic(1, 0xff, 0);
        variable(op == Opcode::GlobalSet ? kGlobalArray : kLocalArray);
        fast.variable_mask = 0xff;
        fast.pushes = op == Opcode::LocalTee ? 1 : 0;
        break;
      case Opcode::I32Const:  // up to four bytes (28 bits) is always a valid s32
        generic(0, 0, 0);
        leb(4);
        pushes(ValKind::I32);
        break;
      case Opcode::I64Const:  // up to seven bytes (49 bits) is always a valid s64
        generic(0, 0, 0);
        leb(7);
        pushes(ValKind::I64);
        break;
      case Opcode::F32Const:
        generic(0, 0, 0);
        fast.fixed_length = 4;
        pushes(ValKind::F32);
        break;
      case Opcode::F64Const:
        generic(0, 0, 0);
        fast.fixed_length = 8;
        pushes(ValKind::F64);
        break;
      default: {
        if (!info.simple || info.param3 != ValKind::Void) break;
        if (info.imm != ImmKind::None && info.imm != ImmKind::MemArg) break;
        if (info.result != ValKind::Void && !numeric(info.result)) break;
        if (!numeric(info.param1) || (info.param2 != ValKind::Void && !numeric(info.param2))) break;
        const bool unary = info.param2 == ValKind::Void;
        const bool has_result = info.result != ValKind::Void;
        if (info.imm == ImmKind::None) {
          if (!has_result) break;
          if (unary) {
            generic(1, 0x00ff, kind_bits(info.param1));
          } else {
            generic(2, 0xffff, kind_bits(info.param2, info.param1));
          }
        } else {
          // memarg: a flags byte within the access size (so no memory index), a short offset (its
          // value always fits a 32-bit memory).
          if (!memory0_is_i32 || unary != has_result) break;
          if (unary) {
            generic(1, 0x00ff, kind_bits(ValKind::I32));
          } else {
            generic(2, 0xffff, kind_bits(info.param2, ValKind::I32));
          }
          leb(5);  // the flags byte, an offset of up to four bytes
          fast.leb_mask = 0;
          fast.memarg_mask = 0x0f;
          fast.max_align = 0;
          while ((1u << fast.max_align) < info.natural) ++fast.max_align;
        }
        if (has_result) pushes(info.result);
        break;
      }
    }
  }
  init_kind_slots(local_slots_, local_set_kinds_);
  init_kind_slots(global_slots_, global_set_kinds_);
  for (uint32_t g = 0; g < module_.num_globals(); ++g) {
    const GlobalType& global = module_.global_type(g);
    global_slots_.push_back(global.type);
    global_set_kinds_.push_back(set_kind(global.type, global.is_mutable));
  }
}

bool FuncValidator::fail(std::string message) {
  error_ = Error{};
  error_.message = std::move(message);
  error_.offset = current_offset_;
  error_.func = func_index_;
  error_.kind = ErrorKind::Invalid;
  return false;
}

bool FuncValidator::fail_malformed(std::string message) {
  fail(std::move(message));
  error_.kind = ErrorKind::Malformed;
  return false;
}

bool FuncValidator::type_mismatch(ValType expected, ValType actual) {
  return fail("type mismatch: expected " + to_string(expected) + ", got " + type_name(actual) +
              " (" + std::string(op_text(current_op_)) + ")");
}

bool FuncValidator::begin_function(uint32_t func_index, const FunctionBody& body) {
  started_ = false;
  func_index_ = func_index;
  current_offset_ = body.offset;
  current_op_ = Opcode::Nop;
  vals_.clear();
  ctrls_.clear();
  local_ends_.clear();
  init_kind_slots(local_slots_, local_set_kinds_);
  params_ = {};
  declared_local_count_ = 0;
  local_decls_ = &body.locals;
  if (func_index >= module_.num_funcs()) {
    return fail("unknown function " + std::to_string(func_index));
  }
  type_index_ = module_.func_type_index(func_index);
  if (!check_type_index(type_index_)) return false;
  params_ = module_.types[type_index_].params;

  uint64_t total = 0;
  for (const LocalDecl& decl : body.locals) {
    if (decl.type.is_ref() && decl.type.heap.is_index() &&
        decl.type.heap.value >= module_.types.size()) {
      return fail("unknown type " + std::to_string(decl.type.heap.value));
    }
    total += decl.count;
    local_ends_.push_back(total);
  }
  // The decoder checked these for a binary module; a text one is checked here.
  if (params_.size() + total > limit_value(Limit::FunctionLocals)) {
    return fail("too many locals: " + limit_error(Limit::FunctionLocals));
  }
  if (body.code.size() > limit_value(Limit::FunctionBodyBytes)) {
    return fail(limit_error(Limit::FunctionBodyBytes));
  }
  declared_local_count_ = total;
  if (!begin_local_inits(body)) return false;
  // A flat list of local types makes local.get one load; build it only when it is not much longer
  // than the body, so that huge local declarations keep validation linear in the input size.
  if (params_.size() + total <= std::max<uint64_t>(1024, body.code.size())) {
    local_slots_.insert(local_slots_.end(), params_.begin(), params_.end());
    for (const LocalDecl& decl : body.locals)
      local_slots_.insert(local_slots_.end(), decl.count, decl.type);
    for (size_t i = kKindSlots; i < local_slots_.size(); ++i) {
      local_set_kinds_.push_back(set_kind(local_slots_[i]));
    }
  }

  started_ = true;
  FrameSig sig;
  sig.kind = FrameSig::Kind::Function;
  sig.type_index = type_index_;
  push_ctrl(Opcode::Block, sig);
  return true;
}

void FuncValidator::init_kind_slots(std::vector<ValType>& slots, std::vector<uint8_t>& set_kinds) {
  slots.clear();
  set_kinds.clear();
  for (size_t kind = 0; kind < kKindSlots; ++kind) {
    slots.push_back(static_cast<ValKind>(kind));
    set_kinds.push_back(kNotSettable);
  }
}

ValType FuncValidator::local_type(uint32_t index) const {
  if (kKindSlots + size_t{index} < local_slots_.size()) return local_slots_[kKindSlots + index];
  if (index < params_.size()) return params_[index];
  // Declared locals come in runs; find the run by binary search over the prefix sums rather than
  // expanding up to tens of thousands of entries per function.
  const uint64_t local = index - params_.size();
  auto it = std::upper_bound(local_ends_.begin(), local_ends_.end(), local);
  return (*local_decls_)[it - local_ends_.begin()].type;
}

std::span<const ValType> FuncValidator::sig_params(const FrameSig& sig) const {
  if (sig.kind == FrameSig::Kind::Index) return module_.types[sig.type_index].params;
  return {};
}

std::span<const ValType> FuncValidator::sig_results(const FrameSig& sig) const {
  switch (sig.kind) {
    case FrameSig::Kind::Empty:
      return {};
    case FrameSig::Kind::Value:
      return std::span<const ValType>(&sig.value, 1);
    case FrameSig::Kind::Index:
    case FrameSig::Kind::Function:
      return module_.types[sig.type_index].results;
  }
  return {};
}

// ---- Stack primitives --------------------------------------------------------------------------

bool FuncValidator::pop_any(ValType& out) {
  const ControlFrame& frame = ctrls_.back();
  if (vals_.size() == frame.height) {
    if (frame.unreachable) {
      out = kUnknownType;
      return true;
    }
    return fail("type mismatch: expected a value, got nothing (" +
                std::string(op_text(current_op_)) + ")");
  }
  out = vals_.back();
  vals_.pop_back();
  return true;
}

bool FuncValidator::pop_expect(ValType expected) {
  const ControlFrame& frame = ctrls_.back();
  if (vals_.size() == frame.height) {
    if (frame.unreachable) return true;
    return fail("type mismatch: expected " + to_string(expected) + ", got nothing (" +
                std::string(op_text(current_op_)) + ")");
  }
  const ValType actual = vals_.back();
  vals_.pop_back();
  if (!matches(actual, expected)) return type_mismatch(expected, actual);
  return true;
}

bool FuncValidator::pop_all(std::span<const ValType> types) {
  for (size_t i = types.size(); i-- > 0;) {
    if (!pop_expect(types[i])) return false;
  }
  return true;
}

bool FuncValidator::check_top(std::span<const ValType> types) {
  const ControlFrame& frame = ctrls_.back();
  const size_t available = vals_.size() - frame.height;
  for (size_t i = 0; i < types.size(); ++i) {
    const ValType expected = types[types.size() - 1 - i];
    if (i >= available) {
      if (frame.unreachable) return true;  // the rest comes from the polymorphic bottom
      return fail("type mismatch: expected " + to_string(expected) + ", got nothing (" +
                  std::string(op_text(current_op_)) + ")");
    }
    const ValType actual = vals_[vals_.size() - 1 - i];
    if (!matches(actual, expected)) return type_mismatch(expected, actual);
  }
  return true;
}

void FuncValidator::push_ctrl(Opcode op, const FrameSig& sig) {
  ctrls_.push_back(ControlFrame{op, sig, static_cast<uint32_t>(vals_.size()), false,
                                static_cast<uint32_t>(local_inits_.size())});
}

bool FuncValidator::pop_ctrl(ControlFrame& out) {
  const ControlFrame& frame = ctrls_.back();
  if (!pop_all(sig_results(frame.sig))) return false;
  if (vals_.size() != frame.height) {
    const size_t extra = vals_.size() - frame.height;
    return fail("type mismatch: " + std::to_string(extra) + " extra value" +
                (extra == 1 ? "" : "s") + " at end of block, top is " + type_name(vals_.back()) +
                " (" + std::string(op_text(current_op_)) + ")");
  }
  out = frame;
  reset_local_inits(frame.init_height);
  ctrls_.pop_back();
  return true;
}

void FuncValidator::set_unreachable() {
  ControlFrame& frame = ctrls_.back();
  vals_.resize(frame.height);
  frame.unreachable = true;
}

// ---- Immediate checks --------------------------------------------------------------------------

bool FuncValidator::check_memory(uint32_t memory) {
  if (memory < module_.num_memories()) return true;
  return fail("unknown memory " + std::to_string(memory));
}

bool FuncValidator::check_table(uint32_t table) {
  if (table < module_.num_tables()) return true;
  return fail("unknown table " + std::to_string(table));
}

bool FuncValidator::check_type_index(uint32_t type_index) {
  // Block types, call_indirect and functions name function types (GC adds structs and arrays).
  if (type_index < module_.types.size()) {
    if (module_.is_func_type(type_index)) return true;
    return fail("type mismatch: type " + std::to_string(type_index) + " is not a function type");
  }
  return fail("unknown type " + std::to_string(type_index));
}

bool FuncValidator::check_func(uint32_t func) {
  if (func < module_.num_funcs()) return true;
  return fail("unknown function " + std::to_string(func));
}

bool FuncValidator::check_data(uint32_t data) {
  // memory.init and data.drop are only allowed with a data count section (so that single-pass
  // validation knows the number of segments before the code section).
  // The index is checked first so that a module without any data reports the unknown segment.
  const size_t count = module_.data_count.value_or(module_.datas.size());
  if (data >= count) return fail("unknown data segment " + std::to_string(data));
  if (!module_.data_count) return fail_malformed("data count section required");
  return true;
}

bool FuncValidator::check_elem(uint32_t elem) {
  if (elem < module_.elems.size()) return true;
  return fail("unknown elem segment " + std::to_string(elem));
}

bool FuncValidator::check_heap_type(HeapType heap) {
  if (!heap.is_index() || heap.value < module_.types.size()) return true;
  return fail("unknown type " + std::to_string(heap.value));
}

bool FuncValidator::read_frame_sig(const BlockType& block, FrameSig& out) {
  switch (block.kind) {
    case BlockType::Kind::Empty:
      out.kind = FrameSig::Kind::Empty;
      return true;
    case BlockType::Kind::Value:
      out.kind = FrameSig::Kind::Value;
      out.value = block.value;
      return !block.value.is_ref() || check_heap_type(block.value.heap);
    case BlockType::Kind::Index:
      out.kind = FrameSig::Kind::Index;
      out.type_index = block.index;
      return check_type_index(block.index);
  }
  return fail("invalid block type");
}

ValType FuncValidator::memory_address_type(uint32_t memory) const {
  return module_.memory_type(memory).limits.is64 ? ValKind::I64 : ValKind::I32;
}

ValType FuncValidator::table_address_type(uint32_t table) const {
  return module_.table_type(table).limits.is64 ? ValKind::I64 : ValKind::I32;
}

// ---- Instructions ------------------------------------------------------------------------------

bool FuncValidator::fail_stack_height() {
  return fail(limit_error(Limit::OperandStackHeight));
}

bool FuncValidator::step_instr(const Instr& instr, std::span<const uint32_t> br_targets,
                               std::span<const ValType> select_types) {
  current_op_ = instr.op;
  current_offset_ = instr.offset;
  if (ctrls_.empty()) {
    if (!started_) return fail("no function started");
    return fail_malformed("operators remaining after end of function");
  }
  const OpInfo& info = op_info(instr.op);
  if (info.simple) return step_simple(instr, info);

  switch (instr.op) {
    case Opcode::Unreachable:
    case Opcode::Nop:
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If:
    case Opcode::Else:
    case Opcode::End:
    case Opcode::Br:
    case Opcode::BrIf:
    case Opcode::BrTable:
    case Opcode::Return:
      return step_control(instr, br_targets);

    case Opcode::Call:
    case Opcode::CallIndirect:
    case Opcode::ReturnCall:
    case Opcode::ReturnCallIndirect:
      return step_call(instr);

    case Opcode::Drop: {
      ValType ignored;
      return pop_any(ignored);
    }
    case Opcode::Select:
    case Opcode::SelectT:
      return step_select(instr, select_types);

    case Opcode::LocalGet:
    case Opcode::LocalSet:
    case Opcode::LocalTee:
    case Opcode::GlobalGet:
    case Opcode::GlobalSet:
      return step_variable(instr);

    case Opcode::TableGet:
    case Opcode::TableSet:
    case Opcode::TableSize:
    case Opcode::TableGrow:
    case Opcode::TableFill:
    case Opcode::TableCopy:
    case Opcode::TableInit:
    case Opcode::ElemDrop:
      return step_table(instr);

    case Opcode::MemorySize:
    case Opcode::MemoryGrow:
    case Opcode::MemoryFill:
    case Opcode::MemoryCopy:
    case Opcode::MemoryInit:
    case Opcode::DataDrop:
      return step_memory(instr);

    case Opcode::Try:
    case Opcode::Catch:
    case Opcode::Throw:
    case Opcode::Rethrow:
    case Opcode::ThrowRef:
    case Opcode::Delegate:
    case Opcode::CatchAll:
    case Opcode::TryTable:
      return step_exceptions(instr);

    case Opcode::RefNull:
      if (!check_heap_type(instr.heap)) return false;
      push(ValType::ref(instr.heap, true));
      return true;
    case Opcode::RefIsNull: {
      ValType operand;
      if (!pop_any(operand)) return false;
      if (!is_unknown(operand) && !operand.is_ref()) {
        return fail("type mismatch: expected a reference, got " + to_string(operand) +
                    " (ref.is_null)");
      }
      push(ValKind::I32);
      return true;
    }
    case Opcode::CallRef:
    case Opcode::ReturnCallRef:
    case Opcode::RefAsNonNull:
    case Opcode::BrOnNull:
    case Opcode::BrOnNonNull:
      return step_typed_ref(instr);
    case Opcode::RefFunc: {
      if (!check_func(instr.index)) return false;
      if (!declared_refs_[instr.index]) return fail("undeclared function reference");
      // With typed function references ref.func has the exact (non-null) type.
      if (features_.has(Feature::FunctionReferences)) {
        push(ValType::ref(HeapType::index(module_.func_type_index(instr.index)), false));
      } else {
        push(ValType::funcref());
      }
      return true;
    }
    case Opcode::I64Add128:  // wide-arithmetic: [i64 i64 i64 i64] / [i64 i64] -> [i64 i64]
    case Opcode::I64Sub128:
    case Opcode::I64MulWideS:
    case Opcode::I64MulWideU: {
      const bool wide_operands = instr.op == Opcode::I64Add128 || instr.op == Opcode::I64Sub128;
      for (int i = wide_operands ? 4 : 2; i > 0; --i) {
        if (!pop_expect(ValKind::I64)) return false;
      }
      push(ValKind::I64);
      push(ValKind::I64);
      return true;
    }
    default:
      break;
  }
  return fail("instruction not supported by the validator (" + std::string(info.text) + ")");
}

// Every instruction whose typing is fixed by the opcode table: check its immediates, pop the
// operands, push the result.
bool FuncValidator::step_simple(const Instr& instr, const OpInfo& info) {
  ValType param1 = info.param1;
  switch (info.imm) {
    case ImmKind::MemArg:
    case ImmKind::MemArgLane: {
      const MemArg& mem = instr.mem;
      if (!check_memory(mem.memory)) return false;
      // 2^align must not exceed the access size; compare exponents so huge encodings can't
      // overflow a shift.
      uint32_t natural_log2 = 0;
      while ((1u << natural_log2) < info.natural) ++natural_log2;
      if (mem.align > natural_log2) return fail("alignment must not be larger than natural");
      const ValType address = memory_address_type(mem.memory);
      if (address.kind == ValKind::I32 && mem.offset > UINT32_MAX) {
        return fail("offset out of range");
      }
      if (info.imm == ImmKind::MemArgLane && instr.lane >= 16 / info.natural) {
        return fail("invalid lane index");
      }
      param1 = address;  // the table lists i32; memory64 addresses are i64
      break;
    }
    case ImmKind::Lane:
      if (instr.lane >= info.natural) return fail("invalid lane index");
      break;
    case ImmKind::Shuffle:
      for (uint8_t lane : instr.v128) {
        if (lane >= 32) return fail("invalid lane index");
      }
      break;
    default:
      break;
  }
  if (info.param3 != ValKind::Void && !pop_expect(info.param3)) return false;
  if (info.param2 != ValKind::Void && !pop_expect(info.param2)) return false;
  if (param1.kind != ValKind::Void && !pop_expect(param1)) return false;
  if (info.result != ValKind::Void) push(info.result);
  return true;
}

bool FuncValidator::step_control(const Instr& instr, std::span<const uint32_t> br_targets) {
  switch (instr.op) {
    case Opcode::Unreachable:
      set_unreachable();
      return true;
    case Opcode::Nop:
      return true;

    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      // The function's own frame is not a nesting level.
      if (ctrls_.size() > kMaxNesting) return fail(limit_error(Limit::ControlNesting));
      FrameSig sig;
      if (!read_frame_sig(instr.block, sig)) return false;
      if (instr.op == Opcode::If && !pop_expect(ValKind::I32)) return false;
      const std::span<const ValType> params = sig_params(sig);
      if (!pop_all(params)) return false;
      push_ctrl(instr.op, sig);
      push_all(params);
      return true;
    }

    case Opcode::Else: {
      ControlFrame frame;
      if (!pop_ctrl(frame)) return false;
      if (frame.op != Opcode::If) return fail("else without matching if");
      push_ctrl(Opcode::Else, frame.sig);
      push_all(sig_params(frame.sig));
      return true;
    }

    case Opcode::End: {
      ControlFrame frame;
      if (!pop_ctrl(frame)) return false;
      if (frame.op == Opcode::If) {
        // `if` without `else` has an implicit empty else branch, which must turn the params into
        // the results: type-check exactly that.
        push_ctrl(Opcode::Else, frame.sig);
        push_all(sig_params(frame.sig));
        if (!pop_ctrl(frame)) return false;
      }
      push_all(sig_results(frame.sig));
      return true;
    }

    case Opcode::Br: {
      if (instr.index >= ctrls_.size()) return fail("unknown label");
      if (!pop_all(label_types(control(instr.index)))) return false;
      set_unreachable();
      return true;
    }

    case Opcode::BrIf: {
      if (instr.index >= ctrls_.size()) return fail("unknown label");
      if (!pop_expect(ValKind::I32)) return false;
      const std::span<const ValType> types = label_types(control(instr.index));
      if (!pop_all(types)) return false;
      push_all(types);
      return true;
    }

    case Opcode::BrTable: {
      if (br_targets.size() > limit_value(Limit::BrTableTargets)) {
        return fail(limit_error(Limit::BrTableTargets));
      }
      if (!pop_expect(ValKind::I32)) return false;
      if (instr.index >= ctrls_.size()) return fail("unknown label");
      const std::span<const ValType> default_types = label_types(control(instr.index));
      // Labels of one block type share its result list, and the stack does not change in this
      // loop: each list is checked once, so a million targets cost no more than one with it.
      br_table_checked_.clear();
      for (uint32_t target : br_targets) {
        if (target >= ctrls_.size()) return fail("unknown label");
        const std::span<const ValType> types = label_types(control(target));
        if (types.size() != default_types.size()) {
          return fail("type mismatch: br_table targets have different arities (" +
                      std::to_string(types.size()) + " and " +
                      std::to_string(default_types.size()) + ")");
        }
        if (types.size() > 1 && !br_table_checked_.insert(types.data()).second) continue;
        if (!check_top(types)) return false;
      }
      if (!pop_all(default_types)) return false;
      set_unreachable();
      return true;
    }

    case Opcode::Return: {
      if (!pop_all(sig_results(ctrls_.front().sig))) return false;
      set_unreachable();
      return true;
    }
    default:
      break;
  }
  return fail("internal: not a control instruction");
}

bool FuncValidator::step_call(const Instr& instr) {
  const bool indirect = instr.op == Opcode::CallIndirect || instr.op == Opcode::ReturnCallIndirect;
  uint32_t callee_type = 0;
  if (indirect) {
    if (!check_table(instr.index2)) return false;
    const TableType& table = module_.table_type(instr.index2);
    if (!types_.matches(table.elem, ValType::funcref())) {
      return fail("type mismatch: " + std::string(op_text(instr.op)) +
                  " needs a funcref table, table " + std::to_string(instr.index2) + " holds " +
                  to_string(table.elem));
    }
    if (!check_type_index(instr.index)) return false;
    callee_type = instr.index;
    if (!pop_expect(table_address_type(instr.index2))) return false;
  } else {
    if (!check_func(instr.index)) return false;
    callee_type = module_.func_type_index(instr.index);
    if (!check_type_index(callee_type)) return false;
  }
  const FuncType& callee = module_.types[callee_type];
  if (!pop_all(callee.params)) return false;

  if (instr.op == Opcode::Call || instr.op == Opcode::CallIndirect) {
    push_all(callee.results);
    return true;
  }
  // Tail calls: the callee's results become the caller's.
  const std::span<const ValType> own = module_.types[type_index_].results;
  bool same = callee.results.size() == own.size();
  for (size_t i = 0; same && i < own.size(); ++i) {
    same = types_.matches(callee.results[i], own[i]);
  }
  if (!same) {
    return fail("type mismatch: " + std::string(op_text(instr.op)) + " callee returns " +
                to_string(callee) + ", caller returns " +
                to_string(FuncType{{}, module_.types[type_index_].results}));
  }
  set_unreachable();
  return true;
}

bool FuncValidator::step_select(const Instr& instr, std::span<const ValType> select_types) {
  if (instr.op == Opcode::SelectT) {
    if (select_types.size() != 1) return fail("invalid result arity");
    const ValType type = select_types[0];
    if (type.is_ref() && !check_heap_type(type.heap)) return false;
    if (!pop_expect(ValKind::I32) || !pop_expect(type) || !pop_expect(type)) return false;
    push(type);
    return true;
  }
  ValType first, second;
  if (!pop_expect(ValKind::I32) || !pop_any(first) || !pop_any(second)) return false;
  // Untyped select only takes numbers or vectors (the spec's is_num/is_vec accept Unknown).
  auto num = [](ValType t) { return is_unknown(t) || t.is_num(); };
  auto vec = [](ValType t) { return is_unknown(t) || t.is_vec(); };
  if (!((num(first) && num(second)) || (vec(first) && vec(second)))) {
    const ValType shown = is_unknown(first) || first.is_num() || first.is_vec() ? second : first;
    return fail(
        "type mismatch: select without a type annotation needs numeric or vector "
        "operands, got " +
        type_name(shown) + " (select)");
  }
  if (!is_unknown(first) && !is_unknown(second) && !(first == second)) {
    return type_mismatch(first, second);
  }
  push(is_unknown(first) ? second : first);
  return true;
}

bool FuncValidator::step_variable(const Instr& instr) {
  const uint32_t index = instr.index;
  switch (instr.op) {
    case Opcode::LocalGet:
    case Opcode::LocalSet:
    case Opcode::LocalTee: {
      if (index >= local_count()) return fail("unknown local " + std::to_string(index));
      const ValType type = local_type(index);
      if (instr.op == Opcode::LocalGet) {
        if (!local_unset_.empty() && local_unset_[index]) return fail("uninitialized local");
        push(type);
        return true;
      }
      if (!pop_expect(type)) return false;
      if (!local_unset_.empty()) set_local_init(index);
      if (instr.op == Opcode::LocalTee) push(type);
      return true;
    }
    case Opcode::GlobalGet:
    case Opcode::GlobalSet: {
      if (index >= module_.num_globals()) return fail("unknown global " + std::to_string(index));
      const GlobalType& global = module_.global_type(index);
      if (instr.op == Opcode::GlobalGet) {
        push(global.type);
        return true;
      }
      if (!global.is_mutable) return fail("global is immutable");
      return pop_expect(global.type);
    }
    default:
      break;
  }
  return fail("internal: not a variable instruction");
}

bool FuncValidator::step_table(const Instr& instr) {
  const uint32_t table = instr.index;
  switch (instr.op) {
    case Opcode::TableGet:
    case Opcode::TableSet:
    case Opcode::TableSize:
    case Opcode::TableGrow:
    case Opcode::TableFill: {
      if (!check_table(table)) return false;
      const ValType elem = module_.table_type(table).elem;
      const ValType address = table_address_type(table);
      switch (instr.op) {
        case Opcode::TableGet:
          if (!pop_expect(address)) return false;
          push(elem);
          return true;
        case Opcode::TableSet:
          return pop_expect(elem) && pop_expect(address);
        case Opcode::TableSize:
          push(address);
          return true;
        case Opcode::TableGrow:
          if (!pop_expect(address) || !pop_expect(elem)) return false;
          push(address);
          return true;
        default:  // TableFill: [address, value, count]
          return pop_expect(address) && pop_expect(elem) && pop_expect(address);
      }
    }
    case Opcode::TableCopy: {
      const uint32_t dest = instr.index, source = instr.index2;
      if (!check_table(dest) || !check_table(source)) return false;
      const TableType& dest_type = module_.table_type(dest);
      const TableType& source_type = module_.table_type(source);
      if (!types_.matches(source_type.elem, dest_type.elem)) {
        return type_mismatch(dest_type.elem, source_type.elem);
      }
      const ValType dest_address = table_address_type(dest);
      const ValType source_address = table_address_type(source);
      // The count is an i64 only when both tables are 64-bit.
      const ValType count = dest_address.kind == ValKind::I64 && source_address.kind == ValKind::I64
                                ? ValType(ValKind::I64)
                                : ValType(ValKind::I32);
      return pop_expect(count) && pop_expect(source_address) && pop_expect(dest_address);
    }
    case Opcode::TableInit: {
      const uint32_t elem = instr.index, dest = instr.index2;
      if (!check_table(dest) || !check_elem(elem)) return false;
      const ValType table_elem = module_.table_type(dest).elem;
      const ValType seg_type = module_.elems[elem].type;
      if (!types_.matches(seg_type, table_elem)) return type_mismatch(table_elem, seg_type);
      return pop_expect(ValKind::I32) && pop_expect(ValKind::I32) &&
             pop_expect(table_address_type(dest));
    }
    case Opcode::ElemDrop:
      return check_elem(instr.index);
    default:
      break;
  }
  return fail("internal: not a table instruction");
}

bool FuncValidator::step_memory(const Instr& instr) {
  switch (instr.op) {
    case Opcode::MemorySize: {
      if (!check_memory(instr.index)) return false;
      push(memory_address_type(instr.index));
      return true;
    }
    case Opcode::MemoryGrow: {
      if (!check_memory(instr.index)) return false;
      const ValType address = memory_address_type(instr.index);
      if (!pop_expect(address)) return false;
      push(address);
      return true;
    }
    case Opcode::MemoryFill: {
      if (!check_memory(instr.index)) return false;
      const ValType address = memory_address_type(instr.index);
      return pop_expect(address) && pop_expect(ValKind::I32) && pop_expect(address);
    }
    case Opcode::MemoryCopy: {
      const uint32_t dest = instr.index, source = instr.index2;
      if (!check_memory(dest) || !check_memory(source)) return false;
      const ValType dest_address = memory_address_type(dest);
      const ValType source_address = memory_address_type(source);
      const ValType count = dest_address.kind == ValKind::I64 && source_address.kind == ValKind::I64
                                ? ValType(ValKind::I64)
                                : ValType(ValKind::I32);
      return pop_expect(count) && pop_expect(source_address) && pop_expect(dest_address);
    }
    case Opcode::MemoryInit: {
      if (!check_memory(instr.index2) || !check_data(instr.index)) return false;
      return pop_expect(ValKind::I32) && pop_expect(ValKind::I32) &&
             pop_expect(memory_address_type(instr.index2));
    }
    case Opcode::DataDrop:
      return check_data(instr.index);
    default:
      break;
  }
  return fail("internal: not a memory instruction");
}

bool FuncValidator::finish(size_t end_offset) {
  if (!started_) return false;
  if (!ctrls_.empty()) {
    current_offset_ = end_offset;
    current_op_ = Opcode::End;
    return fail_malformed("END opcode expected");
  }
  return true;
}

// ---- Fast path ---------------------------------------------------------------------------------

namespace {

// GCC's cross-jumping merges the handlers' identical dispatch tails into a few shared jumps,
// which the branch predictor then sees as fewer, less predictable ones; keep one per handler
// (the interpreter is built with -fno-gcse for a similar reason).
#if defined(__GNUC__) && !defined(__clang__)
#define LOOM_THREADED_DISPATCH __attribute__((optimize("no-crossjumping")))
#else
#define LOOM_THREADED_DISPATCH
#endif

// How far past an instruction's opcode byte the fast path may read before it knows the
// instruction's length (an 8-byte word from just after the opcode, or from one byte later).
constexpr size_t kLookahead = 16;

// The length of the LEB128 at `q` if it has at most `max` (<= 8) bytes, else 0. Reads 8 bytes
// without a branch per byte: the first byte without the continuation bit, found in one word.
inline size_t short_leb_length(const uint8_t* q, size_t max) {
  if constexpr (std::endian::native == std::endian::little) {
    uint64_t word;
    std::memcpy(&word, q, sizeof word);
    const uint64_t ends = ~word & 0x8080808080808080ull;
    const size_t length = ends == 0 ? 0 : static_cast<size_t>(std::countr_zero(ends) / 8 + 1);
    return length <= max ? length : 0;
  }
  for (size_t i = 0; i < max; ++i) {
    if (q[i] < 0x80) return i + 1;
  }
  return 0;
}

// A LEB128 u32 of at most four bytes (so always well-formed and in range) at `q`; returns its
// length, or 0 for a longer encoding. One and two bytes, the common index sizes, come first.
inline size_t short_u32(const uint8_t* q, uint32_t& out) {
  if (q[0] < 0x80) {
    out = q[0];
    return 1;
  }
  if (q[1] < 0x80) {
    out = (q[0] & 0x7fu) | uint32_t{q[1]} << 7;
    return 2;
  }
  const size_t length = short_leb_length(q, 4);
  uint32_t value = 0;
  for (size_t i = 0; i < length; ++i) value |= uint32_t{q[i] & 0x7fu} << (7 * i);
  out = value;
  return length;
}

// Fast-path block types by their byte: the numeric value type's kind, Void (0) for the empty
// type, kNoBlockKind for everything else (reference and vector types, type indices).
constexpr uint8_t kNoBlockKind = 0xff;
constexpr std::array<uint8_t, 256> kBlockKinds = [] {
  std::array<uint8_t, 256> kinds{};
  kinds.fill(kNoBlockKind);
  kinds[0x40] = static_cast<uint8_t>(ValKind::Void);
  kinds[0x7f] = static_cast<uint8_t>(ValKind::I32);
  kinds[0x7e] = static_cast<uint8_t>(ValKind::I64);
  kinds[0x7d] = static_cast<uint8_t>(ValKind::F32);
  kinds[0x7c] = static_cast<uint8_t>(ValKind::F64);
  return kinds;
}();

// For a frame with an empty or single numeric result (Empty and Value signatures): whether
// exactly its results are left above `base`. Compares without branching on the signature kind
// (the slot below `base` always exists, see TypeStack).
inline bool plain_frame_results_match(const ControlFrame& frame, const ValType* base,
                                      const ValType* top) {
  const ptrdiff_t results = frame.sig.kind == FrameSig::Kind::Value ? 1 : 0;
  const ValKind result = frame.sig.value.kind;
  return static_cast<unsigned>(top - base == results) &
         static_cast<unsigned>(results == 0 || (top[-1].kind == result && result != ValKind::Ref));
}

}  // namespace

// Only what is certainly valid is handled here, and an instruction is left untouched until that
// is known: any doubt (long LEB128s, polymorphic or mismatched operands, reference types, typed
// block signatures) stops the run and the general path decides, with its error messages.
// The stack top and the innermost frame's base are pointers in registers, and a handler advances
// `p` only once the instruction is accepted (so stopping needs no bookkeeping).
//
// Which instruction comes next is hard to predict in real code, so most instructions (Generic)
// are validated by one branch-free sequence driven by their FastOp: every immediate layout's
// length is computed and the right one selected, the two top operand kinds are compared at once
// under a mask, and a single, rarely taken branch leaves for the slow path. Control and call
// instructions have their own handlers, each ending in its own indirect jump.
LOOM_THREADED_DISPATCH const uint8_t* FuncValidator::fast_run(const uint8_t* p,
                                                              const uint8_t* const end,
                                                              const uint8_t* const readable_end) {
  if (ctrls_.empty()) return p;
  static const void* const kHandlers[] = {
      &&L_Slow, &&L_Generic, &&L_Block, &&L_Loop, &&L_If,
      &&L_Else, &&L_End,     &&L_BrIf,  &&L_Call, &&L_CallIndirect,
  };
  static_assert(std::size(kHandlers) == static_cast<size_t>(FastKind::Count_));

  // Instructions starting at or after `stop` are left to the general path: the last few bytes
  // of the module, where the lookahead would run past the buffer.
  const uint8_t* stop = end;
  if (static_cast<size_t>(readable_end - end) < kLookahead) {
    const size_t cut = kLookahead - static_cast<size_t>(readable_end - end);
    stop = static_cast<size_t>(end - p) > cut ? end - cut : p;
  }

  const FastOp* const ops = fast_ops_.data();
  struct VariableView {
    const ValType* types;
    const uint8_t* set_kinds;
    size_t count;
  };
  const VariableView variable_views[] = {
      // indexed by FastOp::array
      {local_slots_.data(), local_set_kinds_.data(), local_slots_.size()},
      {global_slots_.data(), global_set_kinds_.data(), global_slots_.size()}};
  ValType* stack = vals_.data();
  ValType* top = stack + vals_.size();  // one past the top value
  ValType* limit = stack + vals_.capacity();
  ControlFrame* frame = &ctrls_.back();
  ValType* base = stack + frame->height;  // the innermost frame's first operand

  const FastOp* op = nullptr;
  uint32_t index = 0;
  size_t length = 0;  // of the immediates
  size_t needed = 0;  // free slots L_Grow makes
  const FuncType* callee = nullptr;
  size_t extra_operands = 0;  // call_indirect's table index, above the callee's params
  uint8_t block_kind = 0;
  Opcode block_op = Opcode::Block;

// clang-format off
#define LOOM_FAST_NEXT()                              \
  do {                                                \
    if (p >= stop) goto L_Stop;                       \
    op = &ops[*p];                                    \
    if (op->kind == FastKind::Generic) goto L_Generic;\
    goto* kHandlers[static_cast<size_t>(op->kind)];   \
  } while (0)
  // clang-format on

  LOOM_FAST_NEXT();

L_Grow : {  // then runs the same instruction again
  const size_t size = static_cast<size_t>(top - stack);
  const size_t height = static_cast<size_t>(base - stack);
  if (size + needed > limit_value(Limit::OperandStackHeight)) goto L_Slow;  // step() fails it
  vals_.set_size(size);
  vals_.reserve(size + needed);
  stack = vals_.data();
  top = stack + size;
  base = stack + height;
  limit = stack + vals_.capacity();
  LOOM_FAST_NEXT();
}

L_Generic : {
  // Masks rather than conditions throughout, so that the compiler emits no branch per opcode.
  // Where the LEB128 after the opcode ends (for a memarg, the offset after the flags byte): at
  // the first byte without the continuation bit; 8 also stands for later.
  uint64_t word;
  std::memcpy(&word, p + 1, sizeof word);
  constexpr uint64_t kStopBits = 0x8080808080808080ull, kLastBit = uint64_t{1} << 63;
  // Both candidate lengths (plain LEB128, memarg) come from the bytes alone, so that only a mask
  // and an add wait for the FastOp load: `p` is the loop's critical dependency chain.
  const uint64_t stops = (~word & kStopBits) | kLastBit;
  const size_t plain_length = static_cast<size_t>(std::countr_zero(stops)) / 8 + 1;
  const size_t memarg_length =
      static_cast<size_t>(std::countr_zero(stops & ~uint64_t{0x80})) / 8 + 1;
  const size_t leb_length = (plain_length & op->leb_mask) | (memarg_length & op->memarg_mask);
  const uint8_t* const next = p + 1 + op->fixed_length + leb_length;
  // The LEB128 as an index: its (at most two) 7-bit groups, the second only when it has two
  // (longer ones fail the leb_max check).
  const uint32_t second_group = static_cast<uint32_t>(word >> 1 & 0x3f80) &
                                static_cast<uint32_t>(-static_cast<int32_t>(leb_length > 1));
  const uint32_t variable = (static_cast<uint32_t>(word & 0x7f) | second_group) &
                            static_cast<uint32_t>(static_cast<int8_t>(op->index_mask));
  const VariableView& variables = variable_views[op->array];
  const size_t slot = op->slot + size_t{variable};
  const size_t safe_slot = slot < variables.count ? slot : 0;
  const unsigned variable_kind = variables.set_kinds[safe_slot] & op->variable_mask;
  const unsigned kinds =
      static_cast<uint8_t>(top[-1].kind) | unsigned{static_cast<uint8_t>(top[-2].kind)} << 8;
  const ptrdiff_t operand_bytes = reinterpret_cast<char*>(top) - reinterpret_cast<char*>(base);
  // Each check is a difference that is negative exactly when it fails, so one sign test covers
  // them all (fewer instructions than a flag per check, and no flags spilled to the stack).
  // A full operand stack fails too (the pushed type is written even when nothing is pushed):
  // the general path grows it, which happens a few times per module.
  using S = int64_t;
  const S fails = (S{op->leb_max} - S(leb_length)) | (S{op->max_align} - S{p[1]}) | S(end - next) |
                  (S(variables.count) - 1 - S(slot)) | (S(operand_bytes) - S{op->pop_bytes}) |
                  (S(limit - top) - 1) |
                  -S((kinds & op->pop_mask) ^ (op->expected | variable_kind));
  if (fails < 0) goto L_Slow;
  top = reinterpret_cast<ValType*>(reinterpret_cast<char*>(top) - op->pop_bytes);
  *top = variables.types[safe_slot];
  top += op->pushes;
  p = next;
  LOOM_FAST_NEXT();
}

  // Block types: empty or a numeric value type, in one byte (kBlockKinds); the frame is pushed
  // by L_PushFrame.
L_Block:
  block_kind = kBlockKinds[p[1]];
  if (block_kind == kNoBlockKind || end - p < 2 || ctrls_.size() > kMaxNesting) goto L_Slow;
  block_op = Opcode::Block;
  goto L_PushFrame;

L_Loop:
  block_kind = kBlockKinds[p[1]];
  if (block_kind == kNoBlockKind || end - p < 2 || ctrls_.size() > kMaxNesting) goto L_Slow;
  block_op = Opcode::Loop;
  goto L_PushFrame;

L_If:
  block_kind = kBlockKinds[p[1]];
  if (block_kind == kNoBlockKind || end - p < 2 || ctrls_.size() > kMaxNesting) goto L_Slow;
  if (top == base || top[-1].kind != ValKind::I32) goto L_Slow;
  --top;
  block_op = Opcode::If;
  goto L_PushFrame;

L_PushFrame : {
  FrameSig sig;
  sig.kind = block_kind == 0 ? FrameSig::Kind::Empty : FrameSig::Kind::Value;
  sig.value = static_cast<ValKind>(block_kind);
  base = top;
  ctrls_.push_back(ControlFrame{block_op, sig, static_cast<uint32_t>(base - stack), false});
  frame = &ctrls_.back();
  p += 2;
  LOOM_FAST_NEXT();
}

L_Else:
  if (frame->op != Opcode::If || frame->sig.kind > FrameSig::Kind::Value ||
      !plain_frame_results_match(*frame, base, top)) {
    goto L_Slow;
  }
  top = base;
  frame->op = Opcode::Else;
  frame->unreachable = false;
  ++p;
  LOOM_FAST_NEXT();

L_End : {
  if (frame->sig.kind > FrameSig::Kind::Value) goto L_EndOfTypedFrame;
  // An `if` without `else` is only valid when its (empty) params give its results.
  if (!plain_frame_results_match(*frame, base, top) ||
      (frame->op == Opcode::If && frame->sig.kind != FrameSig::Kind::Empty)) {
    goto L_Slow;
  }
  // The results stay on the stack as they are.
  ++p;
  ctrls_.pop_back();
  if (ctrls_.empty()) goto L_Done;
  frame = &ctrls_.back();
  base = stack + frame->height;
  LOOM_FAST_NEXT();
}

L_EndOfTypedFrame : {
  // Type-index signatures and the function's own frame: only a plain end, no params.
  if (frame->op == Opcode::If) goto L_Slow;
  const std::span<const ValType> results = sig_results(frame->sig);
  if (static_cast<size_t>(top - base) != results.size()) goto L_Slow;
  for (size_t i = 0; i < results.size(); ++i) {
    if (!(base[i] == results[i])) goto L_Slow;
  }
  ++p;
  ctrls_.pop_back();
  if (ctrls_.empty()) goto L_Done;
  frame = &ctrls_.back();
  base = stack + frame->height;
  LOOM_FAST_NEXT();
}

L_BrIf : {
  length = short_u32(p + 1, index);
  if (length == 0 || p + 1 + length > end) goto L_Slow;
  if (index >= static_cast<size_t>(frame - ctrls_.data()) + 1) goto L_Slow;
  if (top == base || top[-1].kind != ValKind::I32) goto L_Slow;
  const std::span<const ValType> types = label_types(frame[-static_cast<ptrdiff_t>(index)]);
  if (static_cast<size_t>(top - 1 - base) < types.size()) goto L_Slow;
  const ValType* operands = top - 1 - types.size();
  for (size_t i = 0; i < types.size(); ++i) {
    if (!(operands[i] == types[i])) goto L_Slow;
  }
  --top;
  p += 1 + length;
  LOOM_FAST_NEXT();
}

L_Call : {
  length = short_u32(p + 1, index);
  if (length == 0 || p + 1 + length > end || index >= module_.num_funcs()) goto L_Slow;
  const size_t imported = module_.imported_funcs.size();
  const uint32_t type_index = index < imported
                                  ? module_.imports[module_.imported_funcs[index]].func_type
                                  : module_.functions[index - imported];
  if (type_index >= module_.types.size()) goto L_Slow;
  callee = &module_.types[type_index];
  extra_operands = 0;
  goto L_CallOperands;
}

L_CallIndirect:
  // A type index, then table 0 as one zero byte; the table operand is an i32.
  length = short_u32(p + 1, index);
  if (length == 0 || p[1 + length] != 0) goto L_Slow;
  ++length;
  if (p + 1 + length > end || index >= module_.types.size()) goto L_Slow;
  if (top == base || top[-1].kind != ValKind::I32) goto L_Slow;
  callee = &module_.types[index];
  extra_operands = 1;
  goto L_CallOperands;

L_CallOperands : {
  const size_t param_count = callee->params.size();
  if (static_cast<size_t>(top - base) < param_count + extra_operands) goto L_Slow;
  ValType* const operands = top - extra_operands - param_count;
  for (size_t i = 0; i < param_count; ++i) {
    if (!(operands[i] == callee->params[i])) goto L_Slow;
  }
  const size_t result_count = callee->results.size();
  if (static_cast<size_t>(limit - operands) < result_count) {
    needed = result_count;
    goto L_Grow;
  }
  top = std::copy(callee->results.begin(), callee->results.end(), operands);
  p += 1 + length;
  LOOM_FAST_NEXT();
}

#undef LOOM_FAST_NEXT

L_Stop:
L_Slow:
L_Done:
  vals_.set_size(static_cast<size_t>(top - stack));
  return p;
}

bool FuncValidator::validate_body(uint32_t func_index, const FunctionBody& body) {
  if (!begin_function(func_index, body)) return false;
  if (body.code.end > module_.bytes.size() || body.code.begin > body.code.end) {
    return fail("function body out of range");
  }
  InstrReader in(module_.slice(body.code), body.code.begin, features_);
  Reader& reader = in.reader();
  const uint8_t* p = reader.cursor();
  const uint8_t* const end = p + reader.remaining();
  const uint8_t* const readable_end = module_.bytes.data() + module_.bytes.size();
  Instr instr;
  while (p < end) {
    // Non-defaultable locals need the initialisation tracking of step().
    if (local_unset_.empty()) p = fast_run(p, end, readable_end);
    if (p == end) break;
    // Everything else, and every error, goes through the general decoder and step().
    reader.advance(static_cast<size_t>(p - reader.cursor()));
    if (!in.next(instr)) {
      error_ = in.error();
      error_.func = func_index;
      error_.kind = ErrorKind::Malformed;
      return false;
    }
    if (!step(instr, in)) return false;
    p = reader.cursor();
  }
  reader.advance(static_cast<size_t>(p - reader.cursor()));
  return finish(in.offset());
}

}  // namespace loom
