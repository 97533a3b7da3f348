#include "jit/jit_executor.hpp"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <exception>
#include <new>

#include "jit/compiler.hpp"

namespace loom::jit {

namespace {

// Reserved for code per executor (address space only; committed as functions are compiled).
constexpr size_t kCodeReservation = size_t{1} << 30;
// Below the stack limit: room for leaf C helpers and signal frames on the wasm stack.
constexpr size_t kStackMargin = size_t{64} << 10;
// Host stack a JIT entry leaves for the host (tier crossings recurse on the host stack).
constexpr size_t kHostStackReserve = size_t{256} << 10;

size_t page_size() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

uintptr_t host_stack_low() {
  thread_local uintptr_t low = [] {
    pthread_attr_t attr;
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &addr, &size);
      pthread_attr_destroy(&attr);
    }
    return reinterpret_cast<uintptr_t>(addr);
  }();
  return low;
}

Trap exhausted() {
  return Trap{
      TrapKind::CallStackExhausted, std::string(trap_message(TrapKind::CallStackExhausted)), {}};
}

}  // namespace

size_t tier_entry_offset() {
  static const FunctionInst probe;
  return static_cast<size_t>(reinterpret_cast<const char*>(&probe.tier.entry) -
                             reinterpret_cast<const char*>(&probe));
}
size_t tier_context_offset() {
  static const FunctionInst probe;
  return static_cast<size_t>(reinterpret_cast<const char*>(&probe.tier.context) -
                             reinterpret_cast<const char*>(&probe));
}
size_t global_value_offset() {
  static const GlobalInst probe;
  return static_cast<size_t>(reinterpret_cast<const char*>(&probe.value) -
                             reinterpret_cast<const char*>(&probe));
}

JitExecutor::JitExecutor(const Features& features, const ExecutorOptions& options)
    : features_(features),
      options_(options),
      interpreter_(features, options.limits),
      code_(kCodeReservation) {
  thread_.executor = this;
  thread_.max_depth = options.limits.max_call_depth;
  install_fault_handler();
  // The wasm stack: a guard page below (and above) the usable part.
  const size_t page = page_size();
  // The guest gets the requested bytes (--max-wasm-stack), runtime helpers the margin below them.
  const size_t requested = std::min(options.limits.stack_bytes, SIZE_MAX / 4);
  stack_bytes_ = (requested + page - 1) / page * page + kStackMargin;
  void* p = mmap(nullptr, stack_bytes_ + 2 * page, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p != MAP_FAILED) {
    uint8_t* start = static_cast<uint8_t*>(p) + page;
    if (mprotect(start, stack_bytes_, PROT_READ | PROT_WRITE) == 0) {
      stack_ = start;
    } else {
      munmap(p, stack_bytes_ + 2 * page);
    }
  }
  stack_limit_ = reinterpret_cast<uintptr_t>(stack_) + kStackMargin;
  if (!code_.ok() || !stack_ || !generate_stubs()) {
    entry_ = nullptr;
    return;
  }
  registered_ = register_code_range(code_.begin(), code_.end(), &code_map_, trap_entry_);
  if (!registered_) entry_ = nullptr;
}

JitExecutor::~JitExecutor() {
  // Unless the store went first (detach), its functions still point at us.
  forget_store();
  if (options_.report_fallbacks && (stats_.compiled || stats_.fallbacks)) {
    const double mb = static_cast<double>(stats_.body_bytes) / 1e6;
    std::fprintf(options_.report_fallbacks,
                 "jit: %zu functions compiled (%.3f MB of wasm, %.3f MB of code, %.1f MB/s), "
                 "%zu in the interpreter\n",
                 stats_.compiled, mb, static_cast<double>(stats_.code_bytes) / 1e6,
                 stats_.compile_seconds > 0 ? mb / stats_.compile_seconds : 0.0, stats_.fallbacks);
  }
  if (registered_) unregister_code_range(&code_map_);
  if (stack_) munmap(stack_ - page_size(), stack_bytes_ + 2 * page_size());
}

void JitExecutor::forget_store() {
  for (FunctionInst* f : touched_) f->tier = TierEntry{};
  touched_.clear();
  contexts_.clear();
}

void JitExecutor::attach(Store& store) {
  store_ = &store;
  interruption_ = &store.interruption();
  interpreter_.attach(store);
  for (auto& [instance, context] : contexts_) context->interruption = interruption_;
}

void JitExecutor::detach(Store& store) {
  if (&store != store_) return;
  forget_store();  // the store is still alive here
  store_ = nullptr;
  interruption_ = &unattached_;
}

bool JitExecutor::is_compiled(const FunctionInst& func) const {
  return func.tier.entry && func.tier.entry != lazy_stub_ && func.tier.entry != callout_thunk_;
}

VmContext* JitExecutor::prepare(Instance& instance) {
  auto it = contexts_.find(&instance);
  if (it != contexts_.end()) return it->second.get();
  auto context = std::make_unique<VmContext>();
  VmContext* ctx = context.get();
  contexts_.emplace(&instance, std::move(context));
  ctx->mem0 = instance.memories.empty() ? nullptr : instance.memories[0];
  ctx->mem0_base = ctx->mem0 ? ctx->mem0->base() : nullptr;
  ctx->funcs = instance.funcs.data();
  ctx->globals = instance.globals.data();
  ctx->stack_limit = stack_limit_;
  ctx->thread = &thread_;
  ctx->interruption = interruption_;
  ctx->callout_thunk = callout_thunk_;
  ctx->instance = &instance;
  for (FunctionInst* f : instance.funcs) {
    if (f->tier.entry) continue;  // prepared already (ours, or another instance's import)
    if (f->is_host()) {
      f->tier = TierEntry{nullptr, callout_thunk_, nullptr};
    } else if (f->instance == &instance) {
      f->tier = TierEntry{this, lazy_stub_, ctx};
    } else {
      prepare(*f->instance);  // sets f's entry
      if (!f->tier.entry) f->tier = TierEntry{nullptr, callout_thunk_, nullptr};
      continue;
    }
    touched_.push_back(f);
  }
  return ctx;
}

const void* JitExecutor::compile_lazily(FunctionInst& func) {
  if (func.tier.entry != lazy_stub_) return func.tier.entry;
  const auto start = std::chrono::steady_clock::now();
  CompileEnv env{features_,
                 code_,
                 code_map_,
                 options_.limits.consume_fuel,
                 options_.limits.epoch_interruption,
                 trap_entry_,
                 call_site_trap_entry_};
  CompileOutcome out;
  try {
    out = compile_function(func, env);
  } catch (const std::bad_alloc&) {
    out.entry = nullptr;
    out.reason = "out of memory while compiling";
  }
  stats_.compile_seconds +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (out.entry) {
    ++stats_.compiled;
    stats_.body_bytes += out.body_bytes;
    stats_.code_bytes += out.code_bytes;
    func.tier.entry = out.entry;
    return out.entry;
  }
  ++stats_.fallbacks;
  if (options_.report_fallbacks) {
    const std::string_view name = func.instance->module().func_name(func.index);
    std::fprintf(options_.report_fallbacks, "func %u%s%.*s: runs in the interpreter: %s\n",
                 func.index, name.empty() ? "" : " $", static_cast<int>(name.size()), name.data(),
                 out.reason.c_str());
  }
  // The interpreter runs it from now on, also when the interpreter itself calls it.
  func.tier.executor = nullptr;
  func.tier.entry = callout_thunk_;
  return callout_thunk_;
}

bool JitExecutor::ensure_decided(FunctionInst& func) {
  prepare(*func.instance);
  if (func.tier.entry == lazy_stub_) compile_lazily(func);
  return is_compiled(func);
}

std::optional<Trap> JitExecutor::call(FunctionInst& func, std::span<const Value> args,
                                      std::span<Value> results) {
  if (func.is_host()) {
    std::string error;
    try {
      error = func.host(args, results);
    } catch (const std::bad_alloc&) {
      error = "out of memory in a host function";
    } catch (const std::exception& e) {
      error = std::string("host function threw: ") + e.what();
    } catch (...) {
      error = "host function threw an exception";
    }
    if (error.empty()) return std::nullopt;
    return Trap{TrapKind::HostError, std::move(error), {}};
  }
  if (!ok() || !ensure_decided(func)) return interpreter_.call(func, args, results);
  return run_jit(func, args, results);
}

// UBSan's -fsanitize=function (on in the fuzz build) checks an indirect call by reading a type
// signature just before the callee, which generated code does not have: the entry stub starts a
// page, so that read faults. The call into JIT code is exempt.
#if defined(__clang__)
#define LOOM_CALLS_GENERATED_CODE __attribute__((no_sanitize("function")))
#else
#define LOOM_CALLS_GENERATED_CODE
#endif

LOOM_CALLS_GENERATED_CODE
std::optional<Trap> JitExecutor::run_jit(FunctionInst& func, std::span<const Value> args,
                                         std::span<Value> results) {
  // Tier crossings recurse on the host stack: stop well before it ends. The frame address is the
  // real stack (a local's address may lie in ASan's fake stack on the heap).
  const uintptr_t here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  const uintptr_t low = host_stack_low();
  if (low && here >= low && here < low + kHostStackReserve) return exhausted();
  const FuncType& type = *func.type;
  const size_t cells = std::max<size_t>({type.params.size(), type.results.size(), 1});
  const uintptr_t top =
      active_ ? thread_.wasm_sp : reinterpret_cast<uintptr_t>(stack_ + stack_bytes_);
  if (top < stack_limit_ + 16 * cells + 64) return exhausted();
  auto* area = reinterpret_cast<Value*>((top - 16 * cells - 16) & ~uintptr_t{15});
  for (size_t i = 0; i < args.size(); ++i) area[i] = args[i];
  ++active_;
  const uint64_t depth = thread_.depth;
  const int rc = entry_(&func, area, &thread_);
  --active_;
  thread_.depth = depth;  // a trap unwinds without the epilogues
  if (rc != 0) {
    Trap trap = pending_ ? std::move(*pending_) : Trap{TrapKind::HostError, "lost trap", {}};
    pending_.reset();
    return trap;
  }
  for (size_t i = 0; i < results.size(); ++i) results[i] = area[i];
  return std::nullopt;
}

bool JitExecutor::run_callout(FunctionInst& func, Value* cells) {
  try {
    const FuncType& type = *func.type;
    std::vector<Value> args(cells, cells + type.params.size());
    std::vector<Value> results(type.results.size());
    std::optional<Trap> trap = call(func, args, results);
    if (trap) {
      pending_ = std::move(*trap);
      return false;
    }
    std::copy(results.begin(), results.end(), cells);
    return true;
  } catch (const std::bad_alloc&) {
    pending_ = Trap{TrapKind::HostError, "out of memory in a call from JIT code", {}};
    return false;
  }
}

void JitExecutor::append_frames(Trap& trap, uintptr_t rbp, uint32_t first_offset) const {
  uint32_t offset = first_offset;
  while (rbp != 0) {
    const auto* frame = reinterpret_cast<const uintptr_t*>(rbp);
    const auto* func = reinterpret_cast<const FunctionInst*>(frame[-2]);
    TrapFrame tf;
    tf.func_index = func->index;
    tf.func_name = std::string(func->instance->module().func_name(func->index));
    tf.offset = offset;
    trap.backtrace.push_back(std::move(tf));
    const auto* return_address = reinterpret_cast<const void*>(frame[1]);
    rbp = frame[0];
    if (rbp != 0) offset = code_map_.call_site(return_address).value_or(0);
  }
}

void JitExecutor::raise_trap(uint32_t kind, uint32_t wasm_offset, uintptr_t rbp) {
  const auto k = static_cast<TrapKind>(kind);
  pending_ = Trap{k, std::string(trap_message(k)), {}};
  append_frames(*pending_, rbp, wasm_offset);
}

void JitExecutor::raise_at_call_site(uint32_t kind, uintptr_t return_address, uintptr_t rbp) {
  if (kind != kPendingTrap || !pending_) {
    const auto k = kind == kPendingTrap ? TrapKind::HostError : static_cast<TrapKind>(kind);
    pending_ = Trap{k, std::string(trap_message(k)), {}};
  }
  if (rbp == 0) return;
  const uint32_t offset =
      code_map_.call_site(reinterpret_cast<const void*>(return_address)).value_or(0);
  append_frames(*pending_, rbp, offset);
}

}  // namespace loom::jit
