#include "valid/type_defs.hpp"

#include <vector>

#include "ir/limits.hpp"

namespace loom {
namespace {

bool field_matches(const TypeRelation& types, const FieldType& sub, const FieldType& super) {
  if (sub.is_mutable != super.is_mutable || sub.packed != super.packed) return false;
  if (!types.matches(sub.type, super.type)) return false;
  return !sub.is_mutable || types.matches(super.type, sub.type);
}

bool composite_matches(const Module& m, const TypeRelation& types, uint32_t sub, uint32_t super) {
  const TypeDef& a = m.type_def(sub);
  const TypeDef& b = m.type_def(super);
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case CompKind::Func: {
      const FuncType& fa = m.types[sub];
      const FuncType& fb = m.types[super];
      if (fa.params.size() != fb.params.size() || fa.results.size() != fb.results.size()) {
        return false;
      }
      for (size_t i = 0; i < fa.params.size(); ++i) {
        if (!types.matches(fb.params[i], fa.params[i])) return false;
      }
      for (size_t i = 0; i < fa.results.size(); ++i) {
        if (!types.matches(fa.results[i], fb.results[i])) return false;
      }
      return true;
    }
    case CompKind::Struct:
    case CompKind::Array:
      if (a.fields.size() < b.fields.size()) return false;
      if (a.kind == CompKind::Array && a.fields.size() != b.fields.size()) return false;
      for (size_t i = 0; i < b.fields.size(); ++i) {
        if (!field_matches(types, a.fields[i], b.fields[i])) return false;
      }
      return true;
  }
  return false;
}

}  // namespace

bool check_type_defs(const Module& m, const TypeRelation& types, TypeDefError& error) {
  const uint32_t count = static_cast<uint32_t>(m.types.size());
  const auto fail = [&error](uint32_t type, std::string message) {
    error = TypeDefError{type, std::move(message)};
    return false;
  };
  std::vector<uint32_t> depth(count, 0);
  uint64_t groups = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const TypeDef& def = m.type_def(i);
    if (def.rec_pos == 0) ++groups;
    if (def.rec_pos > i || def.rec_pos >= def.rec_size ||
        def.rec_size > count - (i - def.rec_pos)) {
      return fail(i, "invalid rec group");
    }
    const uint64_t group_end = uint64_t{i} - def.rec_pos + def.rec_size;
    const auto known = [&](ValType t) {
      return !t.is_ref() || !t.heap.is_index() || t.heap.value < group_end;
    };
    const auto unknown = [&](ValType t) {
      return fail(i, "unknown type " + std::to_string(t.heap.value));
    };
    for (const auto* list : {&m.types[i].params, &m.types[i].results}) {
      for (ValType t : *list) {
        if (!known(t)) return unknown(t);
      }
    }
    if (def.fields.size() > limit_value(Limit::StructFields)) {
      return fail(i, limit_error(Limit::StructFields));
    }
    for (const FieldType& f : def.fields) {
      if (!known(f.type)) return unknown(f.type);
    }
    if (def.super == kNoSuper) continue;
    if (def.super >= i) return fail(i, "unknown type " + std::to_string(def.super));
    if (m.type_def(def.super).is_final) {
      return fail(i, "sub type " + std::to_string(i) + " does not match super type " +
                         std::to_string(def.super) + ": the super type is final");
    }
    if (!composite_matches(m, types, i, def.super)) {
      return fail(i, "sub type " + std::to_string(i) + " does not match super type " +
                         std::to_string(def.super));
    }
    depth[i] = depth[def.super] + 1;
    if (depth[i] > limit_value(Limit::SubtypeDepth)) {
      return fail(i, limit_error(Limit::SubtypeDepth));
    }
  }
  if (groups > limit_value(Limit::RecGroups)) return fail(0, limit_error(Limit::RecGroups));
  return true;
}

}  // namespace loom
