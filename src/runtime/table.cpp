#include "runtime/table.hpp"

#include <algorithm>

namespace loom {

int64_t TableInst::grow(uint64_t delta, Ref init) {
  const uint64_t old_size = size();
  const uint64_t index_limit = type_.limits.is64 ? UINT64_MAX : UINT32_MAX;
  const uint64_t max = std::min({type_.limits.max.value_or(index_limit), kMaxTableElements});
  if (delta > max || old_size > max - delta) return -1;
  elements_.resize(old_size + delta, init);
  return static_cast<int64_t>(old_size);
}

}  // namespace loom
