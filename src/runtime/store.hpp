// The store owns every runtime object (functions, tables, memories, globals, instances); objects
// refer to each other by plain pointers that stay valid for the store's lifetime.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/module.hpp"
#include "ir/type_canon.hpp"
#include "runtime/exception.hpp"
#include "runtime/memory.hpp"
#include "runtime/resource_budget.hpp"
#include "runtime/table.hpp"
#include "runtime/trap.hpp"
#include "runtime/value.hpp"
#include "util/result.hpp"

namespace loom {

class Instance;
class Store;

// A host function: reads `args`, writes `results` (sized by the function type); returns a trap
// message to trap, or an empty string on success.
using HostCallback =
    std::function<std::string(std::span<const Value> args, std::span<Value> results)>;

class Executor;

// How another execution tier runs a function (docs/runtime-abi.md "Tier crossings"): when
// `executor` is set, an interpreter calls the function through executor->call (the array-call
// convention) instead of running it itself. The JIT sets it for the functions it owns; `entry`
// and `context` are its native entry and the instance's VM context, owned by that executor.
struct TierEntry {
  Executor* executor = nullptr;
  const void* entry = nullptr;
  void* context = nullptr;
};

struct FunctionInst {
  const FuncType* type = nullptr;  // interned in the store
  uint32_t type_id = 0;            // canonical id: equal ids <=> equivalent types (type_canon.hpp)
  Instance* instance = nullptr;    // wasm function: its instance; nullptr for host functions
  uint32_t index = 0;              // wasm function: index in the instance's module
  HostCallback host;               // host function
  void* code = nullptr;            // the interpreter's compiled code, owned by the interpreter
  TierEntry tier;                  // set while another tier (the JIT) runs this function
  bool is_host() const { return instance == nullptr; }
};

struct GlobalInst {
  GlobalType type;
  Value value{};
};

// A reference to any external value, as imports and exports pass them.
struct Extern {
  ExternKind kind = ExternKind::Func;
  void* object = nullptr;  // FunctionInst*, TableInst*, MemoryInst*, GlobalInst* or TagInst*
  FunctionInst* func() const { return static_cast<FunctionInst*>(object); }
  TableInst* table() const { return static_cast<TableInst*>(object); }
  MemoryInst* memory() const { return static_cast<MemoryInst*>(object); }
  GlobalInst* global() const { return static_cast<GlobalInst*>(object); }
  TagInst* tag() const { return static_cast<TagInst*>(object); }
};

// Runs wasm code; the execution tier (interpreter or JIT) implements it.
class Executor {
 public:
  virtual ~Executor();  // detaches from its store, if still attached
  // Store::set_executor calls this: from then on the executor reads `store`'s Interruption (fuel,
  // epoch deadline). An executor serves one store at a time.
  virtual void attach(Store& store) { (void)store; }
  // The store stops using this executor (another one is set, or the store is being destroyed;
  // its objects are still alive during the call): forget every pointer into it.
  virtual void detach(Store& store) { (void)store; }
  // Calls `func` with `args`; writes `results`. Returns a trap on failure.
  virtual std::optional<Trap> call(FunctionInst& func, std::span<const Value> args,
                                   std::span<Value> results) = 0;

 private:
  friend class Store;
  Store* attached_ = nullptr;  // the store whose executor this is (Store::set_executor)
};

// Resource limits of one store, counted over all its objects (imports included, since they are
// the store's too). A module that asks for more gets an error at instantiation naming the limit,
// and memory.grow / table.grow return -1: a hostile module can never exhaust the host. The
// defaults allow any single 32-bit memory (4 GiB, committed only as the guest touches it) and
// any single table (limits.def table-elements: 80 MB of references); 1,000 memories reserve
// 8 TiB of the 128 TiB of address space. `loom run --max-memory-size/--max-table-elements/
// --max-instances/--max-memories/--max-tables` change them.
struct StoreLimits {
  uint64_t max_memory_bytes = uint64_t{4} << 30;  // all linear memories of the store together
  uint64_t max_table_elements = 10'000'000;       // all tables of the store together
  uint32_t max_instances = 10'000;
  uint32_t max_memories = 1'000;
  uint32_t max_tables = 10'000;
};

// Interruption (DESIGN.md "Limits and interruption"): every tier checks both at function entries
// and loop back-edges, when its executor was configured to (InterpreterLimits::consume_fuel /
// epoch_interruption); they cost nothing when off.
struct Interruption {
  uint64_t fuel = 0;                     // remaining fuel, about one unit per wasm instruction
  std::atomic<uint64_t> epoch{0};        // bumped by a timer thread (--timeout)
  uint64_t epoch_deadline = UINT64_MAX;  // trap "interrupt" once epoch >= epoch_deadline
};

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  ~Store();

  // Types are interned iso-recursively: equivalent types always get the same canonical id. A
  // host function type (numbers and abstract references only) is a final type of its own group.
  uint32_t intern_type(const FuncType& type);
  // Canonical ids of all of a (validated) module's types.
  std::vector<uint32_t> intern_module_types(const Module& module);
  // The signature of a canonical function type; its concrete references name canonical ids.
  const FuncType& type(uint32_t id) const { return *types_[id]; }
  // Subtyping between canonical types (declared supertypes, walked up: at most subtype-depth).
  bool type_is_subtype(uint32_t sub, uint32_t super) const;
  CompKind type_kind(uint32_t id) const { return type_kinds_[id]; }
  // actual <: expected for value types whose concrete heap types are canonical ids.
  bool val_type_matches(ValType actual, ValType expected) const;
  // `t` with the module-relative type indices in it replaced by canonical ids.
  static ValType canonical(ValType t, std::span<const uint32_t> type_ids) {
    if (t.is_ref() && t.heap.is_index() && t.heap.value < type_ids.size()) {
      t.heap = HeapType::index(type_ids[t.heap.value]);
    }
    return t;
  }

  FunctionInst* create_host_function(const FuncType& type, HostCallback callback);
  FunctionInst* create_wasm_function(uint32_t type_id, Instance* instance, uint32_t index);
  Result<MemoryInst*> create_memory(const MemoryType& type);
  Result<TableInst*> create_table(const TableType& type, Ref init);
  GlobalInst* create_global(const GlobalType& type, Value value);
  TagInst* create_tag(uint32_t type_id);
  // Exceptions (exception.hpp) are charged to the memory budget, like the store's other guest-
  // driven allocations: nullptr once it is used up. recycle_exception() takes back an exception
  // nothing references (ExceptionInst::referenced is false), so a throw/catch loop reuses it.
  ExceptionInst* create_exception(TagInst* tag, std::span<const Value> fields);
  void recycle_exception(ExceptionInst* exception);
  // Fails, before anything is allocated, when the module's own memories and tables (at their
  // initial sizes) or one more instance would pass the store's limits.
  Result<Instance*> create_instance(std::shared_ptr<const Module> module);

  const StoreLimits& limits() const { return limits_; }
  void set_limits(const StoreLimits& limits);
  // What the store's memories and tables hold now, counted against limits().
  uint64_t memory_bytes() const { return memory_bytes_.used; }
  uint64_t table_elements() const { return table_elements_.used; }
  Interruption& interruption() { return interruption_; }
  // Fuel for an executor that consumes it: the guest traps with "all fuel consumed" after about
  // `fuel` instructions.
  void set_fuel(uint64_t fuel) { interruption_.fuel = fuel; }
  uint64_t fuel_remaining() const { return interruption_.fuel; }

  // Attaches `executor` (detaching the previous one); null detaches.
  void set_executor(Executor* executor);
  Executor* executor() const { return executor_; }

 private:
  // Declared before the objects that charge them, so they outlive those objects.
  ResourceBudget memory_bytes_{0, StoreLimits{}.max_memory_bytes};
  ResourceBudget table_elements_{0, StoreLimits{}.max_table_elements};
  TypeCanonicalizer canonicalizer_;
  // Per canonical id: the signature (empty for struct and array types), kind and supertype.
  std::vector<std::unique_ptr<FuncType>> types_;
  std::vector<CompKind> type_kinds_;
  std::vector<uint32_t> type_supers_;
  std::vector<std::unique_ptr<FunctionInst>> functions_;
  std::vector<std::unique_ptr<MemoryInst>> memories_;
  std::vector<std::unique_ptr<TableInst>> tables_;
  std::vector<std::unique_ptr<GlobalInst>> globals_;
  std::vector<std::unique_ptr<TagInst>> tags_;
  std::vector<std::unique_ptr<ExceptionInst>> exceptions_;
  std::vector<ExceptionInst*> free_exceptions_;  // recycled, ready for create_exception
  std::vector<std::unique_ptr<Instance>> instances_;
  Executor* executor_ = nullptr;
  StoreLimits limits_;
  Interruption interruption_;
};

}  // namespace loom
