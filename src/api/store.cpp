// Store and the handles into it: Instance, Func, Memory, Table, Global, Extern, Caller.
#include <cstring>

#include "api/state.hpp"

namespace loom::api {
namespace detail {

loom::Executor& StoreState::exec() {
  if (!executor) {
    const EngineConfig& config = engine.config();
    jit::ExecutorOptions options;
    options.limits.consume_fuel = config.consume_fuel || fuel_checks;
    options.limits.epoch_interruption = config.epoch_interruption || epoch_checks;
    options.limits.stack_bytes = config.max_wasm_stack;
    options.limits.max_call_depth = config.max_call_depth;
    options.report_fallbacks = config.jit_fallback_report;
    fuel_checks = options.limits.consume_fuel;
    epoch_checks = options.limits.epoch_interruption;
    executor = jit::make_executor(engine.state().tier, engine.state().features, options);
    store.set_executor(executor.get());
  }
  return *executor;
}

Trap StoreState::convert(const loom::Trap& trap) const {
  std::vector<Frame> frames;
  frames.reserve(trap.backtrace.size());
  for (const loom::TrapFrame& f : trap.backtrace) {
    frames.push_back(Frame{f.func_index, f.func_name, f.offset, 0});
  }
  if (trap.kind == loom::TrapKind::HostError) {
    // proc_exit unwinds as a host error; the context that saw it knows the status.
    for (const auto& context : wasi) {
      if (context->exit_code()) {
        return Trap(TrapKind::Exit, trap.message, std::move(frames), context->exit_code());
      }
    }
  }
  // The public kinds are the runtime's, in the same order (plus Exit at the end).
  static_assert(static_cast<int>(TrapKind::HostError) ==
                static_cast<int>(loom::TrapKind::HostError));
  static_assert(static_cast<int>(TrapKind::NullExceptionReference) ==
                static_cast<int>(loom::TrapKind::NullExceptionReference));
  return Trap(static_cast<TrapKind>(trap.kind), trap.message, std::move(frames));
}

loom::FunctionInst* StoreState::make_host(const FuncType& type, RawHostFunc host,
                                          const Instance* caller) {
  loom::HostCallback callback = [this, host = std::move(host), caller](
                                    std::span<const loom::Value> args,
                                    std::span<loom::Value> results) -> std::string {
    Caller context(this, caller ? *caller : Instance());
    Status status = host(
        context, std::span<const RawVal>(reinterpret_cast<const RawVal*>(args.data()), args.size()),
        std::span<RawVal>(reinterpret_cast<RawVal*>(results.data()), results.size()));
    if (status) return {};
    const std::string& message = status.error().message();
    return message.empty() ? std::string("host error") : message;
  };
  return store.create_host_function(to_internal(type), std::move(callback));
}

Result<Instance> StoreState::instantiate(const Module& module,
                                         std::span<const loom::Extern> imports,
                                         const std::function<void(const Instance&)>& bind) {
  if (module.state().engine.get() != &engine.state()) {
    return Error(ErrorKind::Usage, "the module was compiled by another engine");
  }
  exec();
  loom::Result<loom::Instance*> made =
      loom::instantiate_without_start(store, module.state().module, imports);
  if (!made) return to_public(made.error());
  Instance instance(this, *made);
  if (bind) bind(instance);
  if (std::optional<loom::Trap> trap = loom::run_start(store, **made)) return convert(*trap);
  return instance;
}

Extern from_internal(StoreState* store, const loom::Extern& ext) {
  switch (ext.kind) {
    case loom::ExternKind::Table:
      return Table(store, ext.object);
    case loom::ExternKind::Memory:
      return Memory(store, ext.object);
    case loom::ExternKind::Global:
      return Global(store, ext.object);
    default:
      return Func(store, ext.object);
  }
}

}  // namespace detail

namespace {

Error usage(std::string message) {
  return Error(ErrorKind::Usage, std::move(message));
}

loom::FunctionInst& func_of(void* object) {
  return *static_cast<loom::FunctionInst*>(object);
}
loom::MemoryInst& memory_of(void* object) {
  return *static_cast<loom::MemoryInst*>(object);
}
loom::TableInst& table_of(void* object) {
  return *static_cast<loom::TableInst*>(object);
}
loom::GlobalInst& global_of(void* object) {
  return *static_cast<loom::GlobalInst*>(object);
}

// A value of `kind` that may go into `store` (a funcref from another store may not).
Status check_value(const Val& v, ValKind kind, detail::StoreState* store) {
  if (v.kind() != kind) {
    return usage("expected a value of type " + to_string(kind) + ", got " + to_string(v.kind()));
  }
  if (kind == ValKind::FuncRef && !v.is_null() && v.store_state() != store) {
    return usage("the funcref belongs to another store");
  }
  return Ok{};
}

}  // namespace

Val::Val(const Func& func) : kind_(ValKind::FuncRef), store_(func.store_state()) {
  raw_.v128 = {};
  raw_.ref = func.object();
}

std::optional<Func> Val::funcref() const {
  if (kind_ != ValKind::FuncRef || !raw_.ref) return std::nullopt;
  return Func(store_, raw_.ref);
}

// Store.

Store::Store(const Engine& engine) : state_(std::make_unique<detail::StoreState>(engine)) {}
Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

const Engine& Store::engine() const {
  return state_->engine;
}

void Store::set_limits(const StoreLimits& limits) {
  state_->limits = limits;
  state_->store.set_limits(loom::StoreLimits{limits.max_memory_bytes, limits.max_table_elements,
                                             limits.max_instances, limits.max_memories,
                                             limits.max_tables});
}
const StoreLimits& Store::limits() const {
  return state_->limits;
}

Status Store::set_fuel(uint64_t fuel) {
  if (state_->executor && !state_->fuel_checks) {
    return usage(
        "fuel is not enabled: set it before the store's first instantiation, or set "
        "EngineConfig::consume_fuel");
  }
  state_->fuel_checks = true;
  state_->store.set_fuel(fuel);
  return Ok{};
}

Result<uint64_t> Store::fuel() const {
  if (!state_->fuel_checks && !state_->engine.config().consume_fuel) {
    return usage("fuel is not enabled in this store");
  }
  return state_->store.fuel_remaining();
}

Status Store::set_timeout(std::chrono::nanoseconds timeout) {
  if (state_->executor && !state_->epoch_checks) {
    return usage(
        "timeouts are not enabled: set one before the store's first instantiation, or "
        "set EngineConfig::epoch_interruption");
  }
  state_->epoch_checks = true;
  state_->timer.reset();
  state_->store.interruption().epoch.store(0);
  state_->timer.emplace(state_->store.interruption(), timeout);
  return Ok{};
}

void Store::clear_timeout() {
  state_->timer.reset();
  state_->store.interruption().epoch.store(0);
  state_->store.interruption().epoch_deadline = UINT64_MAX;
}

void Store::interrupt() {
  // The epoch passes every deadline; only the atomic epoch is touched from another thread.
  state_->store.interruption().epoch.store(UINT64_MAX);
}

// Func.

Func Func::create(Store& store, const FuncType& type, HostFunc host) {
  detail::StoreState* state = &store.state();
  RawHostFunc raw = [type, host = std::move(host), state](Caller& caller,
                                                          std::span<const RawVal> args,
                                                          std::span<RawVal> results) -> Status {
    std::vector<Val> in, out;
    in.reserve(args.size());
    for (size_t i = 0; i < args.size(); ++i) {
      in.push_back(Val::from_raw(type.params[i], args[i], state));
    }
    out.reserve(results.size());
    for (ValKind k : type.results) out.push_back(Val::zero(k));
    Status status = host(caller, in, out);
    if (!status) return status;
    for (size_t i = 0; i < results.size(); ++i) {
      if (Status ok = check_value(out[i], type.results[i], state); !ok) {
        return Error(ErrorKind::Usage,
                     "host function result " + std::to_string(i) + ": " + ok.error().message());
      }
      results[i] = out[i].raw();
    }
    return Ok{};
  };
  return create_raw(store, type, std::move(raw));
}

Func Func::create_raw(Store& store, const FuncType& type, RawHostFunc host) {
  return Func(&store.state(), store.state().make_host(type, std::move(host), nullptr));
}

FuncType Func::type() const {
  return detail::to_public(*func_of(object_).type);
}

Status Func::call_raw(const RawVal* args, RawVal* results) const {
  loom::FunctionInst& f = func_of(object_);
  std::optional<loom::Trap> trap = store_->exec().call(
      f,
      std::span<const loom::Value>(reinterpret_cast<const loom::Value*>(args),
                                   f.type->params.size()),
      std::span<loom::Value>(reinterpret_cast<loom::Value*>(results), f.type->results.size()));
  if (trap) return store_->convert(*trap);
  return Ok{};
}

Status Func::call(std::span<const Val> args, std::span<Val> results) const {
  const loom::FuncType& type = *func_of(object_).type;
  if (args.size() != type.params.size()) {
    return usage("expected " + std::to_string(type.params.size()) + " arguments, got " +
                 std::to_string(args.size()));
  }
  if (results.size() != type.results.size()) {
    return usage("expected room for " + std::to_string(type.results.size()) + " results, got " +
                 std::to_string(results.size()));
  }
  constexpr size_t kInline = 8;
  RawVal in_inline[kInline], out_inline[kInline];
  std::vector<RawVal> in_heap, out_heap;
  RawVal* in = in_inline;
  RawVal* out = out_inline;
  if (args.size() > kInline) {
    in_heap.resize(args.size());
    in = in_heap.data();
  }
  if (results.size() > kInline) {
    out_heap.resize(results.size());
    out = out_heap.data();
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const ValKind kind = detail::to_public(type.params[i]);
    if (Status ok = check_value(args[i], kind, store_); !ok) {
      return usage("argument " + std::to_string(i) + ": " + ok.error().message());
    }
    in[i] = args[i].raw();
  }
  if (Status status = call_raw(in, out); !status) return status;
  for (size_t i = 0; i < results.size(); ++i) {
    results[i] = Val::from_raw(detail::to_public(type.results[i]), out[i], store_);
  }
  return Ok{};
}

Result<std::vector<Val>> Func::call(std::span<const Val> args) const {
  std::vector<Val> results(func_of(object_).type->results.size());
  if (Status status = call(args, results); !status) return status.error();
  return results;
}

// Memory.

Result<Memory> Memory::create(Store& store, const MemoryType& type) {
  const uint64_t max_pages = type.is64 ? uint64_t{1} << 48 : uint64_t{1} << 16;
  if (type.limits.min > max_pages ||
      (type.limits.max && (*type.limits.max < type.limits.min || *type.limits.max > max_pages))) {
    return usage("memory limits out of range");
  }
  loom::MemoryType internal;
  internal.limits = detail::to_internal(type.limits, type.is64);
  loom::Result<loom::MemoryInst*> memory = store.state().store.create_memory(internal);
  if (!memory) return detail::to_public(memory.error());
  return Memory(&store.state(), *memory);
}

MemoryType Memory::type() const {
  MemoryType type = detail::to_public(memory_of(object_).type());
  type.limits.min = memory_of(object_).pages();  // the current size, as wasm-c-api reports it
  return type;
}
uint8_t* Memory::data() const {
  return memory_of(object_).base();
}
uint64_t Memory::data_size() const {
  return memory_of(object_).size_bytes();
}
uint64_t Memory::pages() const {
  return memory_of(object_).pages();
}

Result<uint64_t> Memory::grow(uint64_t delta) const {
  const int64_t old = memory_of(object_).grow(delta);
  if (old < 0)
    return Error(ErrorKind::Limit, "memory cannot grow by " + std::to_string(delta) + " pages");
  return static_cast<uint64_t>(old);
}

Status Memory::read(uint64_t offset, std::span<uint8_t> out) const {
  loom::MemoryInst& m = memory_of(object_);
  if (!m.in_bounds(offset, out.size())) {
    return Trap(TrapKind::OutOfBoundsMemoryAccess, "out of bounds memory access");
  }
  if (!out.empty()) std::memcpy(out.data(), m.base() + offset, out.size());
  return Ok{};
}

Status Memory::write(uint64_t offset, std::span<const uint8_t> bytes) const {
  loom::MemoryInst& m = memory_of(object_);
  if (!m.in_bounds(offset, bytes.size())) {
    return Trap(TrapKind::OutOfBoundsMemoryAccess, "out of bounds memory access");
  }
  if (!bytes.empty()) std::memcpy(m.base() + offset, bytes.data(), bytes.size());
  return Ok{};
}

// Table.

Result<Table> Table::create(Store& store, const TableType& type, const Val& init) {
  if (type.element != ValKind::FuncRef && type.element != ValKind::ExternRef) {
    return usage("a table holds references");
  }
  if (Status ok = check_value(init, type.element, &store.state()); !ok) return ok.error();
  if (type.limits.max && *type.limits.max < type.limits.min)
    return usage("table limits out of range");
  loom::TableType internal;
  internal.elem = detail::to_internal(type.element);
  internal.limits = detail::to_internal(type.limits, type.is64);
  loom::Result<loom::TableInst*> table = store.state().store.create_table(internal, init.raw().ref);
  if (!table) return detail::to_public(table.error());
  return Table(&store.state(), *table);
}

TableType Table::type() const {
  TableType type = detail::to_public(table_of(object_).type());
  type.limits.min = table_of(object_).size();
  return type;
}
uint64_t Table::size() const {
  return table_of(object_).size();
}

Result<Val> Table::get(uint64_t index) const {
  loom::TableInst& t = table_of(object_);
  if (index >= t.size())
    return Trap(TrapKind::OutOfBoundsTableAccess, "out of bounds table access");
  RawVal raw{};
  raw.ref = t.get(index);
  return Val::from_raw(detail::to_public(t.type().elem), raw, store_);
}

Status Table::set(uint64_t index, const Val& value) const {
  loom::TableInst& t = table_of(object_);
  if (Status ok = check_value(value, detail::to_public(t.type().elem), store_); !ok) return ok;
  if (index >= t.size())
    return Trap(TrapKind::OutOfBoundsTableAccess, "out of bounds table access");
  t.set(index, value.raw().ref);
  return Ok{};
}

Result<uint64_t> Table::grow(uint64_t delta, const Val& init) const {
  loom::TableInst& t = table_of(object_);
  if (Status ok = check_value(init, detail::to_public(t.type().elem), store_); !ok) {
    return ok.error();
  }
  const int64_t old = t.grow(delta, init.raw().ref);
  if (old < 0) return Error(ErrorKind::Limit, "table cannot grow by " + std::to_string(delta));
  return static_cast<uint64_t>(old);
}

// Global.

Result<Global> Global::create(Store& store, const GlobalType& type, const Val& value) {
  if (Status ok = check_value(value, type.content, &store.state()); !ok) return ok.error();
  loom::GlobalInst* global = store.state().store.create_global(
      loom::GlobalType{detail::to_internal(type.content), type.is_mutable},
      detail::to_value(value));
  return Global(&store.state(), global);
}

GlobalType Global::type() const {
  return detail::to_public(global_of(object_).type);
}

Val Global::get() const {
  const loom::GlobalInst& g = global_of(object_);
  return detail::to_val(detail::to_public(g.type.type), g.value, store_);
}

Status Global::set(const Val& value) const {
  loom::GlobalInst& g = global_of(object_);
  if (!g.type.is_mutable) return usage("the global is immutable");
  if (Status ok = check_value(value, detail::to_public(g.type.type), store_); !ok) return ok;
  g.value = detail::to_value(value);
  return Ok{};
}

// Extern.

ExternType Extern::type() const {
  ExternType t;
  t.kind = kind_;
  switch (kind_) {
    case ExternKind::Func:
      t.func = Func(store_, object_).type();
      break;
    case ExternKind::Table:
      t.table = Table(store_, object_).type();
      break;
    case ExternKind::Memory:
      t.memory = Memory(store_, object_).type();
      break;
    case ExternKind::Global:
      t.global = Global(store_, object_).type();
      break;
    case ExternKind::Tag:
      break;
  }
  return t;
}

std::optional<Func> Extern::func() const {
  return kind_ == ExternKind::Func ? std::optional<Func>(Func(store_, object_)) : std::nullopt;
}
std::optional<Memory> Extern::memory() const {
  return kind_ == ExternKind::Memory ? std::optional<Memory>(Memory(store_, object_))
                                     : std::nullopt;
}
std::optional<Table> Extern::table() const {
  return kind_ == ExternKind::Table ? std::optional<Table>(Table(store_, object_)) : std::nullopt;
}
std::optional<Global> Extern::global() const {
  return kind_ == ExternKind::Global ? std::optional<Global>(Global(store_, object_))
                                     : std::nullopt;
}

// Instance.

Result<Instance> Instance::create(Store& store, const Module& module,
                                  std::span<const Extern> imports) {
  std::vector<loom::Extern> externs;
  externs.reserve(imports.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    if (imports[i].store_state() != &store.state()) {
      return Error(ErrorKind::Link, "import " + std::to_string(i) + " belongs to another store");
    }
    externs.push_back(detail::to_internal(imports[i]));
  }
  if (externs.size() != module.state().module->imports.size()) {
    return Error(ErrorKind::Link, "the module has " +
                                      std::to_string(module.state().module->imports.size()) +
                                      " imports, got " + std::to_string(externs.size()));
  }
  return store.state().instantiate(module, externs, nullptr);
}

std::optional<Extern> Instance::get_export(std::string_view name) const {
  const auto* instance = static_cast<const loom::Instance*>(object_);
  std::optional<loom::Extern> ext = instance->find_export(name);
  if (!ext || ext->kind == loom::ExternKind::Tag) return std::nullopt;
  return detail::from_internal(store_, *ext);
}
std::optional<Func> Instance::get_func(std::string_view name) const {
  auto ext = get_export(name);
  return ext ? ext->func() : std::nullopt;
}
std::optional<Memory> Instance::get_memory(std::string_view name) const {
  auto ext = get_export(name);
  return ext ? ext->memory() : std::nullopt;
}
std::optional<Table> Instance::get_table(std::string_view name) const {
  auto ext = get_export(name);
  return ext ? ext->table() : std::nullopt;
}
std::optional<Global> Instance::get_global(std::string_view name) const {
  auto ext = get_export(name);
  return ext ? ext->global() : std::nullopt;
}

std::vector<std::pair<std::string, Extern>> Instance::exports() const {
  const auto* instance = static_cast<const loom::Instance*>(object_);
  std::vector<std::pair<std::string, Extern>> out;
  for (const loom::Export& exp : instance->module().exports) {
    if (exp.kind == loom::ExternKind::Tag) continue;
    if (auto ext = instance->find_export(exp.name)) {
      out.emplace_back(exp.name, detail::from_internal(store_, *ext));
    }
  }
  return out;
}

// Caller.

std::optional<Extern> Caller::get_export(std::string_view name) const {
  return instance_.object() ? instance_.get_export(name) : std::nullopt;
}
std::optional<Func> Caller::get_func(std::string_view name) const {
  return instance_.object() ? instance_.get_func(name) : std::nullopt;
}
std::optional<Memory> Caller::memory(std::string_view name) const {
  return instance_.object() ? instance_.get_memory(name) : std::nullopt;
}

}  // namespace loom::api
