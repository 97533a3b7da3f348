// How much of one resource the objects of a store hold, against the store's limit (StoreLimits).
// A store owns one budget per resource; its memories and tables charge theirs when they grow, so
// the limit covers growth after instantiation too.
#pragma once
#include <algorithm>
#include <cstdint>

namespace loom {

struct ResourceBudget {
  uint64_t used = 0;
  uint64_t limit = UINT64_MAX;

  bool fits(uint64_t amount) const { return amount <= limit && used <= limit - amount; }
  // Takes `amount` when it fits under the limit; false (and nothing taken) otherwise.
  bool take(uint64_t amount) {
    if (!fits(amount)) return false;
    used += amount;
    return true;
  }
  void give_back(uint64_t amount) { used -= std::min(used, amount); }
};

}  // namespace loom
