#include "runtime/memory.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

#include "ir/limits.hpp"

namespace loom {
namespace {

// 4 GiB of addressable memory plus 4 GiB of guard for the largest 32-bit static offset.
constexpr size_t kGuardedReservation = size_t{8} << 30;
constexpr uint64_t kMax32BitBytes = uint64_t{1} << 32;
// A memory without the 8 GiB guard region (memory64, or where that reservation fails) still ends
// in PROT_NONE address space that it can never grow into, so that even a bounds-check bug faults
// instead of reaching the next mapping.
constexpr size_t kTailGuard = size_t{1} << 20;

// The most pages the memory may ever have: its maximum, capped by the index type's range and, for
// memory64, by the implementation limit (limits.def, counted in 64 KiB pages: the same bytes for
// any page size).
uint64_t max_pages(const MemoryType& type) {
  const uint64_t limit_bytes =
      type.limits.is64 ? limit_value(Limit::MemoryPages64) * kWasmPageSize : kMax32BitBytes;
  // (A 32-bit memory of 1-byte pages stops at 2^32-1 pages, so memory.size fits an i32.)
  const uint64_t limit =
      std::min(limit_bytes >> type.page_size_log2, type.limits.is64 ? UINT64_MAX : UINT32_MAX);
  return std::min(type.limits.max.value_or(limit), limit);
}
uint64_t os_page_size() {
  static const uint64_t size = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  return size;
}
uint64_t round_up_to_os_page(uint64_t bytes) {
  const uint64_t page = os_page_size();
  return (bytes + page - 1) / page * page;
}

void* reserve(size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : p;
}

}  // namespace

Result<std::unique_ptr<MemoryInst>> MemoryInst::create(const MemoryType& type) {
  const uint64_t limit = max_pages(type);
  if (type.limits.min > limit) {
    return Error{type.limits.is64 ? limit_error(Limit::MemoryPages64)
                                  : "memory size exceeds implementation limit"};
  }
  uint8_t* base = nullptr;
  size_t reserved = 0;
  bool guarded = false;
  if (!type.limits.is64) {
    base = static_cast<uint8_t*>(reserve(kGuardedReservation));
    reserved = kGuardedReservation;
    guarded = base != nullptr;
  }
  if (!base) {
    // Reserve only what the memory may ever use (at least one page, so base is never null);
    // limit <= 2^18 pages here, but the product is checked so no limit change can wrap it.
    uint64_t bytes = 0;
    if (__builtin_mul_overflow(std::max<uint64_t>(limit, 1), type.page_size(), &bytes) ||
        bytes > SIZE_MAX - os_page_size()) {
      return Error{"cannot reserve address space for linear memory"};
    }
    bytes = round_up_to_os_page(bytes);
    if (bytes > SIZE_MAX - kTailGuard)
      return Error{"cannot reserve address space for linear memory"};
    reserved = static_cast<size_t>(bytes) + kTailGuard;
    base = static_cast<uint8_t*>(reserve(reserved));
    if (!base) return Error{"cannot reserve address space for linear memory"};
  }
  auto memory = std::make_unique<MemoryInst>(CreateTag{}, type, base, reserved, guarded);
  if (memory->grow(type.limits.min) < 0) return Error{"cannot allocate linear memory"};
  return memory;
}

MemoryInst::~MemoryInst() {
  munmap(base_, reserved_);
}

int64_t MemoryInst::grow(uint64_t delta) {
  const uint64_t old_pages = pages_;
  if (delta > max_pages(type_) - old_pages) return -1;
  if (delta == 0) return static_cast<int64_t>(old_pages);
  // Both products fit: pages never exceed max_pages, whose bytes are at most 2^34 (memory64) or
  // 2^32. mprotect works on whole OS pages: commit from the OS page holding the old end.
  const uint64_t old_bytes = old_pages << type_.page_size_log2;
  const uint64_t new_bytes = (old_pages + delta) << type_.page_size_log2;
  const uint64_t commit_from = old_bytes / os_page_size() * os_page_size();
  const uint64_t commit_to = round_up_to_os_page(new_bytes);
  if (commit_to > reserved_) return -1;
  const uint64_t grown = new_bytes - old_bytes;
  if (budget_ && !budget_->take(grown)) return -1;
  if (commit_to > commit_from &&
      mprotect(base_ + commit_from, commit_to - commit_from, PROT_READ | PROT_WRITE) != 0) {
    if (budget_) budget_->give_back(grown);
    return -1;
  }
  pages_ = old_pages + delta;
  return static_cast<int64_t>(old_pages);
}

}  // namespace loom
