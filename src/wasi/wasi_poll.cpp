// poll_oneoff: wait for clock deadlines and descriptor readiness with the host's ppoll.
//
// Every clock deadline becomes a point on CLOCK_MONOTONIC. The wait is repeated until something
// is ready, so a timer never fires before its deadline even if the host wakes early.
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <limits>
#include <optional>
#include <vector>

#include "wasi/functions.hpp"
#include "wasi/host_file.hpp"

namespace loom::wasi::fn {
namespace {

uint64_t now_ns(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return timespec_to_ns(ts);
}

uint64_t saturating_add(uint64_t a, uint64_t b) {
  return b > std::numeric_limits<uint64_t>::max() - a ? std::numeric_limits<uint64_t>::max()
                                                      : a + b;
}

struct Subscription {
  uint64_t userdata = 0;
  uint8_t type = kEventClock;
  uint64_t deadline = 0;             // clock: on CLOCK_MONOTONIC, in ns
  std::optional<size_t> poll_index;  // fd: its slot in the pollfd array
  int host_fd = -1;
  Filetype filetype = Filetype::Unknown;
  Errno error = Errno::Success;  // fd: reported at once (a bad fd is an event, not a failure)
};

// Reads the subscription at `at`; Inval for a bad tag, clock id or flag, NotCapable for a
// descriptor without the poll right (the whole call fails then, in wasmtime and Node.js alike).
Errno read_subscription(WasiContext& ctx, const GuestMemory& memory, uint32_t at,
                        Subscription& sub) {
  using namespace layout;
  sub.userdata = *memory.load<uint64_t>(at + kSubUserdata);
  sub.type = *memory.load<uint8_t>(at + kSubTag);
  if (sub.type == kEventClock) {
    const uint32_t clock = *memory.load<uint32_t>(at + kSubClockId);
    const uint64_t timeout = *memory.load<uint64_t>(at + kSubClockTimeout);
    const uint16_t flags = *memory.load<uint16_t>(at + kSubClockFlags);
    if (flags & ~kSubclockAbstime) return Errno::Inval;
    const bool absolute = flags & kSubclockAbstime;
    const uint64_t monotonic_now = now_ns(CLOCK_MONOTONIC);
    if (clock == kClockMonotonic) {
      sub.deadline = absolute ? timeout : saturating_add(monotonic_now, timeout);
    } else if (clock == kClockRealtime) {
      // A realtime deadline is converted to a wait from now, as wasmtime does.
      const uint64_t realtime_now = now_ns(CLOCK_REALTIME);
      const uint64_t wait = !absolute                ? timeout
                            : timeout > realtime_now ? timeout - realtime_now
                                                     : 0;
      sub.deadline = saturating_add(monotonic_now, wait);
    } else {
      return Errno::Inval;  // CPU-time clocks cannot be waited on (wasmtime: Inval too)
    }
    return Errno::Success;
  }
  if (sub.type != kEventFdRead && sub.type != kEventFdWrite) return Errno::Inval;
  FdEntry* entry = ctx.fds().find(*memory.load<uint32_t>(at + kSubFd));
  if (!entry) {
    // Node.js reports a bad fd in the event; wasmtime fails the whole call with Badf. The event
    // lets the guest see which of several descriptors is wrong.
    sub.error = Errno::Badf;
    return Errno::Success;
  }
  if ((entry->rights_base & right::kPollFdReadwrite) == 0) return Errno::NotCapable;
  sub.host_fd = entry->fd();
  sub.filetype = entry->type;
  return Errno::Success;
}

// Bytes ready to read: what is left of a regular file (as wasmtime reports it), else what the
// host has buffered (pipes, sockets, terminals).
uint64_t readable_bytes(const Subscription& sub) {
  if (sub.filetype == Filetype::RegularFile) {
    struct stat st {};
    const off_t position = lseek(sub.host_fd, 0, SEEK_CUR);
    if (fstat(sub.host_fd, &st) != 0 || position < 0 || st.st_size <= position) return 0;
    return static_cast<uint64_t>(st.st_size - position);
  }
  int pending = 0;
  if (ioctl(sub.host_fd, FIONREAD, &pending) != 0 || pending < 0) return 0;
  return static_cast<uint64_t>(pending);
}

void store_event(const GuestMemory& memory, uint32_t at, const Subscription& sub, Errno error,
                 uint64_t nbytes, uint16_t flags) {
  using namespace layout;
  std::fill_n(memory.bytes(at, kEventSize)->begin(), kEventSize, uint8_t{0});
  memory.store<uint64_t>(at + kEventUserdata, sub.userdata);
  memory.store<uint16_t>(at + kEventError, static_cast<uint16_t>(error));
  memory.store<uint8_t>(at + kEventType, sub.type);
  memory.store<uint64_t>(at + kEventNbytes, nbytes);
  memory.store<uint16_t>(at + kEventFlags, flags);
}

// Waits until a descriptor is ready or `deadline` (CLOCK_MONOTONIC ns; nullopt: no limit) has
// come, whichever is first. Returns false only on a host error other than EINTR.
bool wait(std::vector<pollfd>& fds, std::optional<uint64_t> deadline, bool immediate,
          int& host_errno) {
  while (true) {
    const uint64_t now = now_ns(CLOCK_MONOTONIC);
    timespec timeout{};
    const timespec* timeout_ptr = &timeout;
    if (immediate) {
      timeout = timespec{0, 0};
    } else if (deadline) {
      timeout = ns_to_timespec(*deadline > now ? *deadline - now : 0);
    } else {
      timeout_ptr = nullptr;
    }
    int ready = 0;
    if (!fds.empty()) {
      ready = ppoll(fds.data(), fds.size(), timeout_ptr, nullptr);
    } else if (timeout_ptr && (timeout.tv_sec != 0 || timeout.tv_nsec != 0)) {
      const timespec until = ns_to_timespec(*deadline);
      host_errno = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr);
      if (host_errno != 0 && host_errno != EINTR) return false;
    }
    if (ready < 0) {
      if (errno == EINTR) continue;
      host_errno = errno;
      return false;
    }
    if (ready > 0 || immediate || !deadline || now_ns(CLOCK_MONOTONIC) >= *deadline) return true;
  }
}

}  // namespace

Errno poll_oneoff(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  const uint32_t in = args.u32(0), out = args.u32(1), count = args.u32(2), nevents_at = args.u32(3);
  if (count == 0) return Errno::Inval;  // would wait forever; wasmtime and Node.js refuse it too
  if (!memory.in_bounds(in, uint64_t{count} * layout::kSubscriptionSize) ||
      !memory.in_bounds(out, uint64_t{count} * layout::kEventSize) ||
      !memory.in_bounds(nevents_at, 4)) {
    return Errno::Fault;
  }

  std::vector<Subscription> subs(count);
  std::vector<pollfd> fds;
  std::optional<uint64_t> earliest;
  bool immediate = false;  // some event is ready without waiting (a bad fd)
  for (uint32_t i = 0; i < count; ++i) {
    Subscription& sub = subs[i];
    if (Errno error = read_subscription(ctx, memory, in + i * layout::kSubscriptionSize, sub);
        error != Errno::Success) {
      return error;
    }
    if (sub.type == kEventClock) {
      earliest = std::min(earliest.value_or(sub.deadline), sub.deadline);
    } else if (sub.error != Errno::Success) {
      immediate = true;
    } else {
      sub.poll_index = fds.size();
      const short events = sub.type == kEventFdRead ? POLLIN : POLLOUT;
      fds.push_back(pollfd{sub.host_fd, events, 0});
    }
  }

  int host_errno = 0;
  if (!wait(fds, earliest, immediate, host_errno)) return errno_from_host(host_errno);

  const uint64_t now = now_ns(CLOCK_MONOTONIC);
  uint32_t events = 0;
  for (const Subscription& sub : subs) {
    const uint32_t at = out + events * layout::kEventSize;
    if (sub.type == kEventClock) {
      if (now < sub.deadline) continue;
      store_event(memory, at, sub, Errno::Success, 0, 0);
    } else if (sub.error != Errno::Success) {
      store_event(memory, at, sub, sub.error, 0, 0);
    } else {
      const short revents = fds[*sub.poll_index].revents;
      if (revents == 0) continue;
      // As wasmtime's wasi-common: an invalid host fd is Badf, a host error Io, a hangup a flag.
      if (revents & POLLNVAL) {
        store_event(memory, at, sub, Errno::Badf, 0, 0);
      } else if (revents & POLLERR) {
        store_event(memory, at, sub, Errno::Io, 0, 0);
      } else {
        const uint64_t nbytes = sub.type == kEventFdRead ? readable_bytes(sub) : 0;
        const bool hangup = (revents & POLLHUP) ||
                            (sub.type == kEventFdRead && sub.filetype == Filetype::RegularFile &&
                             nbytes == 0);  // at end of file, as wasmtime reports it
        store_event(memory, at, sub, Errno::Success, nbytes, hangup ? kEventFdReadwriteHangup : 0);
      }
    }
    ++events;
  }
  memory.store<uint32_t>(nevents_at, events);
  return Errno::Success;
}

}  // namespace loom::wasi::fn
