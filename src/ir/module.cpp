#include "ir/module.hpp"

#include <algorithm>

namespace loom {
void Module::add_import(Import imp) {
  auto position = static_cast<uint32_t>(imports.size());
  switch (imp.kind) {
    case ExternKind::Func:
      imported_funcs.push_back(position);
      break;
    case ExternKind::Table:
      imported_tables.push_back(position);
      break;
    case ExternKind::Memory:
      imported_memories.push_back(position);
      break;
    case ExternKind::Global:
      imported_globals.push_back(position);
      break;
    case ExternKind::Tag:
      imported_tags.push_back(position);
      break;
  }
  imports.push_back(std::move(imp));
}

uint32_t Module::func_type_index(uint32_t func) const {
  if (func < imported_funcs.size()) return imports[imported_funcs[func]].func_type;
  return functions[func - imported_funcs.size()];
}

const TypeDef& Module::type_def(uint32_t type) const {
  static const TypeDef kPlainFuncType;
  return type < type_defs.size() ? type_defs[type] : kPlainFuncType;
}

const TableType& Module::table_type(uint32_t table) const {
  if (table < imported_tables.size()) return imports[imported_tables[table]].table;
  return tables[table - imported_tables.size()].type;
}

const MemoryType& Module::memory_type(uint32_t memory) const {
  if (memory < imported_memories.size()) return imports[imported_memories[memory]].memory;
  return memories[memory - imported_memories.size()];
}

const GlobalType& Module::global_type(uint32_t global) const {
  if (global < imported_globals.size()) return imports[imported_globals[global]].global;
  return globals[global - imported_globals.size()].type;
}

std::string_view Module::func_name(uint32_t func) const {
  auto it = std::lower_bound(names.functions.begin(), names.functions.end(), func,
                             [](const auto& entry, uint32_t f) { return entry.first < f; });
  if (it != names.functions.end() && it->first == func) return it->second;
  return {};
}

}  // namespace loom
