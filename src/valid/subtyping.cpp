#include "valid/subtyping.hpp"

#include "ir/type_canon.hpp"

namespace loom {
namespace {

bool ref_shape_matches(ValType actual, ValType expected, bool& decided) {
  decided = true;
  if (actual.kind == ValKind::Void || expected.kind == ValKind::Void) return true;
  if (actual.kind != expected.kind) return false;
  if (actual.kind != ValKind::Ref) return true;
  if (actual.nullable && !expected.nullable) return false;
  decided = false;
  return true;
}

}  // namespace

TypeRelation::TypeRelation(const Module& module) : module_(module) {
  TypeCanonicalizer canonicalizer;
  canon_ = canonicalizer.canonicalize(module);
}

bool TypeRelation::heap_matches(HeapType actual, HeapType expected) const {
  if (actual == expected) return true;
  const size_t count = module_.types.size();
  if (actual.is_index()) {
    if (actual.value >= count) return false;
    if (!expected.is_index()) {
      const AbsHeap e = static_cast<AbsHeap>(expected.value);
      return abstract_heap_matches(abstract_of(module_.type_def(actual.value).kind), e);
    }
    if (expected.value >= count) return false;
    // Walk the declared supertypes; the validator bounds the chain (supertypes come first).
    uint32_t t = actual.value;
    for (uint32_t depth = 0; t < count && depth <= count; ++depth) {
      if (canon_[t] == canon_[expected.value]) return true;
      t = module_.type_def(t).super;
    }
    return false;
  }
  const AbsHeap a = static_cast<AbsHeap>(actual.value);
  if (expected.is_index()) {
    if (expected.value >= count) return false;
    const AbsHeap kind = abstract_of(module_.type_def(expected.value).kind);
    return a == bottom(HeapType::abstract(kind));
  }
  return abstract_heap_matches(a, static_cast<AbsHeap>(expected.value));
}

bool TypeRelation::matches(ValType actual, ValType expected) const {
  bool decided;
  const bool shape = ref_shape_matches(actual, expected, decided);
  if (decided) return shape;
  return heap_matches(actual.heap, expected.heap);
}

AbsHeap TypeRelation::top(HeapType h) const {
  if (h.is_index()) {
    if (h.value >= module_.types.size()) return AbsHeap::Any;
    return abstract_top(abstract_of(module_.type_def(h.value).kind));
  }
  return abstract_top(static_cast<AbsHeap>(h.value));
}

AbsHeap TypeRelation::bottom(HeapType h) const {
  return abstract_bottom(top(h));
}

bool val_type_matches(ValType actual, ValType expected) {
  bool decided;
  const bool shape = ref_shape_matches(actual, expected, decided);
  if (decided) return shape;
  if (actual.heap == expected.heap) return true;
  if (actual.heap.is_index() || expected.heap.is_index()) {
    // Without the module, a concrete type is only known to be a function type when GC is off.
    return actual.heap.is_index() && expected.heap.is(AbsHeap::Func);
  }
  return abstract_heap_matches(static_cast<AbsHeap>(actual.heap.value),
                               static_cast<AbsHeap>(expected.heap.value));
}

}  // namespace loom
