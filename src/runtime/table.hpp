// A table of references.
#pragma once
#include <cstdint>
#include <vector>

#include "ir/limits.hpp"
#include "ir/types.hpp"
#include "runtime/value.hpp"

namespace loom {

// Implementation limit on table length, so a guest cannot make the host allocate without bound.
inline constexpr uint64_t kMaxTableElements = limit_value(Limit::TableElements);

class TableInst {
 public:
  TableInst(const TableType& type, Ref init) : type_(type), elements_(type.limits.min, init) {}

  const TableType& type() const { return type_; }
  uint64_t size() const { return elements_.size(); }
  Ref get(uint64_t i) const { return elements_[i]; }
  void set(uint64_t i, Ref r) { elements_[i] = r; }
  Ref* data() { return elements_.data(); }

  // Grows by `delta` elements set to `init`; returns the old size, or -1 past the maximum or the
  // implementation limit.
  int64_t grow(uint64_t delta, Ref init);

  bool in_bounds(uint64_t index, uint64_t length) const {
    return index <= size() && length <= size() - index;
  }

 private:
  TableType type_;
  std::vector<Ref> elements_;
};

}  // namespace loom
