#include "exec_support.hpp"

#include <string>

namespace loom::fuzz {
namespace {

std::string zero_results(std::span<const Value>, std::span<Value> results) {
  for (Value& result : results) result = default_value();
  return {};
}

// Saturating, so a hostile count cannot wrap the total around.
uint64_t add_capped(uint64_t a, uint64_t b) {
  return a + b < a ? UINT64_MAX : a + b;
}

}  // namespace

Result<std::vector<Extern>> stub_imports(Store& store, const Module& module,
                                         const HostProvider& provider) {
  std::vector<Extern> externs;
  externs.reserve(module.imports.size());
  for (const Import& import : module.imports) {
    switch (import.kind) {
      case ExternKind::Func: {
        const FuncType& type = module.types[import.func_type];
        HostCallback callback = provider ? provider(import, type) : HostCallback();
        if (!callback) callback = zero_results;
        externs.push_back({ExternKind::Func, store.create_host_function(type, callback)});
        break;
      }
      case ExternKind::Table: {
        auto table = store.create_table(import.table, nullptr);
        if (!table) return table.error();
        externs.push_back({ExternKind::Table, *table});
        break;
      }
      case ExternKind::Memory: {
        auto memory = store.create_memory(import.memory);
        if (!memory) return memory.error();
        externs.push_back({ExternKind::Memory, *memory});
        break;
      }
      case ExternKind::Global:
        externs.push_back(
            {ExternKind::Global, store.create_global(import.global, default_value())});
        break;
      case ExternKind::Tag:
        return Error{"cannot stub a tag import"};
    }
  }
  return externs;
}

InitialFootprint initial_footprint(const Module& module) {
  InitialFootprint footprint;
  for (const Import& import : module.imports) {
    if (import.kind == ExternKind::Memory) {
      footprint.memory_pages = add_capped(footprint.memory_pages, import.memory.limits.min);
    } else if (import.kind == ExternKind::Table) {
      footprint.table_elements = add_capped(footprint.table_elements, import.table.limits.min);
    }
  }
  for (const MemoryType& memory : module.memories) {
    footprint.memory_pages = add_capped(footprint.memory_pages, memory.limits.min);
  }
  for (const Table& table : module.tables) {
    footprint.table_elements = add_capped(footprint.table_elements, table.type.limits.min);
  }
  return footprint;
}

}  // namespace loom::fuzz
