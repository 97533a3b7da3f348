// Conversions between host file metadata and WASI's, shared by the fd_* and path_* functions.
#pragma once
#include <sys/stat.h>

#include <cstdint>
#include <ctime>

#include "wasi/abi.hpp"
#include "wasi/guest_memory.hpp"

namespace loom::wasi {

// The WASI file type of a host descriptor or stat result (sockets: stream or datagram by SO_TYPE
// when `fd` is given).
Filetype filetype_from_stat(const struct stat& st, int fd = -1);

// Sizes and offsets arrive as u64; the host takes a signed off_t.
inline bool fits_off_t(uint64_t value) {
  return value <= static_cast<uint64_t>(INT64_MAX);
}

inline uint64_t timespec_to_ns(const timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}
inline timespec ns_to_timespec(uint64_t ns) {
  return timespec{static_cast<time_t>(ns / 1'000'000'000u), static_cast<long>(ns % 1'000'000'000u)};
}

// Writes a WASI filestat for `st` at `address`; Fault when it does not fit in memory.
Errno store_filestat(const GuestMemory& memory, uint32_t address, const struct stat& st,
                     int fd = -1);

// The two timespecs futimens/utimensat take for WASI's (atim, mtim, fst_flags); Inval when the
// flags ask for both a time and "now" for the same field.
Errno timespecs_for(uint64_t atim, uint64_t mtim, uint16_t fst_flags, timespec out[2]);

}  // namespace loom::wasi
