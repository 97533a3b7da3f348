// The dispatch loop. Read code.hpp first for the operand layout and naming.
#include "interp/interpreter.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "interp/compiler.hpp"
#include "interp/handlers.hpp"
#include "interp/numeric.hpp"
#include "interp/simd.hpp"
#include "runtime/instance.hpp"

namespace loom::interp {

struct Interpreter::Frame {
  const uint8_t* return_pc;  // where the caller resumes (nullptr for a host entry)
  uint8_t* fp;
  const CompiledFunction* code;
  FunctionInst* func;
};

namespace {

using u32 = uint32_t;
using u64 = uint64_t;
using i32 = int32_t;
using i64 = int64_t;
using f32 = float;
using f64 = double;

template <typename T>
inline T rd(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename T>
inline void wr(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

// Filled by the first call of execute() with a null function (see handler_table()).
const void* g_handlers[kIOpCount];
bool g_implemented[kIOpCount];

uint32_t slot_width(ValType t) {
  return t.kind == ValKind::V128 ? 16 : 8;
}

// Copies slots (8 or 16 bytes each) into Values and back, for host calls.
void slots_to_values(const uint8_t* slots, std::span<const ValType> types, Value* out) {
  for (size_t i = 0; i < types.size(); ++i) {
    out[i] = default_value();
    std::memcpy(&out[i], slots, slot_width(types[i]));
    slots += slot_width(types[i]);
  }
}
void values_to_slots(const Value* values, std::span<const ValType> types, uint8_t* slots) {
  for (size_t i = 0; i < types.size(); ++i) {
    std::memcpy(slots, &values[i], slot_width(types[i]));
    slots += slot_width(types[i]);
  }
}

uint32_t module_offset_at(const CompiledFunction& code, const uint8_t* pc) {
  const uint32_t at = static_cast<uint32_t>(pc - code.code.data());
  auto it = std::upper_bound(code.source_map.begin(), code.source_map.end(), at,
                             [](uint32_t v, const SourceMapEntry& e) { return v < e.code_offset; });
  return it == code.source_map.begin() ? 0 : std::prev(it)->module_offset;
}

}  // namespace

const CompiledFunction* Interpreter::compiled_or_error(FunctionInst& func, std::string& error) {
  auto result = compiled(func);
  if (result) return *result;
  error = result.error().to_string();
  return nullptr;
}

bool Interpreter::call_host(Interpreter* self, FunctionInst& callee, uint8_t* args_at,
                            uint8_t* frame_end, std::string& error) {
  const FuncType& type = *callee.type;
  std::vector<Value> args(type.params.size()), results(type.results.size());
  slots_to_values(args_at, type.params, args.data());
  // A host function may call back into wasm: those frames go above the caller's frame.
  uint8_t* saved_top = self->stack_top_;
  self->stack_top_ = std::max(frame_end, args_at + 16 * (args.size() + results.size()));
  error = callee.host(args, results);
  self->stack_top_ = saved_top;
  if (!error.empty()) return false;
  values_to_slots(results.data(), type.results, args_at);
  return true;
}

Interpreter::Interpreter(const Features& features, InterpreterLimits limits)
    : features_(features), limits_(limits) {
  handler_table();  // make sure the table exists before any compile
  void* p = mmap(nullptr, limits_.stack_bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  stack_ = p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
  stack_top_ = stack_;
  void* frames = mmap(nullptr, limits_.max_call_depth * sizeof(Frame), PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  frames_ = frames == MAP_FAILED ? nullptr : static_cast<Frame*>(frames);
}

Interpreter::~Interpreter() {
  if (stack_) munmap(stack_, limits_.stack_bytes);
  if (frames_) munmap(frames_, limits_.max_call_depth * sizeof(Frame));
}

Result<const CompiledFunction*> Interpreter::compiled(FunctionInst& func) {
  if (func.code) return static_cast<const CompiledFunction*>(func.code);
  auto result = compile_function(func.instance->module(), features_, func.index);
  if (!result) return result.error();
  code_.push_back(std::make_unique<CompiledFunction>(std::move(*result)));
  func.code = code_.back().get();
  return code_.back().get();
}

std::optional<Trap> Interpreter::call(FunctionInst& func, std::span<const Value> args,
                                      std::span<Value> results) {
  const FuncType& type = *func.type;
  if (func.is_host()) {
    std::string error = func.host(args, results);
    if (error.empty()) return std::nullopt;
    return Trap{TrapKind::HostError, std::move(error), {}};
  }
  if (!stack_ || !frames_) {
    return Trap{TrapKind::CallStackExhausted, "cannot allocate the wasm stack", {}};
  }
  uint8_t* fp = stack_top_;
  size_t arg_bytes = 0, result_bytes = 0;
  for (ValType t : type.params) arg_bytes += slot_width(t);
  for (ValType t : type.results) result_bytes += slot_width(t);
  if (fp + std::max(arg_bytes, result_bytes) > stack_ + limits_.stack_bytes) {
    return Trap{
        TrapKind::CallStackExhausted, std::string(trap_message(TrapKind::CallStackExhausted)), {}};
  }
  values_to_slots(args.data(), type.params, fp);
  std::optional<Trap> trap = run(this, &func, fp);
  if (!trap) slots_to_values(fp, type.results, results.data());
  return trap;
}

const void* const* handler_table() {
  static const bool filled = [] {
    Interpreter::run(nullptr, nullptr, nullptr);  // fills g_handlers from the loop's labels
    return true;
  }();
  (void)filled;
  return g_handlers;
}

bool has_handler(IOp op) {
  handler_table();
  return g_implemented[static_cast<size_t>(op)];
}

// clang-format off
#define U32(i) rd<u32>(pc + 8 + 4 * (i))
#define S(i) (fp + U32(i))
#define DISPATCH() goto* rd<const void*>(pc)
#define NEXT(operand_bytes) do { pc += 8 + (operand_bytes); DISPATCH(); } while (0)
#define TRAP(kind) do { trap_kind = (kind); goto trap; } while (0)
// clang-format on

std::optional<Trap> Interpreter::run(Interpreter* self, FunctionInst* entry, uint8_t* fp) {
  if (!self) {
    for (auto& h : g_handlers) h = &&L_Unimplemented;
#define CONST32(Name)                         \
  g_handlers[size_t(IOp::Name)] = &&L_##Name; \
  g_implemented[size_t(IOp::Name)] = true;
#define CONST64 CONST32
#define UNOP(Name, TR, TA, expr) CONST32(Name)
#define BINOP(Name, TR, TA, expr) CONST32(Name)
#define BINOP_TRAP(Name, T, fn) CONST32(Name)
#define TRUNC(Name, TI, TF) CONST32(Name)
#define LOAD(Name, TR, TM) CONST32(Name)
#define STORE(Name, TV, TM) CONST32(Name)
#define BINOP_IMM32(Name, T, expr) CONST32(Name)
#define BINOP_IMM64(Name, T, expr) CONST32(Name)
#define JUMP_IF_IMM32(Name, expr) CONST32(Name)
#include "interp/scalar_ops.inc"
#define LOOM_SIMD_REGISTER
#include "interp/simd_ops.inc"
#define LOOM_IOP(Name) CONST32(Name)
#include "interp/iops.def"
#undef CONST32
#undef CONST64
#undef UNOP
#undef BINOP
#undef BINOP_TRAP
#undef TRUNC
#undef LOAD
#undef STORE
#undef BINOP_IMM32
#undef BINOP_IMM64
#undef JUMP_IF_IMM32
    return std::nullopt;
  }

  Frame* const frames = self->frames_;
  size_t& depth = self->depth_;
  const size_t base_depth = depth;
  TrapKind trap_kind = TrapKind::Unreachable;
  std::string trap_text;
  const uint8_t* pc = nullptr;
  const CompiledFunction* code = nullptr;
  Instance* inst = nullptr;
  uint8_t* mem_base = nullptr;
  uint64_t mem_size = 0;
  uint8_t* const stack_end = self->stack_ + self->limits_.stack_bytes;
  FunctionInst* callee = entry;
  uint8_t* callee_fp = fp;
  const uint8_t* return_pc = nullptr;

  auto reload_memory = [&] {
    if (!inst->memories.empty()) {
      mem_base = inst->memories[0]->base();
      mem_size = inst->memories[0]->size_bytes();
    } else {
      mem_base = nullptr;
      mem_size = 0;
    }
  };

enter:
  // Call `callee` with its arguments at `callee_fp`; resume at `return_pc` afterwards. Work that
  // needs destructors lives in helpers: computed gotos must not leave scopes that own objects.
  if (callee->is_host()) {
    uint8_t* frame_end = code ? fp + code->frame_bytes : callee_fp;
    if (!call_host(self, *callee, callee_fp, frame_end, trap_text)) {
      trap_kind = TrapKind::HostError;
      goto trap;
    }
    if (!return_pc) return std::nullopt;  // a host entry that called a host function directly
    pc = return_pc;
    reload_memory();
    DISPATCH();
  }
  {
    const CompiledFunction* target = callee->code
                                         ? static_cast<const CompiledFunction*>(callee->code)
                                         : self->compiled_or_error(*callee, trap_text);
    if (!target) {
      trap_kind = TrapKind::HostError;
      goto trap;
    }
    if (depth >= self->limits_.max_call_depth || callee_fp + target->frame_bytes > stack_end) {
      TRAP(TrapKind::CallStackExhausted);
    }
    frames[depth++] = Frame{return_pc, callee_fp, target, callee};
    fp = callee_fp;
    code = target;
    inst = callee->instance;
    if (code->locals_end != code->param_bytes) {
      std::memset(fp + code->param_bytes, 0, code->locals_end - code->param_bytes);
    }
    reload_memory();
    pc = code->code.data();
    DISPATCH();
  }

  // The handlers below are laid out as a table, one line each where it fits.
  // clang-format off
  // ---- scalar instructions (scalar_ops.inc) ----
#define CONST32(Name) L_##Name: wr<u32>(S(0), U32(1)); NEXT(8);
#define CONST64(Name) L_##Name: wr<u64>(S(0), rd<u64>(pc + 12)); NEXT(12);
#define UNOP(Name, TR, TA, expr) \
  L_##Name: { const TA a = rd<TA>(S(1)); wr<TR>(S(0), static_cast<TR>(expr)); NEXT(8); }
#define BINOP(Name, TR, TA, expr) \
  L_##Name: { const TA a = rd<TA>(S(1)); const TA b = rd<TA>(S(2)); \
              wr<TR>(S(0), static_cast<TR>(expr)); NEXT(12); }
#define BINOP_TRAP(Name, T, fn) \
  L_##Name: { const T a = rd<T>(S(1)); const T b = rd<T>(S(2)); T r; \
              if (auto t = fn<T>(a, b, r)) { TRAP(*t); } wr<T>(S(0), r); NEXT(12); }
#define TRUNC(Name, TI, TF) \
  L_##Name: { const TF a = rd<TF>(S(1)); TI r; \
              if (auto t = numeric::trunc<TI>(a, r)) { TRAP(*t); } wr<TI>(S(0), r); NEXT(8); }
#define LOAD(Name, TR, TM) \
  L_##Name: { const u64 ea = u64{rd<u32>(S(1))} + rd<u64>(pc + 16); \
              if (ea + sizeof(TM) > mem_size) { TRAP(TrapKind::OutOfBoundsMemoryAccess); } \
              wr<TR>(S(0), static_cast<TR>(rd<TM>(mem_base + ea))); NEXT(16); }
#define STORE(Name, TV, TM) \
  L_##Name: { const u64 ea = u64{rd<u32>(S(0))} + rd<u64>(pc + 16); \
              if (ea + sizeof(TM) > mem_size) { TRAP(TrapKind::OutOfBoundsMemoryAccess); } \
              wr<TM>(mem_base + ea, static_cast<TM>(rd<TV>(S(1)))); NEXT(16); }
#define BINOP_IMM32(Name, T, expr) \
  L_##Name: { const u32 a = rd<u32>(S(1)); const u32 b = U32(2); \
              wr<T>(S(0), static_cast<T>(expr)); NEXT(12); }
#define BINOP_IMM64(Name, T, expr) \
  L_##Name: { const u64 a = rd<u64>(S(1)); const u64 b = rd<u64>(pc + 16); \
              wr<T>(S(0), static_cast<T>(expr)); NEXT(16); }
#define JUMP_IF_IMM32(Name, expr) \
  L_##Name: { const u32 a = rd<u32>(S(0)); const u32 b = U32(1); \
              if (expr) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12); }
#include "interp/scalar_ops.inc"

  // ---- SIMD instructions (simd_ops.inc) ----
#include "interp/simd_ops.inc"

  // ---- internal operations (iops.def) ----
L_Copy64: wr<u64>(S(0), rd<u64>(S(1))); NEXT(8);
L_Copy128: std::memmove(S(0), S(1), 16); NEXT(8);
L_CopyRange: std::memmove(S(0), S(1), U32(2)); NEXT(12);
L_Const64: wr<u64>(S(0), rd<u64>(pc + 12)); NEXT(12);
L_Const128: std::memcpy(S(0), pc + 12, 16); NEXT(20);
L_Jump: pc = code->code.data() + U32(0); DISPATCH();
L_JumpIf:
  if (rd<u32>(S(0))) { pc = code->code.data() + U32(1); DISPATCH(); }
  NEXT(8);
L_JumpUnless:
  if (!rd<u32>(S(0))) { pc = code->code.data() + U32(1); DISPATCH(); }
  NEXT(8);
L_JumpIfI32Eq: if (rd<u32>(S(0)) == rd<u32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpIfI32Ne: if (rd<u32>(S(0)) != rd<u32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpIfI32LtS: if (rd<i32>(S(0)) < rd<i32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpIfI32LtU: if (rd<u32>(S(0)) < rd<u32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpIfI32GtS: if (rd<i32>(S(0)) > rd<i32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpIfI32GtU: if (rd<u32>(S(0)) > rd<u32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpIfI32LeS: if (rd<i32>(S(0)) <= rd<i32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpIfI32LeU: if (rd<u32>(S(0)) <= rd<u32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpIfI32GeS: if (rd<i32>(S(0)) >= rd<i32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpIfI32GeU: if (rd<u32>(S(0)) >= rd<u32>(S(1))) { pc = code->code.data() + U32(2); DISPATCH(); } NEXT(12);
L_JumpTable: {
  const u32 count = U32(1);
  const u32 index = std::min(rd<u32>(S(0)), count);
  pc = code->code.data() + U32(2 + index);
  DISPATCH();
}
L_CallWasm:
  callee = inst->funcs[U32(0)];
  callee_fp = fp + U32(1);
  return_pc = pc + 16;
  goto enter;
L_CallIndirectOp: {
  TableInst& table = *inst->tables[U32(1)];
  const u32 index = rd<u32>(S(2));
  if (index >= table.size()) TRAP(TrapKind::UndefinedElement);
  auto* target = static_cast<FunctionInst*>(table.get(index));
  if (!target) TRAP(TrapKind::UninitializedElement);
  if (target->type_id != inst->type_ids[U32(0)]) TRAP(TrapKind::IndirectCallTypeMismatch);
  callee = target;
  callee_fp = fp + U32(3);
  return_pc = pc + 24;
  goto enter;
}
L_ReturnOp: {
  const Frame& done = frames[--depth];
  if (depth == base_depth) return std::nullopt;
  const Frame& caller = frames[depth - 1];
  fp = caller.fp;
  code = caller.code;
  inst = caller.func->instance;
  reload_memory();
  pc = done.return_pc;
  DISPATCH();
}
L_Trap: TRAP(static_cast<TrapKind>(U32(0)));
L_Select64: wr<u64>(S(0), rd<u32>(S(3)) ? rd<u64>(S(1)) : rd<u64>(S(2))); NEXT(16);
L_Select128: std::memmove(S(0), rd<u32>(S(3)) ? S(1) : S(2), 16); NEXT(16);
L_GlobalGet64: wr<u64>(S(0), inst->globals[U32(1)]->value.u64); NEXT(8);
L_GlobalGet128: std::memcpy(S(0), &inst->globals[U32(1)]->value, 16); NEXT(8);
L_GlobalSet64: inst->globals[U32(1)]->value.u64 = rd<u64>(S(0)); NEXT(8);
L_GlobalSet128: std::memcpy(&inst->globals[U32(1)]->value, S(0), 16); NEXT(8);
L_UseMemory: {
  MemoryInst& memory = *inst->memories[U32(0)];
  mem_base = memory.base();
  mem_size = memory.size_bytes();
  NEXT(4);
}
L_MemorySizeOp: wr<u32>(S(0), static_cast<u32>(inst->memories[U32(1)]->pages())); NEXT(8);
L_MemoryGrowOp:
  wr<u32>(S(0), static_cast<u32>(inst->memories[U32(2)]->grow(rd<u32>(S(1)))));
  reload_memory();
  NEXT(12);
L_MemoryFillOp: {
  MemoryInst& memory = *inst->memories[U32(3)];
  const u64 dst = rd<u32>(S(0)), length = rd<u32>(S(2));
  if (!memory.in_bounds(dst, length)) TRAP(TrapKind::OutOfBoundsMemoryAccess);
  std::memset(memory.base() + dst, static_cast<uint8_t>(rd<u32>(S(1))), length);
  NEXT(16);
}
L_MemoryCopyOp: {
  MemoryInst& to = *inst->memories[U32(3)];
  MemoryInst& from = *inst->memories[U32(4)];
  const u64 dst = rd<u32>(S(0)), src = rd<u32>(S(1)), length = rd<u32>(S(2));
  if (!to.in_bounds(dst, length) || !from.in_bounds(src, length)) {
    TRAP(TrapKind::OutOfBoundsMemoryAccess);
  }
  std::memmove(to.base() + dst, from.base() + src, length);
  NEXT(20);
}
L_MemoryInitOp: {
  MemoryInst& memory = *inst->memories[U32(4)];
  const std::span<const uint8_t> data = inst->datas[U32(3)];
  const u64 dst = rd<u32>(S(0)), src = rd<u32>(S(1)), length = rd<u32>(S(2));
  if (!memory.in_bounds(dst, length) || src > data.size() || length > data.size() - src) {
    TRAP(TrapKind::OutOfBoundsMemoryAccess);
  }
  if (length) std::memcpy(memory.base() + dst, data.data() + src, length);
  NEXT(20);
}
L_DataDropOp: inst->datas[U32(0)] = {}; NEXT(4);
L_TableGetOp: {
  TableInst& table = *inst->tables[U32(2)];
  const u32 index = rd<u32>(S(1));
  if (index >= table.size()) TRAP(TrapKind::OutOfBoundsTableAccess);
  wr<Ref>(S(0), table.get(index));
  NEXT(12);
}
L_TableSetOp: {
  TableInst& table = *inst->tables[U32(2)];
  const u32 index = rd<u32>(S(0));
  if (index >= table.size()) TRAP(TrapKind::OutOfBoundsTableAccess);
  table.set(index, rd<Ref>(S(1)));
  NEXT(12);
}
L_TableSizeOp: wr<u32>(S(0), static_cast<u32>(inst->tables[U32(1)]->size())); NEXT(8);
L_TableGrowOp:
  wr<u32>(S(0), static_cast<u32>(inst->tables[U32(3)]->grow(rd<u32>(S(2)), rd<Ref>(S(1)))));
  NEXT(16);
L_TableFillOp: {
  TableInst& table = *inst->tables[U32(3)];
  const u64 index = rd<u32>(S(0)), length = rd<u32>(S(2));
  if (!table.in_bounds(index, length)) TRAP(TrapKind::OutOfBoundsTableAccess);
  std::fill_n(table.data() + index, length, rd<Ref>(S(1)));
  NEXT(16);
}
L_TableCopyOp: {
  TableInst& to = *inst->tables[U32(3)];
  TableInst& from = *inst->tables[U32(4)];
  const u64 dst = rd<u32>(S(0)), src = rd<u32>(S(1)), length = rd<u32>(S(2));
  if (!to.in_bounds(dst, length) || !from.in_bounds(src, length)) {
    TRAP(TrapKind::OutOfBoundsTableAccess);
  }
  std::memmove(to.data() + dst, from.data() + src, length * sizeof(Ref));
  NEXT(20);
}
L_TableInitOp: {
  TableInst& table = *inst->tables[U32(4)];
  const std::vector<Ref>& elems = inst->elems[U32(3)];
  const u64 dst = rd<u32>(S(0)), src = rd<u32>(S(1)), length = rd<u32>(S(2));
  if (!table.in_bounds(dst, length) || src > elems.size() || length > elems.size() - src) {
    TRAP(TrapKind::OutOfBoundsTableAccess);
  }
  std::copy_n(elems.data() + src, length, table.data() + dst);
  NEXT(20);
}
L_ElemDropOp: inst->elems[U32(0)].clear(); NEXT(4);
L_RefNullOp: wr<Ref>(S(0), nullptr); NEXT(4);
L_RefIsNullOp: wr<u32>(S(0), rd<Ref>(S(1)) == nullptr); NEXT(8);
L_RefFuncOp: wr<Ref>(S(0), inst->funcs[U32(1)]); NEXT(8);
L_Unimplemented:
  trap_kind = TrapKind::HostError;
  trap_text = "instruction not supported by the interpreter yet";
  goto trap;

  // clang-format on
trap : {
  Trap result{trap_kind, trap_text.empty() ? std::string(trap_message(trap_kind)) : trap_text, {}};
  // Backtrace, innermost first: the trapping pc, then each caller's call site.
  const uint8_t* at = pc;
  for (size_t i = depth; i > base_depth; --i) {
    const Frame& frame = frames[i - 1];
    TrapFrame tf;
    tf.func_index = frame.func->index;
    tf.func_name = std::string(frame.func->instance->module().func_name(frame.func->index));
    tf.offset = at ? module_offset_at(*frame.code, at) : 0;
    result.backtrace.push_back(std::move(tf));
    at = frame.return_pc ? frame.return_pc - 1 : nullptr;
  }
  depth = base_depth;
  return result;
}
}

#undef CONST32
#undef CONST64
#undef UNOP
#undef BINOP
#undef BINOP_TRAP
#undef TRUNC
#undef LOAD
#undef STORE
#undef BINOP_IMM32
#undef BINOP_IMM64
#undef JUMP_IF_IMM32

}  // namespace loom::interp
