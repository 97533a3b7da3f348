#include "runtime/store.hpp"

#include "runtime/instance.hpp"

namespace loom {

Store::~Store() = default;

size_t Store::FuncTypeHash::operator()(const FuncType& t) const {
  size_t h = t.params.size() * 31 + t.results.size();
  auto mix = [&h](const ValType& v) {
    h = h * 1000003 ^ (static_cast<size_t>(v.kind) << 1 ^ v.nullable ^ size_t{v.heap.value} << 8);
  };
  for (const ValType& v : t.params) mix(v);
  for (const ValType& v : t.results) mix(v);
  return h;
}

uint32_t Store::intern_type(const FuncType& type) {
  auto [it, inserted] = type_ids_.try_emplace(type, static_cast<uint32_t>(types_.size()));
  if (inserted) types_.push_back(std::make_unique<FuncType>(type));
  return it->second;
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

Result<MemoryInst*> Store::create_memory(const MemoryType& type) {
  auto memory = MemoryInst::create(type);
  if (!memory) return memory.error();
  memories_.push_back(std::move(*memory));
  return memories_.back().get();
}

Result<TableInst*> Store::create_table(const TableType& type, Ref init) {
  if (type.limits.min > kMaxTableElements) {
    return Error{limit_error(Limit::TableElements)};
  }
  tables_.push_back(std::make_unique<TableInst>(type, init));
  return tables_.back().get();
}

GlobalInst* Store::create_global(const GlobalType& type, Value value) {
  globals_.push_back(std::make_unique<GlobalInst>(GlobalInst{type, value}));
  return globals_.back().get();
}

Instance* Store::create_instance(std::shared_ptr<const Module> module) {
  instances_.push_back(std::make_unique<Instance>(std::move(module)));
  return instances_.back().get();
}

}  // namespace loom
