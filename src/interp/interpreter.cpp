// The dispatch loop. Read code.hpp first for the operand layout and naming.
#include "interp/interpreter.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <exception>
#include <new>

#include "interp/compiler.hpp"
#include "interp/exceptions.hpp"
#include "interp/handlers.hpp"
#include "interp/numeric.hpp"
#include "interp/relaxed_simd.hpp"
#include "interp/simd.hpp"
#include "interp/wide_arith.hpp"
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

// memory64 bounds check that never wraps: true when [address + offset, + bytes) lies within the
// first `size` bytes; `ea` is then address + offset.
[[gnu::always_inline]] inline bool effective_address64(uint64_t address, uint64_t offset,
                                                       uint64_t bytes, uint64_t size,
                                                       uint64_t& ea) {
  uint64_t end;
  return !__builtin_add_overflow(address, offset, &ea) &&
         !__builtin_add_overflow(ea, bytes, &end) && end <= size;
}

size_t page_size() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

// Maps `bytes` (rounded up to whole pages, at least one) read-write between two PROT_NONE guard
// pages and sets `bytes` to the rounded size; returns the start of the usable part, or nullptr.
uint8_t* map_guarded(size_t& bytes) {
  const size_t page = page_size();
  if (bytes > SIZE_MAX / 4) return nullptr;  // more than any address space; keeps sizes exact
  const size_t usable = std::max((bytes + page - 1) / page * page, page);
  void* p = mmap(nullptr, usable + 2 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  if (p == MAP_FAILED) return nullptr;
  uint8_t* start = static_cast<uint8_t*>(p) + page;
  if (mprotect(start, usable, PROT_READ | PROT_WRITE) != 0) {
    munmap(p, usable + 2 * page);
    return nullptr;
  }
  bytes = usable;
  return start;
}
void unmap_guarded(void* start, size_t bytes) {
  if (start) munmap(static_cast<uint8_t*>(start) - page_size(), bytes + 2 * page_size());
}

uint32_t module_offset_at(const CompiledFunction& code, const uint8_t* pc) {
  const uint32_t at = static_cast<uint32_t>(pc - code.code.data());
  auto it = std::upper_bound(code.source_map.begin(), code.source_map.end(), at,
                             [](uint32_t v, const SourceMapEntry& e) { return v < e.code_offset; });
  return it == code.source_map.begin() ? 0 : std::prev(it)->module_offset;
}

}  // namespace

// No C++ exception may unwind through the dispatch loop (its frame bookkeeping would be left
// behind, docs/runtime-abi.md): running out of host memory while compiling is a trap.
const CompiledFunction* Interpreter::compiled_or_error(FunctionInst& func, std::string& error) {
  try {
    auto result = compiled(func);
    if (result) return *result;
    error = result.error().to_string();
  } catch (const std::bad_alloc&) {
    error = "out of memory while compiling a function";
  }
  return nullptr;
}

bool Interpreter::call_host(Interpreter* self, FunctionInst& callee, uint8_t* args_at,
                            uint8_t* frame_end, std::string& error, ExceptionInst*& rethrown) {
  const FuncType& type = *callee.type;
  std::vector<Value> args(type.params.size()), results(type.results.size());
  slots_to_values(args_at, type.params, args.data());
  // A host function may call back into wasm: those frames go above the caller's frame (never
  // past the stack's end, so Interpreter::call can measure the room left).
  uint8_t* saved_top = self->stack_top_;
  const size_t room = static_cast<size_t>(self->stack_ + self->limits_.stack_bytes - args_at);
  self->stack_top_ =
      std::max(frame_end, args_at + std::min(room, 16 * (args.size() + results.size())));
  // As in compiled_or_error: an exception from the host function becomes a trap here.
  self->last_uncaught_ = nullptr;  // set by a nested call that ends in an uncaught exception
  try {
    error = callee.host(args, results);
  } catch (const std::bad_alloc&) {
    error = "out of memory in a host function";
  } catch (const std::exception& e) {
    error = std::string("host function threw: ") + e.what();
  } catch (...) {
    error = "host function threw an exception";
  }
  self->stack_top_ = saved_top;
  if (!error.empty()) {
    rethrown = self->forwarded_exception(error);
    return false;
  }
  values_to_slots(results.data(), type.results, args_at);
  return true;
}

bool Interpreter::call_foreign(Interpreter* self, FunctionInst& callee, uint8_t* args_at,
                               uint8_t* frame_end, std::optional<Trap>& trap) {
  const FuncType& type = *callee.type;
  std::vector<Value> args(type.params.size()), results(type.results.size());
  slots_to_values(args_at, type.params, args.data());
  uint8_t* saved_top = self->stack_top_;
  const size_t room = static_cast<size_t>(self->stack_ + self->limits_.stack_bytes - args_at);
  self->stack_top_ =
      std::max(frame_end, args_at + std::min(room, 16 * (args.size() + results.size())));
  try {
    trap = callee.tier.executor->call(callee, args, results);
  } catch (const std::bad_alloc&) {
    trap = Trap{TrapKind::HostError, "out of memory in another tier", {}};
  }
  self->stack_top_ = saved_top;
  if (trap) return false;
  values_to_slots(results.data(), type.results, args_at);
  return true;
}

Interpreter::Interpreter(const Features& features, InterpreterLimits limits)
    : features_(features), limits_(limits) {
  handler_table();  // make sure the table exists before any compile
  // Both regions are committed lazily by the kernel as frames use them.
  stack_ = map_guarded(limits_.stack_bytes);
  stack_top_ = stack_;
  if (limits_.max_call_depth <= SIZE_MAX / sizeof(Frame)) {
    frames_bytes_ = limits_.max_call_depth * sizeof(Frame);
    frames_ = reinterpret_cast<Frame*>(map_guarded(frames_bytes_));
  }
}

Interpreter::~Interpreter() {
  unmap_guarded(stack_, limits_.stack_bytes);
  unmap_guarded(frames_, frames_bytes_);
}

std::span<uint8_t> Interpreter::value_stack() const {
  if (!stack_) return {};
  return {stack_, limits_.stack_bytes};
}
std::span<uint8_t> Interpreter::frame_array() const {
  if (!frames_) return {};
  return {reinterpret_cast<uint8_t*>(frames_), frames_bytes_};
}

Result<const CompiledFunction*> Interpreter::compiled(FunctionInst& func) {
  if (func.code) return static_cast<const CompiledFunction*>(func.code);
  const CompileOptions options{limits_.consume_fuel, limits_.epoch_interruption};
  auto result = compile_function(func.instance->module(), features_, func.index, options);
  if (!result) return result.error();
  code_.push_back(std::make_unique<CompiledFunction>(std::move(*result)));
  func.code = code_.back().get();
  return code_.back().get();
}

std::optional<Trap> Interpreter::call(FunctionInst& func, std::span<const Value> args,
                                      std::span<Value> results) {
  const FuncType& type = *func.type;
  if (func.is_host()) {
    last_uncaught_ = nullptr;
    std::string error = func.host(args, results);
    if (error.empty()) return std::nullopt;
    if (ExceptionInst* forwarded = forwarded_exception(error)) return uncaught(this, forwarded);
    return Trap{TrapKind::HostError, std::move(error), {}};
  }
  if (!stack_ || !frames_) {
    return Trap{TrapKind::CallStackExhausted, "cannot allocate the wasm stack", {}};
  }
  uint8_t* fp = stack_top_;
  size_t arg_bytes = 0, result_bytes = 0;
  for (ValType t : type.params) arg_bytes += slot_width(t);
  for (ValType t : type.results) result_bytes += slot_width(t);
  // stack_top_ never passes the end (call_host), so the room left is a size.
  if (std::max(arg_bytes, result_bytes) > static_cast<size_t>(stack_ + limits_.stack_bytes - fp)) {
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
#define LOAD(Name, TR, TM) CONST32(Name) CONST32(Name##A64)
#define STORE(Name, TV, TM) CONST32(Name) CONST32(Name##A64)
#define BINOP_IMM32(Name, T, expr) CONST32(Name)
#define BINOP_IMM64(Name, T, expr) CONST32(Name)
#define JUMP_IF_IMM32(Name, expr) CONST32(Name)
#include "interp/scalar_ops.inc"
#define LOOM_SIMD_REGISTER
#include "interp/simd_ops.inc"
#define LOOM_WIDE_REGISTER
#include "interp/wide_ops.inc"
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
  std::optional<Trap> foreign_trap;    // a trap from a function another tier ran
  u32 tail_args = 0, tail_bytes = 0;   // a tail call's arguments: frame offset and size
  ExceptionInst* exception = nullptr;  // being thrown (throw_exception)

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
  if (callee->is_host() || callee->tier.executor) {
    uint8_t* frame_end = code ? fp + code->frame_bytes : callee_fp;
    if (callee->tier.executor) {
      if (!call_foreign(self, *callee, callee_fp, frame_end, foreign_trap)) {
        // A wasm exception out of the other tier's callee unwinds from the call site, as one a
        // host function forwards does.
        if (foreign_trap->kind == TrapKind::UncaughtException && foreign_trap->exception) {
          exception = static_cast<ExceptionInst*>(foreign_trap->exception);
          foreign_trap.reset();
          if (depth == base_depth) return uncaught(self, exception);
          goto throw_exception;
        }
        goto trap;
      }
    } else if (!call_host(self, *callee, callee_fp, frame_end, trap_text, exception)) {
      // A forwarded wasm exception unwinds from the call site (docs/runtime-abi.md).
      if (exception && depth == base_depth) return uncaught(self, exception);
      if (exception) goto throw_exception;
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
    // The frame bounds check, the only one: callee_fp lies inside the caller's checked frame (or
    // at the host entry's checked top), so comparing sizes cannot overflow.
    if (depth >= self->limits_.max_call_depth ||
        target->frame_bytes > static_cast<size_t>(stack_end - callee_fp)) {
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
// Effective address of a memory access whose address slot is U32(addr_index) and whose u64 offset
// is at `offset_at`; traps unless `bytes` bytes are in bounds. Declares `ea`. An i32 address plus
// its validated 32-bit offset cannot wrap; an i64 one is checked for overflow (MEM_ADDRESS64).
#define MEM_ADDRESS32(addr_index, offset_at, bytes) \
  const u64 ea = u64{rd<u32>(S(addr_index))} + rd<u64>(pc + (offset_at)); \
  if (ea + (bytes) > mem_size) { TRAP(TrapKind::OutOfBoundsMemoryAccess); }
#define MEM_ADDRESS64(addr_index, offset_at, bytes) \
  u64 ea; \
  if (!effective_address64(rd<u64>(S(addr_index)), rd<u64>(pc + (offset_at)), bytes, mem_size, \
                           ea)) { TRAP(TrapKind::OutOfBoundsMemoryAccess); }
#define LOAD_AT(Label, ADDRESS, TR, TM) \
  L_##Label: { ADDRESS(1, 16, sizeof(TM)) \
               wr<TR>(S(0), static_cast<TR>(rd<TM>(mem_base + ea))); NEXT(16); }
#define STORE_AT(Label, ADDRESS, TV, TM) \
  L_##Label: { ADDRESS(0, 16, sizeof(TM)) \
               wr<TM>(mem_base + ea, static_cast<TM>(rd<TV>(S(1)))); NEXT(16); }
#define LOAD(Name, TR, TM) \
  LOAD_AT(Name, MEM_ADDRESS32, TR, TM) LOAD_AT(Name##A64, MEM_ADDRESS64, TR, TM)
#define STORE(Name, TV, TM) \
  STORE_AT(Name, MEM_ADDRESS32, TV, TM) STORE_AT(Name##A64, MEM_ADDRESS64, TV, TM)
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
#include "interp/wide_ops.inc"

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
  // call_indirect through an i32 table (TI = u32) or a table64 (TI = u64).
#define CALL_INDIRECT(Name, TI) \
  L_##Name: { TableInst& table = *inst->tables[U32(1)]; const u64 index = rd<TI>(S(2)); \
    if (index >= table.size()) { TRAP(TrapKind::UndefinedElement); } \
    auto* target = static_cast<FunctionInst*>(table.get(index)); \
    if (!target) { TRAP(TrapKind::UninitializedElement); } \
    if (target->type_id != inst->type_ids[U32(0)]) { TRAP(TrapKind::IndirectCallTypeMismatch); } \
    callee = target; callee_fp = fp + U32(3); return_pc = pc + 24; goto enter; }
CALL_INDIRECT(CallIndirectOp, u32)
CALL_INDIRECT(CallIndirectA64, u64)
#undef CALL_INDIRECT
L_ReturnCallWasm:
  callee = inst->funcs[U32(0)];
  tail_args = U32(1);
  tail_bytes = U32(2);
  goto tail_call;
#define RETURN_CALL_INDIRECT(Name, TI) \
  L_##Name: { TableInst& table = *inst->tables[U32(1)]; const u64 index = rd<TI>(S(2)); \
    if (index >= table.size()) { TRAP(TrapKind::UndefinedElement); } \
    auto* target = static_cast<FunctionInst*>(table.get(index)); \
    if (!target) { TRAP(TrapKind::UninitializedElement); } \
    if (target->type_id != inst->type_ids[U32(0)]) { TRAP(TrapKind::IndirectCallTypeMismatch); } \
    callee = target; tail_args = U32(3); tail_bytes = U32(4); goto tail_call; }
RETURN_CALL_INDIRECT(ReturnCallIndirectOp, u32)
RETURN_CALL_INDIRECT(ReturnCallIndirectA64, u64)
#undef RETURN_CALL_INDIRECT
L_ReturnCallRefOp: {
  auto* target = static_cast<FunctionInst*>(rd<Ref>(S(2)));
  if (!target) { TRAP(TrapKind::NullFunctionReference); }
  callee = target; tail_args = U32(3); tail_bytes = U32(4); goto tail_call; }
  // A tail call (docs/runtime-abi.md "Tail calls"): `callee` replaces the current activation.
  // The arguments move to the frame base and the activation record is popped, so `enter` pushes
  // the callee's into the same entry with the same return pc: constant stack and frame space.
  // return_call_ref plugs in here too: set callee, tail_args and tail_bytes, goto tail_call.
  // A host callee runs as if called by our caller (its results land at our frame base, which is
  // where our results go), so our caller's state is restored first.
tail_call: {
  std::memmove(fp, fp + tail_args, tail_bytes);
  return_pc = frames[depth - 1].return_pc;
  --depth;
  callee_fp = fp;
  if (callee->is_host() || callee->tier.executor) {  // another tier's callee runs like a host's
    if (depth > base_depth) {
      const Frame& caller = frames[depth - 1];
      code = caller.code;
      inst = caller.func->instance;
      fp = caller.fp;
    }
    pc = return_pc ? return_pc - 1 : nullptr;  // a trap in the host is located at our call site
  }
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
L_ThrowOp:
  exception = new_exception(self, inst->tags[U32(0)], fp + U32(1), trap_text);
  if (!exception) TRAP(TrapKind::HostError);
  goto throw_exception;
L_ThrowRefOp:
  exception = rd<ExceptionInst*>(S(0));
  if (!exception) TRAP(TrapKind::NullExceptionReference);
  goto throw_exception;
L_RethrowOp:
  exception = rd<ExceptionInst*>(S(0));
  goto throw_exception;
  // Unwinds the frame array (docs/runtime-abi.md "Wasm exceptions"): each frame's handler table
  // is consulted at its pc (the throw, or the call the exception came out of); the first catch
  // that takes the exception continues in its frame, else it reaches the host entry. Nothing
  // here unwinds the host stack.
throw_exception:
  for (;;) {
    const Frame& frame = frames[depth - 1];
    const CatchEntry* handler = find_catch(
        *frame.code, static_cast<u32>(pc - frame.code->code.data()), *frame.func->instance,
        *exception);
    if (handler) {
      fp = frame.fp;
      code = frame.code;
      inst = frame.func->instance;
      reload_memory();
      land_exception(*handler, exception, fp);
      self->store_->recycle_exception(exception);  // unless an exnref to it exists
      pc = code->code.data() + handler->pad;
      DISPATCH();
    }
    const uint8_t* caller_pc = frame.return_pc;
    --depth;
    if (depth == base_depth) return uncaught(self, exception);
    pc = caller_pc - 1;  // inside the call instruction
  }
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
  // Memory and table operations, once per index type: TA is an address, index or size (u32 for
  // i32-indexed memories and tables, u64 for memory64 / table64), TN a length. Results of size
  // and grow are written as TA, so -1 becomes an i64 -1 for 64-bit ones.
#define MEMORY_SIZE(Name, TA) \
  L_##Name: wr<TA>(S(0), static_cast<TA>(inst->memories[U32(1)]->pages())); NEXT(8);
#define MEMORY_GROW(Name, TA) \
  L_##Name: wr<TA>(S(0), static_cast<TA>(inst->memories[U32(2)]->grow(rd<TA>(S(1))))); \
  reload_memory(); NEXT(12);
#define MEMORY_FILL(Name, TA) \
  L_##Name: { MemoryInst& memory = *inst->memories[U32(3)]; \
    const u64 dst = rd<TA>(S(0)), length = rd<TA>(S(2)); \
    if (!memory.in_bounds(dst, length)) { TRAP(TrapKind::OutOfBoundsMemoryAccess); } \
    std::memset(memory.base() + dst, static_cast<uint8_t>(rd<u32>(S(1))), length); NEXT(16); }
#define MEMORY_COPY(Name, TD, TS, TN) \
  L_##Name: { MemoryInst& to = *inst->memories[U32(3)]; \
    MemoryInst& from = *inst->memories[U32(4)]; \
    const u64 dst = rd<TD>(S(0)), src = rd<TS>(S(1)), length = rd<TN>(S(2)); \
    if (!to.in_bounds(dst, length) || !from.in_bounds(src, length)) { \
      TRAP(TrapKind::OutOfBoundsMemoryAccess); } \
    std::memmove(to.base() + dst, from.base() + src, length); NEXT(20); }
#define MEMORY_INIT(Name, TA) \
  L_##Name: { MemoryInst& memory = *inst->memories[U32(4)]; \
    const std::span<const uint8_t> data = inst->datas[U32(3)]; \
    const u64 dst = rd<TA>(S(0)), src = rd<u32>(S(1)), length = rd<u32>(S(2)); \
    if (!memory.in_bounds(dst, length) || src > data.size() || length > data.size() - src) { \
      TRAP(TrapKind::OutOfBoundsMemoryAccess); } \
    if (length) { std::memcpy(memory.base() + dst, data.data() + src, length); } NEXT(20); }
#define TABLE_GET(Name, TA) \
  L_##Name: { TableInst& table = *inst->tables[U32(2)]; const u64 index = rd<TA>(S(1)); \
    if (index >= table.size()) { TRAP(TrapKind::OutOfBoundsTableAccess); } \
    wr<Ref>(S(0), table.get(index)); NEXT(12); }
#define TABLE_SET(Name, TA) \
  L_##Name: { TableInst& table = *inst->tables[U32(2)]; const u64 index = rd<TA>(S(0)); \
    if (index >= table.size()) { TRAP(TrapKind::OutOfBoundsTableAccess); } \
    table.set(index, rd<Ref>(S(1))); NEXT(12); }
#define TABLE_SIZE(Name, TA) \
  L_##Name: wr<TA>(S(0), static_cast<TA>(inst->tables[U32(1)]->size())); NEXT(8);
#define TABLE_GROW(Name, TA) \
  L_##Name: \
  wr<TA>(S(0), static_cast<TA>(inst->tables[U32(3)]->grow(rd<TA>(S(2)), rd<Ref>(S(1))))); \
  NEXT(16);
#define TABLE_FILL(Name, TA) \
  L_##Name: { TableInst& table = *inst->tables[U32(3)]; \
    const u64 index = rd<TA>(S(0)), length = rd<TA>(S(2)); \
    if (!table.in_bounds(index, length)) { TRAP(TrapKind::OutOfBoundsTableAccess); } \
    std::fill_n(table.data() + index, length, rd<Ref>(S(1))); NEXT(16); }
#define TABLE_COPY(Name, TD, TS, TN) \
  L_##Name: { TableInst& to = *inst->tables[U32(3)]; TableInst& from = *inst->tables[U32(4)]; \
    const u64 dst = rd<TD>(S(0)), src = rd<TS>(S(1)), length = rd<TN>(S(2)); \
    if (!to.in_bounds(dst, length) || !from.in_bounds(src, length)) { \
      TRAP(TrapKind::OutOfBoundsTableAccess); } \
    std::memmove(to.data() + dst, from.data() + src, length * sizeof(Ref)); NEXT(20); }
#define TABLE_INIT(Name, TA) \
  L_##Name: { TableInst& table = *inst->tables[U32(4)]; \
    const std::vector<Ref>& elems = inst->elems[U32(3)]; \
    const u64 dst = rd<TA>(S(0)), src = rd<u32>(S(1)), length = rd<u32>(S(2)); \
    if (!table.in_bounds(dst, length) || src > elems.size() || length > elems.size() - src) { \
      TRAP(TrapKind::OutOfBoundsTableAccess); } \
    std::copy_n(elems.data() + src, length, table.data() + dst); NEXT(20); }
MEMORY_SIZE(MemorySizeOp, u32)
MEMORY_SIZE(MemorySizeA64, u64)
MEMORY_GROW(MemoryGrowOp, u32)
MEMORY_GROW(MemoryGrowA64, u64)
MEMORY_FILL(MemoryFillOp, u32)
MEMORY_FILL(MemoryFillA64, u64)
MEMORY_COPY(MemoryCopyOp, u32, u32, u32)
MEMORY_COPY(MemoryCopyA64, u64, u64, u64)
MEMORY_COPY(MemoryCopyToA64, u64, u32, u32)
MEMORY_COPY(MemoryCopyFromA64, u32, u64, u32)
MEMORY_INIT(MemoryInitOp, u32)
MEMORY_INIT(MemoryInitA64, u64)
L_DataDropOp: inst->datas[U32(0)] = {}; NEXT(4);
TABLE_GET(TableGetOp, u32)
TABLE_GET(TableGetA64, u64)
TABLE_SET(TableSetOp, u32)
TABLE_SET(TableSetA64, u64)
TABLE_SIZE(TableSizeOp, u32)
TABLE_SIZE(TableSizeA64, u64)
TABLE_GROW(TableGrowOp, u32)
TABLE_GROW(TableGrowA64, u64)
TABLE_FILL(TableFillOp, u32)
TABLE_FILL(TableFillA64, u64)
TABLE_COPY(TableCopyOp, u32, u32, u32)
TABLE_COPY(TableCopyA64, u64, u64, u64)
TABLE_COPY(TableCopyToA64, u64, u32, u32)
TABLE_COPY(TableCopyFromA64, u32, u64, u32)
TABLE_INIT(TableInitOp, u32)
TABLE_INIT(TableInitA64, u64)
L_ElemDropOp: inst->elems[U32(0)].clear(); NEXT(4);
L_RefNullOp: wr<Ref>(S(0), nullptr); NEXT(4);
L_RefIsNullOp: wr<u32>(S(0), rd<Ref>(S(1)) == nullptr); NEXT(8);
L_RefFuncOp: wr<Ref>(S(0), inst->funcs[U32(1)]); NEXT(8);
L_CallRefOp: {
  auto* target = static_cast<FunctionInst*>(rd<Ref>(S(2)));
  if (!target) { TRAP(TrapKind::NullFunctionReference); }
  callee = target; callee_fp = fp + U32(3); return_pc = pc + 24; goto enter; }
L_RefAsNonNullOp: {
  const Ref r = rd<Ref>(S(1));
  if (!r) { TRAP(TrapKind::NullReference); }
  wr<Ref>(S(0), r); NEXT(8); }
L_JumpIfNull:
  if (!rd<Ref>(S(0))) { pc = code->code.data() + U32(1); DISPATCH(); }
  NEXT(8);
L_JumpIfNonNull:
  if (rd<Ref>(S(0))) { pc = code->code.data() + U32(1); DISPATCH(); }
  NEXT(8);
// (self->interruption_ is loaded here, not kept in a variable: the loop without these checks
// then compiles as it did before they existed.)
L_ConsumeFuel: {
  Interruption& interruption = *self->interruption_;
  const u64 cost = U32(0);
  if (interruption.fuel < cost) TRAP(TrapKind::OutOfFuel);
  interruption.fuel -= cost;
  NEXT(4);
}
L_CheckEpoch: {
  const Interruption& interruption = *self->interruption_;
  if (interruption.epoch.load(std::memory_order_relaxed) >= interruption.epoch_deadline) {
    TRAP(TrapKind::Interrupted);
  }
  NEXT(0);
}
L_Unimplemented:
  trap_kind = TrapKind::HostError;
  trap_text = "instruction not supported by the interpreter yet";
  goto trap;

  // clang-format on
trap : {
  // A foreign tier's trap already holds its own (innermost) frames; ours follow.
  Trap result = foreign_trap
                    ? std::move(*foreign_trap)
                    : Trap{trap_kind,
                           trap_text.empty() ? std::string(trap_message(trap_kind)) : trap_text,
                           {}};
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
#undef LOAD_AT
#undef STORE_AT
#undef MEM_ADDRESS32
#undef MEM_ADDRESS64
#undef BINOP_IMM32
#undef BINOP_IMM64
#undef JUMP_IF_IMM32
#undef MEMORY_SIZE
#undef MEMORY_GROW
#undef MEMORY_FILL
#undef MEMORY_COPY
#undef MEMORY_INIT
#undef TABLE_GET
#undef TABLE_SET
#undef TABLE_SIZE
#undef TABLE_GROW
#undef TABLE_FILL
#undef TABLE_COPY
#undef TABLE_INIT

}  // namespace loom::interp
