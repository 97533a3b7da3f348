// Iso-recursive type canonicalisation (WebAssembly 3.0 "Type Equivalence"): two types are
// equivalent when their rec groups are structurally equal, with references to types inside the
// group compared by position and references outside it by (already canonical) identity. Used by
// the validator (one module) and the store (across modules), so both agree on what is equal.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "ir/module.hpp"

namespace loom {

// Canonical ids: equal ids <=> equivalent types. Ids are handed out in order, a rec group's types
// getting consecutive ids, so the id of a type is its group's first id plus its position.
class TypeCanonicalizer {
 public:
  // A new group: its first type is module.types[begin], its ids are first_id...
  struct NewGroup {
    uint32_t begin = 0;
    uint32_t size = 0;
    uint32_t first_id = 0;
  };
  // Canonical ids of all of `module`'s types (references out of range are kept as they are, so
  // an unvalidated module cannot crash it). Groups seen for the first time are appended to
  // `new_groups` when it is given.
  std::vector<uint32_t> canonicalize(const Module& module,
                                     std::vector<NewGroup>* new_groups = nullptr);
  uint32_t size() const { return next_id_; }

 private:
  using Key = std::vector<uint64_t>;
  struct KeyHash {
    size_t operator()(const Key& key) const;
  };
  std::unordered_map<Key, uint32_t, KeyHash> groups_;  // key -> first id
  uint32_t next_id_ = 0;
};

}  // namespace loom
