// The implementations of the WASI functions, one per functions.def entry, grouped by file:
// wasi_args.cpp (args, environ, clocks, random, proc, sched), wasi_fd.cpp (fd_*),
// wasi_path.cpp (path_*), wasi_poll.cpp (poll_oneoff), wasi_sock.cpp (sock_*).
//
// Each gets the context, the guest's memory as it is at the time of the call, and the raw
// arguments in functions.def order. It returns the errno the guest sees; it never trusts a
// pointer, length, fd or flag the guest passes.
#pragma once
#include <cstdint>

#include "runtime/value.hpp"
#include "wasi/abi.hpp"
#include "wasi/errno.hpp"
#include "wasi/guest_memory.hpp"
#include "wasi/wasi.hpp"

namespace loom::wasi {

class CallArgs {
 public:
  explicit CallArgs(const Value* values) : values_(values) {}
  uint32_t u32(size_t i) const { return values_[i].u32; }
  uint64_t u64(size_t i) const { return values_[i].u64; }
  int64_t i64(size_t i) const { return values_[i].i64; }

 private:
  const Value* values_;
};

namespace fn {
#define WASI_FUNCTION(name, params, results) \
  Errno name(WasiContext& ctx, const GuestMemory& memory, CallArgs args);
#include "wasi/functions.def"
#undef WASI_FUNCTION
}  // namespace fn

}  // namespace loom::wasi
