// args_*, environ_*, clocks, random, proc_exit, proc_raise, sched_yield.
#include <sched.h>
#include <sys/random.h>

#include <cerrno>
#include <ctime>

#include "wasi/functions.hpp"
#include "wasi/host_file.hpp"

namespace loom::wasi::fn {
namespace {

// Writes `strings` as the guest's argv or environ: an array of pointers at `pointers` and the
// NUL-terminated strings packed at `buffer`.
Errno store_strings(const GuestMemory& memory, const std::vector<std::string>& strings,
                    uint32_t pointers, uint32_t buffer) {
  uint64_t total = 0;
  for (const std::string& s : strings) total += s.size() + 1;
  if (!memory.in_bounds(pointers, uint64_t{strings.size()} * 4) ||
      !memory.in_bounds(buffer, total)) {
    return Errno::Fault;
  }
  uint32_t at = buffer;
  for (size_t i = 0; i < strings.size(); ++i) {
    memory.store<uint32_t>(pointers + static_cast<uint32_t>(i) * 4, at);
    auto out = memory.bytes(at, static_cast<uint32_t>(strings[i].size() + 1));
    std::copy(strings[i].begin(), strings[i].end(), out->begin());
    (*out)[strings[i].size()] = 0;
    at += static_cast<uint32_t>(strings[i].size() + 1);
  }
  return Errno::Success;
}

Errno store_sizes(const GuestMemory& memory, const std::vector<std::string>& strings,
                  uint32_t count_at, uint32_t size_at) {
  uint64_t total = 0;
  for (const std::string& s : strings) total += s.size() + 1;
  if (total > UINT32_MAX) return Errno::Overflow;
  if (!memory.in_bounds(count_at, 4) || !memory.in_bounds(size_at, 4)) return Errno::Fault;
  memory.store<uint32_t>(count_at, static_cast<uint32_t>(strings.size()));
  memory.store<uint32_t>(size_at, static_cast<uint32_t>(total));
  return Errno::Success;
}

bool host_clock(uint32_t id, clockid_t& out) {
  switch (id) {
    case kClockRealtime:
      out = CLOCK_REALTIME;
      return true;
    case kClockMonotonic:
      out = CLOCK_MONOTONIC;
      return true;
    case kClockProcessCputime:
      out = CLOCK_PROCESS_CPUTIME_ID;
      return true;
    case kClockThreadCputime:
      out = CLOCK_THREAD_CPUTIME_ID;
      return true;
    default:
      return false;
  }
}

}  // namespace

Errno args_get(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  return store_strings(memory, ctx.config().args, args.u32(0), args.u32(1));
}
Errno args_sizes_get(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  return store_sizes(memory, ctx.config().args, args.u32(0), args.u32(1));
}
Errno environ_get(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  return store_strings(memory, ctx.config().env, args.u32(0), args.u32(1));
}
Errno environ_sizes_get(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  return store_sizes(memory, ctx.config().env, args.u32(0), args.u32(1));
}

Errno clock_res_get(WasiContext&, const GuestMemory& memory, CallArgs args) {
  clockid_t clock;
  if (!host_clock(args.u32(0), clock)) return Errno::Inval;
  timespec ts{};
  if (clock_getres(clock, &ts) != 0) return errno_from_host(errno);
  if (!memory.store<uint64_t>(args.u32(1), timespec_to_ns(ts))) return Errno::Fault;
  return Errno::Success;
}

Errno clock_time_get(WasiContext&, const GuestMemory& memory, CallArgs args) {
  clockid_t clock;
  if (!host_clock(args.u32(0), clock)) return Errno::Inval;
  timespec ts{};  // the precision argument (1) is a hint; the host clock is as precise as it gets
  if (clock_gettime(clock, &ts) != 0) return errno_from_host(errno);
  if (!memory.store<uint64_t>(args.u32(2), timespec_to_ns(ts))) return Errno::Fault;
  return Errno::Success;
}

Errno proc_exit(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  ctx.set_exit_code(args.u32(0));
  return Errno::Success;
}

// Signals would reach the host process (Node.js raises them there); Loom has none to offer.
Errno proc_raise(WasiContext&, const GuestMemory&, CallArgs) {
  return Errno::NoSys;
}

Errno sched_yield(WasiContext&, const GuestMemory&, CallArgs) {
  ::sched_yield();
  return Errno::Success;
}

Errno random_get(WasiContext&, const GuestMemory& memory, CallArgs args) {
  auto out = memory.bytes(args.u32(0), args.u32(1));
  if (!out) return Errno::Fault;
  size_t done = 0;
  while (done < out->size()) {
    const ssize_t n = getrandom(out->data() + done, out->size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_from_host(errno);
    }
    done += static_cast<size_t>(n);
  }
  return Errno::Success;
}

}  // namespace loom::wasi::fn
