// fd_* that read or change a descriptor's metadata: fdstat flags and rights, filestat, size, times.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "wasi/functions.hpp"
#include "wasi/host_file.hpp"

namespace loom::wasi::fn {
namespace {

constexpr uint16_t kAllFdflags =
    kFdflagAppend | kFdflagDsync | kFdflagNonblock | kFdflagRsync | kFdflagSync;

}  // namespace

Errno fd_fdstat_set_flags(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  const uint32_t flags = args.u32(1);
  if (flags & ~uint32_t{kAllFdflags}) return Errno::Inval;  // not an fdflags value
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdFdstatSetFlags, error);
  if (!entry) return error;
  // Linux's F_SETFL ignores the sync flags, so only append and nonblock can change; asking for a
  // sync flag is Inval, as in wasmtime (Node.js passes them to fcntl, which drops them silently).
  if (flags & (kFdflagDsync | kFdflagRsync | kFdflagSync)) return Errno::Inval;
  const int current = fcntl(entry->fd(), F_GETFL);
  if (current < 0) return errno_from_host(errno);
  if (entry->shared_description) {
    // Stdio: the host description keeps its flags (shared_io.hpp honours the guest's). Append
    // stays when the host description has it: every write on it appends, whatever Loom does.
    entry->fdflags = static_cast<uint16_t>(flags | ((current & O_APPEND) ? kFdflagAppend : 0));
    return Errno::Success;
  }
  int wanted = current & ~(O_APPEND | O_NONBLOCK);
  if (flags & kFdflagAppend) wanted |= O_APPEND;
  if (flags & kFdflagNonblock) wanted |= O_NONBLOCK;
  if (wanted != current && fcntl(entry->fd(), F_SETFL, wanted) < 0) return errno_from_host(errno);
  entry->fdflags = static_cast<uint16_t>(flags);
  return Errno::Success;
}

// Rights can only be dropped; asking for one the descriptor lacks is NotCapable (wasmtime's
// wasi-common and Node.js agree).
Errno fd_fdstat_set_rights(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  FdEntry* entry = ctx.fds().find(args.u32(0));
  if (!entry) return Errno::Badf;
  const Rights base = args.u64(1), inheriting = args.u64(2);
  if ((base & ~entry->rights_base) != 0 || (inheriting & ~entry->rights_inheriting) != 0) {
    return Errno::NotCapable;
  }
  entry->rights_base = base;
  entry->rights_inheriting = inheriting;
  return Errno::Success;
}

Errno fd_filestat_get(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdFilestatGet, error);
  if (!entry) return error;
  const uint32_t at = args.u32(1);
  if (!memory.in_bounds(at, layout::kFilestatSize)) return Errno::Fault;
  struct stat st {};
  if (fstat(entry->fd(), &st) != 0) return errno_from_host(errno);
  return store_filestat(memory, at, st, entry->fd());
}

Errno fd_filestat_set_size(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdFilestatSetSize, error);
  if (!entry) return error;
  const uint64_t size = args.u64(1);
  if (!fits_off_t(size)) return Errno::Inval;
  int result;
  do {
    result = ftruncate(entry->fd(), static_cast<off_t>(size));
  } while (result < 0 && errno == EINTR);
  return result == 0 ? Errno::Success : errno_from_host(errno);
}

Errno fd_filestat_set_times(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  // The flags are checked before the fd, as wasmtime and Node.js do.
  const uint32_t fst_flags = args.u32(3);
  timespec times[2];
  if (fst_flags > 0xffff ||
      timespecs_for(args.u64(1), args.u64(2), static_cast<uint16_t>(fst_flags), times) !=
          Errno::Success) {
    return Errno::Inval;
  }
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdFilestatSetTimes, error);
  if (!entry) return error;
  return futimens(entry->fd(), times) == 0 ? Errno::Success : errno_from_host(errno);
}

}  // namespace loom::wasi::fn
