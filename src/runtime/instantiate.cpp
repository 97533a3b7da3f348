#include <string>

#include "runtime/const_eval.hpp"
#include "runtime/instance.hpp"

namespace loom {
namespace {

Error link_error(std::string message) {
  Error e{std::move(message)};
  e.kind = ErrorKind::Link;
  return e;
}

Error trap_error(TrapKind kind) {
  Error e{std::string(trap_message(kind))};
  e.kind = ErrorKind::Trap;
  return e;
}

// Limits subtyping: the provided range must lie within the expected one.
bool limits_match(const Limits& provided, uint64_t provided_size, const Limits& expected) {
  if (provided.is64 != expected.is64) return false;
  if (provided_size < expected.min) return false;
  if (!expected.max) return true;
  return provided.max && *provided.max <= *expected.max;
}

}  // namespace

std::optional<Extern> Instance::find_export(std::string_view name) const {
  for (const Export& exp : module_->exports) {
    if (exp.name != name) continue;
    switch (exp.kind) {
      case ExternKind::Func:
        return Extern{exp.kind, funcs[exp.index]};
      case ExternKind::Table:
        return Extern{exp.kind, tables[exp.index]};
      case ExternKind::Memory:
        return Extern{exp.kind, memories[exp.index]};
      case ExternKind::Global:
        return Extern{exp.kind, globals[exp.index]};
      case ExternKind::Tag:
        return Extern{exp.kind, tags[exp.index]};
    }
  }
  return std::nullopt;
}

std::string match_import(const Import& import, const Module& module, const Store& store,
                         const Extern& provided, std::span<const uint32_t> type_ids) {
  if (provided.kind != import.kind || !provided.object) return "incompatible import type";
  const auto canonical = [&](ValType t) { return Store::canonical(t, type_ids); };
  switch (import.kind) {
    case ExternKind::Func:
      if (import.func_type < type_ids.size()
              ? !store.type_is_subtype(provided.func()->type_id, type_ids[import.func_type])
              : *provided.func()->type != module.types[import.func_type]) {
        return "incompatible import type: expected " + to_string(module.types[import.func_type]) +
               ", got " + to_string(*provided.func()->type);
      }
      return {};
    case ExternKind::Table: {
      const TableInst& table = *provided.table();
      if (table.type().elem != canonical(import.table.elem) ||
          !limits_match(table.type().limits, table.size(), import.table.limits)) {
        return "incompatible import type";
      }
      return {};
    }
    case ExternKind::Memory: {
      const MemoryInst& memory = *provided.memory();
      if (memory.type().page_size_log2 != import.memory.page_size_log2 ||
          !limits_match(memory.type().limits, memory.pages(), import.memory.limits)) {
        return "incompatible import type";
      }
      return {};
    }
    case ExternKind::Global: {
      const GlobalType& type = provided.global()->type;
      const ValType expected = canonical(import.global.type);
      if (type.is_mutable != import.global.is_mutable ||
          (type.is_mutable ? type.type != expected
                           : !store.val_type_matches(type.type, expected))) {
        return "incompatible import type";
      }
    }
      return {};
    case ExternKind::Tag:
      // Tag types match exactly (the function types are equal).
      if (*provided.tag()->type != module.types[import.func_type]) {
        return "incompatible import type: expected tag " + to_string(module.types[import.func_type]) +
               ", got " + to_string(*provided.tag()->type);
      }
      return {};
  }
  return "incompatible import type";
}

Result<Instance*> instantiate_without_start(Store& store, std::shared_ptr<const Module> module_ptr,
                                            std::span<const Extern> imports) {
  const Module& module = *module_ptr;
  if (imports.size() != module.imports.size()) {
    return link_error("expected " + std::to_string(module.imports.size()) + " imports, got " +
                      std::to_string(imports.size()));
  }
  std::vector<uint32_t> type_ids = store.intern_module_types(module);
  for (size_t i = 0; i < imports.size(); ++i) {
    std::string why = match_import(module.imports[i], module, store, imports[i], type_ids);
    if (!why.empty()) {
      const Import& imp = module.imports[i];
      return link_error(why + " for import \"" + imp.module + "\" \"" + imp.field + "\"");
    }
  }

  auto created_instance = store.create_instance(module_ptr);
  if (!created_instance) return link_error(created_instance.error().message);
  Instance* inst = *created_instance;
  inst->type_ids = std::move(type_ids);

  for (const Extern& ext : imports) {
    switch (ext.kind) {
      case ExternKind::Func:
        inst->funcs.push_back(ext.func());
        break;
      case ExternKind::Table:
        inst->tables.push_back(ext.table());
        break;
      case ExternKind::Memory:
        inst->memories.push_back(ext.memory());
        break;
      case ExternKind::Global:
        inst->globals.push_back(ext.global());
        break;
      case ExternKind::Tag:
        inst->tags.push_back(ext.tag());
        break;
    }
  }
  for (uint32_t type_index : module.tags) {
    inst->tags.push_back(store.create_tag(inst->type_ids[type_index]));
  }
  const uint32_t num_imported_funcs = module.num_imported_funcs();
  for (uint32_t i = 0; i < module.functions.size(); ++i) {
    inst->funcs.push_back(store.create_wasm_function(inst->type_ids[module.functions[i]], inst,
                                                     num_imported_funcs + i));
  }
  // Globals before tables: a 3.0 table initializer may read a global.
  // Runtime objects carry canonical types, so modules that share them can compare them.
  for (const Global& global : module.globals) {
    GlobalType type = global.type;
    type.type = Store::canonical(type.type, inst->type_ids);
    inst->globals.push_back(store.create_global(type, evaluate_const_expr(*inst, global.init)));
  }
  for (const loom::Table& table : module.tables) {
    Ref init = table.has_init ? evaluate_const_expr(*inst, table.init).ref : nullptr;
    TableType type = table.type;
    type.elem = Store::canonical(type.elem, inst->type_ids);
    auto created = store.create_table(type, init);
    if (!created) return link_error(created.error().message);
    inst->tables.push_back(*created);
  }
  for (const MemoryType& memory : module.memories) {
    auto created = store.create_memory(memory);
    if (!created) return link_error(created.error().message);
    inst->memories.push_back(*created);
  }

  inst->elems.resize(module.elems.size());
  for (size_t i = 0; i < module.elems.size(); ++i) {
    const ElemSegment& seg = module.elems[i];
    std::vector<Ref>& refs = inst->elems[i];
    refs.reserve(seg.item_count());
    for (uint32_t func : seg.func_indices) refs.push_back(inst->funcs[func]);
    for (const ConstExpr& expr : seg.exprs) refs.push_back(evaluate_const_expr(*inst, expr).ref);
  }
  inst->datas.reserve(module.datas.size());
  for (const DataSegment& seg : module.datas) inst->datas.push_back(module.slice(seg.init));

  // Segment initialisation, in order; a trap leaves what was already written.
  for (size_t i = 0; i < module.elems.size(); ++i) {
    const ElemSegment& seg = module.elems[i];
    if (seg.mode == SegmentMode::Active) {
      TableInst& table = *inst->tables[seg.table];
      const Value offset = evaluate_const_expr(*inst, seg.offset);
      const uint64_t start = table.type().limits.is64 ? offset.u64 : offset.u32;
      const std::vector<Ref>& refs = inst->elems[i];
      if (!table.in_bounds(start, refs.size())) return trap_error(TrapKind::OutOfBoundsTableAccess);
      for (size_t k = 0; k < refs.size(); ++k) table.set(start + k, refs[k]);
    }
    if (seg.mode != SegmentMode::Passive) inst->elems[i].clear();  // elem.drop
  }
  for (size_t i = 0; i < module.datas.size(); ++i) {
    const DataSegment& seg = module.datas[i];
    if (seg.mode != SegmentMode::Active) continue;
    MemoryInst& memory = *inst->memories[seg.memory];
    const Value offset = evaluate_const_expr(*inst, seg.offset);
    const uint64_t start = memory.type().limits.is64 ? offset.u64 : offset.u32;
    const std::span<const uint8_t> bytes = inst->datas[i];
    if (!memory.in_bounds(start, bytes.size()))
      return trap_error(TrapKind::OutOfBoundsMemoryAccess);
    std::copy(bytes.begin(), bytes.end(), memory.base() + start);
    inst->datas[i] = {};  // data.drop
  }

  return inst;
}

std::optional<Trap> run_start(Store& store, const Instance& instance) {
  const std::optional<uint32_t> start = instance.module().start;
  if (!start) return std::nullopt;
  if (!store.executor()) return Trap{TrapKind::HostError, "no executor to run the start function"};
  return store.executor()->call(*instance.funcs[*start], {}, {});
}

Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> module,
                              std::span<const Extern> imports) {
  const bool has_start = module->start.has_value();
  auto inst = instantiate_without_start(store, std::move(module), imports);
  if (!inst || !has_start) return inst;
  if (!store.executor()) return link_error("no executor to run the start function");
  if (auto trap = run_start(store, **inst)) {
    Error e{trap->message};
    e.kind = ErrorKind::Trap;
    return e;
  }
  return inst;
}

}  // namespace loom
