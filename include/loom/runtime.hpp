// Engine, Module, Store and the store's objects (Instance, Func, Memory, Table, Global).
//
// Ownership: Engine and Module are shared, immutable and thread-safe (copy them freely, use them
// from any thread). A Store owns every object created in it and is used by one thread at a time.
// Instance, Func, Memory, Table, Global, Extern and Caller are cheap handles into their store:
// they stay valid as long as the store lives, and must be used with that store only.
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "loom/result.hpp"
#include "loom/types.hpp"

namespace loom::api {

namespace detail {
struct EngineState;
struct ModuleState;
struct StoreState;
}  // namespace detail

// How wasm code runs: Default picks the JIT where this machine runs it, else the interpreter.
enum class Tier : uint8_t { Default, Interp, Jit };
// The tier Default stands for on this machine (Jit where it runs, else Interp).
LOOM_API Tier default_tier();

// An optional feature (features.def): its flag name, whether it is on by default, and whether
// the execution tiers run it (an engine that executes refuses to enable one they do not).
struct FeatureInfo {
  std::string name;
  bool default_on = false;
  bool interpreted = false;
};
// Every optional feature, in features.def order (the core feature, always on, is not listed).
LOOM_API std::vector<FeatureInfo> all_features();

struct EngineConfig {
  Tier tier = Tier::Default;
  // Optional features by their flag name ("simd", "tail-call", ...; see --enable-* of `loom`),
  // applied in order on top of the default set (WebAssembly 2.0 plus the 3.0 features on by
  // default).
  std::vector<std::pair<std::string, bool>> features;
  // Compile fuel and epoch checks into all code. A store turns them on by itself when
  // Store::set_fuel / set_timeout is called before its first instantiation.
  bool consume_fuel = false;
  bool epoch_interruption = false;
  uint64_t max_wasm_stack = uint64_t{64} << 20;  // bytes of each store's wasm value stack
  uint32_t max_call_depth = 100'000;             // wasm frames
  // False for an engine that only decodes, validates, converts and prints modules (text.hpp):
  // it then accepts every feature, also those no tier runs yet. Its stores must not run code.
  bool execute = true;
  // When set, the JIT writes one line to it per function it leaves to the interpreter, and why.
  std::FILE* jit_fallback_report = nullptr;

  EngineConfig& enable(std::string feature, bool on = true) {
    features.emplace_back(std::move(feature), on);
    return *this;
  }
};

class LOOM_API Engine {
 public:
  Engine();  // the default configuration
  // Fails (Usage) on an unknown feature name or one the chosen tier cannot run.
  static Result<Engine> create(const EngineConfig& config);
  const EngineConfig& config() const;
  Tier tier() const;  // the tier in use (never Default)
  const detail::EngineState& state() const { return *state_; }

 private:
  explicit Engine(std::shared_ptr<const detail::EngineState> state) : state_(std::move(state)) {}
  std::shared_ptr<const detail::EngineState> state_;
  friend class Module;
  friend class Store;
  friend class Linker;
};

class LOOM_API Module {
 public:
  // A binary module, decoded and validated.
  static Result<Module> compile(const Engine& engine, std::span<const uint8_t> binary);
  // A text (WAT) module, parsed and validated.
  static Result<Module> compile_wat(const Engine& engine, std::string_view text);
  // Binary or text module bytes (told apart by the binary magic number), as from_file reads.
  static Result<Module> from_bytes(const Engine& engine, std::span<const uint8_t> bytes);
  // A .wasm or .wat file (told apart by the binary magic number).
  static Result<Module> from_file(const Engine& engine, const std::string& path);
  // Ok when `binary` decodes and validates; else the Malformed or Invalid error.
  static Status validate(const Engine& engine, std::span<const uint8_t> binary);

  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;
  // A binary encoding of the module; deserialize() (or compile()) reads it back.
  std::vector<uint8_t> serialize() const;
  static Result<Module> deserialize(const Engine& engine, std::span<const uint8_t> bytes);

  const detail::ModuleState& state() const { return *state_; }

 private:
  explicit Module(std::shared_ptr<const detail::ModuleState> state) : state_(std::move(state)) {}
  std::shared_ptr<const detail::ModuleState> state_;
  friend class Instance;
  friend class Linker;
};

// Resource limits of one store, over all its objects (imports included). Past them,
// instantiation fails with a Limit error and memory.grow / table.grow return -1.
struct StoreLimits {
  uint64_t max_memory_bytes = uint64_t{4} << 30;
  uint64_t max_table_elements = 10'000'000;
  uint32_t max_instances = 10'000;
  uint32_t max_memories = 1'000;
  uint32_t max_tables = 10'000;
};

class LOOM_API Store {
 public:
  explicit Store(const Engine& engine);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Engine& engine() const;
  void set_limits(const StoreLimits& limits);
  const StoreLimits& limits() const;

  // Fuel: the guest traps (TrapKind::OutOfFuel) after about `fuel` wasm instructions. Fails
  // (Usage) when code of this store already runs without fuel checks (set it before the first
  // instantiation, or set EngineConfig::consume_fuel).
  Status set_fuel(uint64_t fuel);
  Result<uint64_t> fuel() const;
  // Timeout: wasm running in this store traps (TrapKind::Interrupted) once `timeout` has passed
  // from now. Same condition as set_fuel. clear_timeout() lifts it.
  Status set_timeout(std::chrono::nanoseconds timeout);
  void clear_timeout();
  // Interrupts running wasm at its next function entry or loop (callable from any thread), when
  // epoch checks are compiled in (a timeout was set, or EngineConfig::epoch_interruption). All
  // later wasm in the store traps the same way until set_timeout or clear_timeout.
  void interrupt();

  detail::StoreState& state() { return *state_; }
  const detail::StoreState& state() const { return *state_; }

 private:
  std::unique_ptr<detail::StoreState> state_;
};

class Memory;
class Table;
class Global;
class Extern;
class Caller;
template <typename Signature>
class TypedFunc;

// The functions a host provides: read `args` (their kinds are the function's parameter types),
// write `results`; an Error traps the guest with its message (TrapKind::HostError).
using HostFunc =
    std::function<Status(Caller& caller, std::span<const Val> args, std::span<Val> results)>;
// The same on raw cells, as typed host functions use (detail of Linker::func_wrap).
using RawHostFunc =
    std::function<Status(Caller& caller, std::span<const RawVal> args, std::span<RawVal> results)>;

class LOOM_API Func {
 public:
  Func() = default;
  // A host function of `type` in `store`.
  static Func create(Store& store, const FuncType& type, HostFunc host);
  static Func create_raw(Store& store, const FuncType& type, RawHostFunc host);
  // A host function from a C++ callable, its type derived from the C++ types (see linker.hpp).
  template <typename F>
  static Func wrap(Store& store, F&& callable);

  FuncType type() const;
  // Calls with `args` (checked against the parameter types).
  Result<std::vector<Val>> call(std::span<const Val> args) const;
  Result<std::vector<Val>> call(std::initializer_list<Val> args) const {
    return call(std::span<const Val>(args.begin(), args.size()));
  }
  // The same without allocating: `results` must have the result count.
  Status call(std::span<const Val> args, std::span<Val> results) const;
  // Unchecked call on raw cells (typed calls use it): args and results must match the type.
  Status call_raw(const RawVal* args, RawVal* results) const;
  // A typed view, e.g. func.typed<int32_t(int32_t, int32_t)>(); fails (Usage) when the function's
  // type differs.
  template <typename Signature>
  Result<TypedFunc<Signature>> typed() const;

  bool valid() const { return object_ != nullptr; }
  void* object() const { return object_; }  // the runtime's function object (identity)
  detail::StoreState* store_state() const { return store_; }
  friend bool operator==(const Func& a, const Func& b) { return a.object_ == b.object_; }
  Func(detail::StoreState* store, void* object) : store_(store), object_(object) {}

 private:
  detail::StoreState* store_ = nullptr;
  void* object_ = nullptr;
};

class LOOM_API Memory {
 public:
  Memory() = default;
  static Result<Memory> create(Store& store, const MemoryType& type);
  MemoryType type() const;
  uint8_t* data() const;
  uint64_t data_size() const;  // bytes
  uint64_t pages() const;
  std::span<uint8_t> span() const { return {data(), static_cast<size_t>(data_size())}; }
  // Grows by `delta` pages; returns the old page count. Fails (Limit) past the maximum or the
  // store's limits.
  Result<uint64_t> grow(uint64_t delta) const;
  // Bounds-checked copies (OutOfBoundsMemoryAccess trap error when out of range).
  Status read(uint64_t offset, std::span<uint8_t> out) const;
  Status write(uint64_t offset, std::span<const uint8_t> bytes) const;

  void* object() const { return object_; }
  detail::StoreState* store_state() const { return store_; }
  friend bool operator==(const Memory& a, const Memory& b) { return a.object_ == b.object_; }
  Memory(detail::StoreState* store, void* object) : store_(store), object_(object) {}

 private:
  detail::StoreState* store_ = nullptr;
  void* object_ = nullptr;
};

class LOOM_API Table {
 public:
  Table() = default;
  static Result<Table> create(Store& store, const TableType& type, const Val& init);
  TableType type() const;
  uint64_t size() const;
  Result<Val> get(uint64_t index) const;
  Status set(uint64_t index, const Val& value) const;
  // Grows by `delta` elements set to `init`; returns the old size.
  Result<uint64_t> grow(uint64_t delta, const Val& init) const;

  void* object() const { return object_; }
  detail::StoreState* store_state() const { return store_; }
  friend bool operator==(const Table& a, const Table& b) { return a.object_ == b.object_; }
  Table(detail::StoreState* store, void* object) : store_(store), object_(object) {}

 private:
  detail::StoreState* store_ = nullptr;
  void* object_ = nullptr;
};

class LOOM_API Global {
 public:
  Global() = default;
  static Result<Global> create(Store& store, const GlobalType& type, const Val& value);
  GlobalType type() const;
  Val get() const;
  // Fails (Usage) on an immutable global or a value of another type.
  Status set(const Val& value) const;

  void* object() const { return object_; }
  detail::StoreState* store_state() const { return store_; }
  friend bool operator==(const Global& a, const Global& b) { return a.object_ == b.object_; }
  Global(detail::StoreState* store, void* object) : store_(store), object_(object) {}

 private:
  detail::StoreState* store_ = nullptr;
  void* object_ = nullptr;
};

// Any of the four: what imports take and exports give.
class LOOM_API Extern {
 public:
  Extern(const Func& f) : kind_(ExternKind::Func), store_(f.store_state()), object_(f.object()) {}
  Extern(const Memory& m)  // NOLINT
      : kind_(ExternKind::Memory), store_(m.store_state()), object_(m.object()) {}
  Extern(const Table& t)  // NOLINT
      : kind_(ExternKind::Table), store_(t.store_state()), object_(t.object()) {}
  Extern(const Global& g)  // NOLINT
      : kind_(ExternKind::Global), store_(g.store_state()), object_(g.object()) {}
  ExternKind kind() const { return kind_; }
  ExternType type() const;
  std::optional<Func> func() const;
  std::optional<Memory> memory() const;
  std::optional<Table> table() const;
  std::optional<Global> global() const;
  void* object() const { return object_; }
  detail::StoreState* store_state() const { return store_; }

 private:
  ExternKind kind_;
  detail::StoreState* store_;
  void* object_;
};

class LOOM_API Instance {
 public:
  Instance() = default;
  // Instantiates with `imports` in the module's import order (Link error on a mismatch; a trap
  // in a segment or the start function is a Trap error).
  static Result<Instance> create(Store& store, const Module& module,
                                 std::span<const Extern> imports);
  std::optional<Extern> get_export(std::string_view name) const;
  std::optional<Func> get_func(std::string_view name) const;
  std::optional<Memory> get_memory(std::string_view name) const;
  std::optional<Table> get_table(std::string_view name) const;
  std::optional<Global> get_global(std::string_view name) const;
  // Every export, in the module's order.
  std::vector<std::pair<std::string, Extern>> exports() const;

  void* object() const { return object_; }
  detail::StoreState* store_state() const { return store_; }
  Instance(detail::StoreState* store, void* object) : store_(store), object_(object) {}

 private:
  detail::StoreState* store_ = nullptr;
  void* object_ = nullptr;
};

// What a host function sees of its caller: the instance whose import it is (none for a function
// made with Func::create/wrap outside a Linker), its exports and memory.
class LOOM_API Caller {
 public:
  Caller(detail::StoreState* store, Instance instance) : store_(store), instance_(instance) {}
  std::optional<Instance> instance() const {
    return instance_.object() ? std::optional<Instance>(instance_) : std::nullopt;
  }
  std::optional<Extern> get_export(std::string_view name) const;
  std::optional<Func> get_func(std::string_view name) const;
  std::optional<Memory> memory(std::string_view name = "memory") const;
  detail::StoreState* store_state() const { return store_; }

 private:
  detail::StoreState* store_;
  Instance instance_;
};

}  // namespace loom::api

#ifndef LOOM_BUILDING_LIBRARY
namespace loom {
using namespace ::loom::api;
}  // namespace loom
#endif
