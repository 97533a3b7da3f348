#include "runtime/store.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/instance.hpp"

namespace loom {

Store::~Store() {
  set_executor(nullptr);
}

Executor::~Executor() {
  if (attached_ && attached_->executor() == this) attached_->set_executor(nullptr);
}

void Store::set_executor(Executor* executor) {
  if (executor_ == executor) return;
  if (executor_) {
    executor_->detach(*this);
    executor_->attached_ = nullptr;
  }
  executor_ = executor;
  if (executor) {
    executor->attached_ = this;
    executor->attach(*this);
  }
}

uint32_t Store::intern_type(const FuncType& type) {
  Module single;
  single.types.push_back(type);
  return intern_module_types(single)[0];
}

std::vector<uint32_t> Store::intern_module_types(const Module& module) {
  std::vector<TypeCanonicalizer::NewGroup> new_groups;
  std::vector<uint32_t> ids = canonicalizer_.canonicalize(module, &new_groups);
  const std::span<const uint32_t> id_span(ids);
  for (const TypeCanonicalizer::NewGroup& group : new_groups) {
    for (uint32_t i = 0; i < group.size; ++i) {
      const uint32_t index = group.begin + i;
      const TypeDef& def = module.type_def(index);
      FuncType sig = module.types[index];
      for (ValType& t : sig.params) t = canonical(t, id_span);
      for (ValType& t : sig.results) t = canonical(t, id_span);
      types_.push_back(std::make_unique<FuncType>(std::move(sig)));
      type_kinds_.push_back(def.kind);
      type_supers_.push_back(def.super < ids.size() ? ids[def.super] : kNoSuper);
    }
  }
  return ids;
}

bool Store::type_is_subtype(uint32_t sub, uint32_t super) const {
  for (uint32_t depth = 0; sub < type_supers_.size() && depth <= types_.size(); ++depth) {
    if (sub == super) return true;
    sub = type_supers_[sub];
  }
  return false;
}

bool Store::val_type_matches(ValType actual, ValType expected) const {
  if (actual.kind != expected.kind) return false;
  if (!actual.is_ref()) return true;
  if (actual.nullable && !expected.nullable) return false;
  const HeapType a = actual.heap, e = expected.heap;
  if (a == e) return true;
  const auto known = [this](HeapType h) { return h.value < type_kinds_.size(); };
  if (a.is_index() && e.is_index()) return type_is_subtype(a.value, e.value);
  if (a.is_index()) {
    return known(a) &&
           abstract_heap_matches(abstract_of(type_kinds_[a.value]), static_cast<AbsHeap>(e.value));
  }
  if (e.is_index()) {
    return known(e) &&
           static_cast<AbsHeap>(a.value) == abstract_bottom(abstract_of(type_kinds_[e.value]));
  }
  return abstract_heap_matches(static_cast<AbsHeap>(a.value), static_cast<AbsHeap>(e.value));
}

FunctionInst* Store::create_host_function(const FuncType& type, HostCallback callback) {
  auto func = std::make_unique<FunctionInst>();
  func->type_id = intern_type(type);
  func->type = types_[func->type_id].get();
  func->host = std::move(callback);
  functions_.push_back(std::move(func));
  return functions_.back().get();
}

FunctionInst* Store::create_wasm_function(uint32_t type_id, Instance* instance, uint32_t index) {
  auto func = std::make_unique<FunctionInst>();
  func->type_id = type_id;
  func->type = types_[type_id].get();
  func->instance = instance;
  func->index = index;
  functions_.push_back(std::move(func));
  return functions_.back().get();
}

namespace {

// "resource limit exceeded: tables of the store (max-tables = 10000)": the name is the
// `loom run` flag that sets the limit.
Error store_limit_error(std::string_view what, std::string_view name, uint64_t limit) {
  return Error{"resource limit exceeded: " + std::string(what) + " of the store (" +
               std::string(name) + " = " + std::to_string(limit) + ")"};
}
Error memory_bytes_error(const StoreLimits& limits) {
  return store_limit_error("linear memory bytes", "max-memory-size", limits.max_memory_bytes);
}
Error table_elements_error(const StoreLimits& limits) {
  return store_limit_error("table elements", "max-table-elements", limits.max_table_elements);
}

// Bytes of the memory's minimum pages, saturating (a memory64 minimum can be close to 2^64 pages).
uint64_t page_bytes(const MemoryType& type) {
  const uint64_t pages = type.limits.min;
  return pages > (UINT64_MAX >> type.page_size_log2) ? UINT64_MAX : pages << type.page_size_log2;
}
// One table's initial size is bounded by the table-elements implementation limit (limits.def).
std::optional<Error> table_size_error(const TableType& type) {
  if (type.limits.min <= kMaxTableElements) return std::nullopt;
  return Error{limit_error(Limit::TableElements)};
}
uint64_t saturating_add(uint64_t a, uint64_t b) {
  return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

}  // namespace

void Store::set_limits(const StoreLimits& limits) {
  limits_ = limits;
  memory_bytes_.limit = limits.max_memory_bytes;
  table_elements_.limit = limits.max_table_elements;
}

Result<MemoryInst*> Store::create_memory(const MemoryType& type) {
  if (memories_.size() >= limits_.max_memories) {
    return store_limit_error("memories", "max-memories", limits_.max_memories);
  }
  const uint64_t bytes = page_bytes(type);
  if (!memory_bytes_.fits(bytes)) return memory_bytes_error(limits_);
  auto memory = MemoryInst::create(type);
  if (!memory) return memory.error();
  memory_bytes_.take(bytes);
  (*memory)->set_budget(&memory_bytes_);
  memories_.push_back(std::move(*memory));
  return memories_.back().get();
}

Result<TableInst*> Store::create_table(const TableType& type, Ref init) {
  if (tables_.size() >= limits_.max_tables) {
    return store_limit_error("tables", "max-tables", limits_.max_tables);
  }
  if (auto error = table_size_error(type)) return *error;
  if (!table_elements_.take(type.limits.min)) return table_elements_error(limits_);
  tables_.push_back(std::make_unique<TableInst>(type, init));
  tables_.back()->set_budget(&table_elements_);
  return tables_.back().get();
}

GlobalInst* Store::create_global(const GlobalType& type, Value value) {
  globals_.push_back(std::make_unique<GlobalInst>(GlobalInst{type, value}));
  return globals_.back().get();
}

TagInst* Store::create_tag(uint32_t type_id) {
  tags_.push_back(std::make_unique<TagInst>(TagInst{&type(type_id), type_id}));
  return tags_.back().get();
}

ExceptionInst* Store::create_exception(TagInst* tag, std::span<const Value> fields) {
  ExceptionInst* exception = nullptr;
  if (!free_exceptions_.empty() && free_exceptions_.back()->fields.capacity() >= fields.size()) {
    exception = free_exceptions_.back();
    free_exceptions_.pop_back();
  } else {
    const uint64_t bytes = sizeof(ExceptionInst) + fields.size() * sizeof(Value);
    if (!memory_bytes_.take(bytes)) return nullptr;
    exceptions_.push_back(std::make_unique<ExceptionInst>());
    exception = exceptions_.back().get();
    exception->fields.reserve(fields.size());
  }
  exception->tag = tag;
  exception->fields.assign(fields.begin(), fields.end());
  exception->referenced = false;
  return exception;
}

void Store::recycle_exception(ExceptionInst* exception) {
  if (exception && !exception->referenced) free_exceptions_.push_back(exception);
}

Result<Instance*> Store::create_instance(std::shared_ptr<const Module> module) {
  if (instances_.size() >= limits_.max_instances) {
    return store_limit_error("instances", "max-instances", limits_.max_instances);
  }
  if (module->memories.size() >
      limits_.max_memories - std::min<size_t>(memories_.size(), limits_.max_memories)) {
    return store_limit_error("memories", "max-memories", limits_.max_memories);
  }
  if (module->tables.size() >
      limits_.max_tables - std::min<size_t>(tables_.size(), limits_.max_tables)) {
    return store_limit_error("tables", "max-tables", limits_.max_tables);
  }
  uint64_t memory_bytes = 0, table_elements = 0;
  for (const MemoryType& memory : module->memories) {
    memory_bytes = saturating_add(memory_bytes, page_bytes(memory));
  }
  for (const Table& table : module->tables) {
    // The implementation limit of one table is the more basic error: report it first.
    if (auto error = table_size_error(table.type)) return *error;
    table_elements = saturating_add(table_elements, table.type.limits.min);
  }
  if (!memory_bytes_.fits(memory_bytes)) return memory_bytes_error(limits_);
  if (!table_elements_.fits(table_elements)) return table_elements_error(limits_);
  instances_.push_back(std::make_unique<Instance>(std::move(module)));
  return instances_.back().get();
}

}  // namespace loom
