#include "runtime/table.hpp"

#include <algorithm>
#include <new>

namespace loom {

int64_t TableInst::grow(uint64_t delta, Ref init) {
  const uint64_t old_size = size();
  const uint64_t index_limit = type_.limits.is64 ? UINT64_MAX : UINT32_MAX;
  const uint64_t max = std::min({type_.limits.max.value_or(index_limit), kMaxTableElements});
  if (delta > max || old_size > max - delta) return -1;
  if (budget_ && !budget_->take(delta)) return -1;
  try {
    elements_.resize(old_size + delta, init);
  } catch (const std::bad_alloc&) {  // the host is out of memory: the guest sees a failed grow
    if (budget_) budget_->give_back(delta);
    return -1;
  }
  return static_cast<int64_t>(old_size);
}

}  // namespace loom
