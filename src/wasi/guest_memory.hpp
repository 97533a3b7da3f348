// Checked access to the guest's linear memory. Every pointer and length a guest passes to a WASI
// function goes through here, so a wild pointer gives EFAULT and never touches host memory
// outside the linear memory. The base does not move (DESIGN.md), but the size can grow between
// calls, so a GuestMemory is made fresh for each call.
#pragma once
#include <sys/uio.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "ir/limits.hpp"
#include "runtime/memory.hpp"

namespace loom::wasi {

class GuestMemory {
 public:
  GuestMemory() = default;
  explicit GuestMemory(const MemoryInst* memory)
      : base_(memory ? memory->base() : nullptr), size_(memory ? memory->size_bytes() : 0) {}

  bool in_bounds(uint64_t address, uint64_t length) const {
    return address <= size_ && length <= size_ - address;
  }

  // The bytes [address, address + length), or nullopt when they are not all inside memory.
  std::optional<std::span<uint8_t>> bytes(uint32_t address, uint32_t length) const {
    if (!in_bounds(address, length)) return std::nullopt;
    return std::span<uint8_t>(base_ + address, length);
  }
  std::optional<std::string_view> string(uint32_t address, uint32_t length) const {
    if (!in_bounds(address, length)) return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(base_ + address), length);
  }

  template <typename T>
  std::optional<T> load(uint32_t address) const {
    if (!in_bounds(address, sizeof(T))) return std::nullopt;
    T value;
    std::memcpy(&value, base_ + address, sizeof(T));
    return value;
  }
  // Stores `value` little-endian (the host is x86-64); false when out of bounds.
  template <typename T>
  bool store(uint32_t address, T value) const {
    if (!in_bounds(address, sizeof(T))) return false;
    std::memcpy(base_ + address, &value, sizeof(T));
    return true;
  }

  // Reads `count` WASI iovecs (or ciovecs) at `address` and turns them into host iovecs that point
  // into linear memory. nullopt when the array or any buffer lies outside memory. One call moves
  // at most kMaxTransferBytes in kMaxTransferBuffers buffers: the rest is left out (the last buffer
  // kept is cut short), a short transfer as POSIX allows one. So the count the guest gets back
  // fits its u32 (and wasi-libc's 32-bit ssize_t) even when the buffers overlap, and the host's
  // copy of a hostile array stays small.
  // Linux's own cap (MAX_RW_COUNT), and a bound on the host's copy (limits.def).
  static constexpr uint64_t kMaxTransferBytes = limit_value(Limit::WasiTransferBytes);
  static constexpr uint32_t kMaxTransferBuffers = limit_value(Limit::WasiTransferBuffers);
  std::optional<std::vector<iovec>> iovecs(uint32_t address, uint32_t count) const {
    if (!in_bounds(address, uint64_t{count} * 8)) return std::nullopt;
    std::vector<iovec> result;
    result.reserve(count < 1024 ? count : 1024);
    uint64_t total = 0;
    for (uint32_t i = 0; i < count; ++i) {
      const uint32_t buf = *load<uint32_t>(address + i * 8);
      const uint32_t len = *load<uint32_t>(address + i * 8 + 4);
      // Every buffer is checked, even those left out.
      if (!in_bounds(buf, len)) return std::nullopt;
      const uint64_t kept = std::min<uint64_t>(len, kMaxTransferBytes - total);
      if (kept != 0 && result.size() < kMaxTransferBuffers) {
        result.push_back(iovec{base_ + buf, static_cast<size_t>(kept)});
        total += kept;
      }
    }
    return result;
  }

 private:
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace loom::wasi
