// Subtyping of value and heap types (WebAssembly 3.0 "Matching"), over one module's types:
// abstract hierarchies any > eq > {i31, struct, array} > none, func > nofunc, extern > noextern,
// exn > noexn; a concrete type sits below the abstract type of its kind and below its declared
// supertypes; equivalence is iso-recursive (ir/type_canon.hpp).
#pragma once
#include <cstdint>
#include <vector>

#include "ir/module.hpp"

namespace loom {

class TypeRelation {
 public:
  // `module` is referenced: it must outlive the relation. Types out of range never match.
  explicit TypeRelation(const Module& module);

  // actual <: expected. The polymorphic bottom (ValKind::Void) matches everything.
  bool matches(ValType actual, ValType expected) const;
  bool heap_matches(HeapType actual, HeapType expected) const;
  // Iso-recursive equivalence of two of the module's types.
  bool equivalent(uint32_t a, uint32_t b) const {
    return a < canon_.size() && b < canon_.size() && canon_[a] == canon_[b];
  }
  // The top of `h`'s hierarchy: any, func, extern or exn.
  AbsHeap top(HeapType h) const;
  // The bottom of `h`'s hierarchy: none, nofunc, noextern or noexn.
  AbsHeap bottom(HeapType h) const;
  const std::vector<uint32_t>& canonical_ids() const { return canon_; }

 private:
  const Module& module_;
  std::vector<uint32_t> canon_;
};

// A subtyping check without the module (both types abstract or numeric); concrete heap types
// match only when equal. For callers that have no module at hand.
bool val_type_matches(ValType actual, ValType expected);

}  // namespace loom
