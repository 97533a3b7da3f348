#include "wast/spectest.hpp"

namespace loom::wast {
namespace {

// The print functions print nothing: a test run's output stays the runner's summary.
std::string ignore(std::span<const Value>, std::span<Value>) {
  return {};
}

GlobalInst* make_global(Store& store, ValKind kind, Value value) {
  return store.create_global(GlobalType{ValType(kind), false}, value);
}

}  // namespace

SpectestModule::SpectestModule(Store& store) : store_(store) {
  auto fn = [&](std::vector<ValType> params) {
    return store.create_host_function(FuncType{std::move(params), {}}, ignore);
  };
  print_ = fn({});
  print_i32_ = fn({ValKind::I32});
  print_i64_ = fn({ValKind::I64});
  print_f32_ = fn({ValKind::F32});
  print_f64_ = fn({ValKind::F64});
  print_i32_f32_ = fn({ValKind::I32, ValKind::F32});
  print_f64_f64_ = fn({ValKind::F64, ValKind::F64});
  Value v = default_value();
  v.i32 = 666;
  global_i32_ = make_global(store, ValKind::I32, v);
  v = default_value();
  v.i64 = 666;
  global_i64_ = make_global(store, ValKind::I64, v);
  v = default_value();
  v.f32 = 666.6f;
  global_f32_ = make_global(store, ValKind::F32, v);
  v = default_value();
  v.f64 = 666.6;
  global_f64_ = make_global(store, ValKind::F64, v);
  TableType table_type;
  table_type.limits.min = 10;
  table_type.limits.max = 20;
  table_ = *store.create_table(table_type, nullptr);
  table_type.limits.is64 = true;  // "table64": the same with i64 indices (memory64)
  table64_ = *store.create_table(table_type, nullptr);
  MemoryType memory_type;
  memory_type.limits.min = 1;
  memory_type.limits.max = 2;
  if (auto memory = store.create_memory(memory_type)) memory_ = *memory;
}

std::optional<Extern> SpectestModule::find(std::string_view name) const {
  const std::pair<std::string_view, Extern> exports[] = {
      {"print", {ExternKind::Func, print_}},
      {"print_i32", {ExternKind::Func, print_i32_}},
      {"print_i64", {ExternKind::Func, print_i64_}},
      {"print_f32", {ExternKind::Func, print_f32_}},
      {"print_f64", {ExternKind::Func, print_f64_}},
      {"print_i32_f32", {ExternKind::Func, print_i32_f32_}},
      {"print_f64_f64", {ExternKind::Func, print_f64_f64_}},
      {"global_i32", {ExternKind::Global, global_i32_}},
      {"global_i64", {ExternKind::Global, global_i64_}},
      {"global_f32", {ExternKind::Global, global_f32_}},
      {"global_f64", {ExternKind::Global, global_f64_}},
      {"table", {ExternKind::Table, table_}},
      {"table64", {ExternKind::Table, table64_}},
      {"memory", {ExternKind::Memory, memory_}},
  };
  for (const auto& [export_name, ext] : exports) {
    if (export_name == name) return ext;
  }
  return std::nullopt;
}

}  // namespace loom::wast
