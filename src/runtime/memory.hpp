// Linear memory. A 32-bit memory reserves its whole reachable range plus a guard region
// (8 GiB of address space, PROT_NONE) up front and commits pages on grow, so the base pointer never
// moves and a later JIT can rely on the guard instead of bounds checks (DESIGN.md). memory64, and
// machines where the reservation fails, reserve only up to the maximum (for memory64 capped by the
// memory64-pages limit of limits.def) and rely on explicit bounds checks, which the interpreter
// always does. The page size is the memory type's (custom-page-sizes: 64 KiB or 1 byte); a 1-byte
// page 32-bit memory keeps the 8 GiB guarded reservation, but its size need not end on an OS page,
// so the bytes up to the next OS page stay accessible and only explicit bounds checks (which the
// interpreter does) trap there.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

#include "ir/types.hpp"
#include "runtime/resource_budget.hpp"
#include "util/result.hpp"

namespace loom {

// The default page size (and the only one without custom-page-sizes).
inline constexpr uint64_t kWasmPageSize = 65536;

class MemoryInst {
 public:
  static Result<std::unique_ptr<MemoryInst>> create(const MemoryType& type);
  ~MemoryInst();
  MemoryInst(const MemoryInst&) = delete;
  MemoryInst& operator=(const MemoryInst&) = delete;

  uint8_t* base() const { return base_; }
  uint64_t size_bytes() const { return pages_ << type_.page_size_log2; }
  uint64_t page_size() const { return type_.page_size(); }
  uint64_t pages() const { return pages_; }
  const MemoryType& type() const { return type_; }
  // True when every 32-bit address plus 32-bit offset lands in the reservation.
  bool has_guard_region() const { return guarded_; }

  // Grows by `delta` pages; returns the old page count, or -1 when the maximum, the
  // implementation limit or the operating system refuses.
  int64_t grow(uint64_t delta);
  // Charges later growth to `budget` (its store's linear-memory bytes); null charges nothing.
  void set_budget(ResourceBudget* budget) { budget_ = budget; }

  // True when [address, address + length) is inside the memory.
  bool in_bounds(uint64_t address, uint64_t length) const {
    return address <= size_bytes() && length <= size_bytes() - address;
  }

 private:
  struct CreateTag {};  // only create() can construct, yet std::make_unique works

 public:
  MemoryInst(CreateTag, const MemoryType& type, uint8_t* base, size_t reserved, bool guarded)
      : type_(type), base_(base), reserved_(reserved), guarded_(guarded) {}

 private:
  MemoryType type_;
  uint8_t* base_;
  size_t reserved_;  // bytes of address space reserved at base_
  bool guarded_;
  uint64_t pages_ = 0;
  ResourceBudget* budget_ = nullptr;
};

}  // namespace loom
