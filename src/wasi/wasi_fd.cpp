// fd_*: operations on open descriptors.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <climits>

#include "wasi/functions.hpp"
#include "wasi/host_file.hpp"
#include "wasi/shared_io.hpp"

namespace loom::wasi::fn {
namespace {

// Moves data between a descriptor and guest buffers with readv/writev (or the positioned forms
// when `offset` is set), IOV_MAX buffers at a time, stopping at a short transfer as POSIX does.
template <typename Transfer>
Errno transfer_all(const std::vector<iovec>& buffers, Transfer&& transfer, uint64_t& done) {
  done = 0;
  for (size_t first = 0; first < buffers.size(); first += IOV_MAX) {
    const int count = static_cast<int>(std::min<size_t>(IOV_MAX, buffers.size() - first));
    size_t wanted = 0;
    for (int i = 0; i < count; ++i) wanted += buffers[first + i].iov_len;
    ssize_t n;
    do {
      n = transfer(buffers.data() + first, count, done);
    } while (n < 0 && errno == EINTR);
    if (n < 0) return done > 0 ? Errno::Success : errno_from_host(errno);
    done += static_cast<uint64_t>(n);
    if (static_cast<size_t>(n) < wanted) break;
  }
  return Errno::Success;
}

Errno read_or_write(WasiContext& ctx, const GuestMemory& memory, uint32_t fd, uint32_t iovs,
                    uint32_t iovs_len, std::optional<uint64_t> offset, uint32_t result_at,
                    bool write) {
  Errno error = Errno::Success;
  Rights needed = write ? right::kFdWrite : right::kFdRead;
  if (offset) needed |= right::kFdSeek;
  FdEntry* entry = ctx.fds().get(fd, needed, error);
  if (!entry) return error;
  if (entry->type == Filetype::Directory) return Errno::IsDir;
  if (offset && *offset > static_cast<uint64_t>(INT64_MAX)) return Errno::Inval;
  auto buffers = memory.iovecs(iovs, iovs_len);
  if (!buffers || !memory.in_bounds(result_at, 4)) return Errno::Fault;
  const int host = entry->fd();
  uint64_t done = 0;
  error = transfer_all(
      *buffers,
      [&](const iovec* iov, int count, uint64_t so_far) -> ssize_t {
        if (offset) {
          if (so_far > static_cast<uint64_t>(INT64_MAX) - *offset) {  // past off_t: stop here
            errno = EINVAL;
            return -1;
          }
          const off_t at = static_cast<off_t>(*offset + so_far);
          return write ? pwritev(host, iov, count, at) : preadv(host, iov, count, at);
        }
        return stream_transfer(*entry, iov, count, write);
      },
      done);
  if (error != Errno::Success) return error;
  memory.store<uint32_t>(result_at, static_cast<uint32_t>(done));
  return Errno::Success;
}

}  // namespace

Errno fd_write(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  return read_or_write(ctx, memory, args.u32(0), args.u32(1), args.u32(2), std::nullopt,
                       args.u32(3), true);
}
Errno fd_read(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  return read_or_write(ctx, memory, args.u32(0), args.u32(1), args.u32(2), std::nullopt,
                       args.u32(3), false);
}
Errno fd_pwrite(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  return read_or_write(ctx, memory, args.u32(0), args.u32(1), args.u32(2), args.u64(3), args.u32(4),
                       true);
}
Errno fd_pread(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  return read_or_write(ctx, memory, args.u32(0), args.u32(1), args.u32(2), args.u64(3), args.u32(4),
                       false);
}

Errno fd_close(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  return ctx.fds().remove(args.u32(0)) ? Errno::Success : Errno::Badf;
}

Errno fd_fdstat_get(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), 0, error);
  if (!entry) return error;
  const uint32_t at = args.u32(1);
  if (!memory.in_bounds(at, layout::kFdstatSize)) return Errno::Fault;
  memory.store<uint64_t>(at, 0);  // filetype, padding, flags, padding
  memory.store<uint8_t>(at + layout::kFdstatFiletype, static_cast<uint8_t>(entry->type));
  memory.store<uint16_t>(at + layout::kFdstatFlags, entry->fdflags);
  memory.store<uint64_t>(at + layout::kFdstatRightsBase, entry->rights_base);
  memory.store<uint64_t>(at + layout::kFdstatRightsInheriting, entry->rights_inheriting);
  return Errno::Success;
}

Errno fd_prestat_get(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  FdEntry* entry = ctx.fds().find(args.u32(0));
  if (!entry || !entry->is_preopen) return Errno::Badf;
  const uint32_t at = args.u32(1);
  if (!memory.in_bounds(at, layout::kPrestatSize)) return Errno::Fault;
  memory.store<uint32_t>(at + layout::kPrestatTag, kPreopenTypeDir);  // tag and padding
  memory.store<uint32_t>(at + layout::kPrestatNameLen,
                         static_cast<uint32_t>(entry->preopen_name.size()));
  return Errno::Success;
}

Errno fd_prestat_dir_name(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  FdEntry* entry = ctx.fds().find(args.u32(0));
  if (!entry || !entry->is_preopen) return Errno::Badf;
  const std::string& name = entry->preopen_name;
  if (args.u32(2) < name.size()) return Errno::NameTooLong;  // as wasmtime
  auto out = memory.bytes(args.u32(1), static_cast<uint32_t>(name.size()));
  if (!out) return Errno::Fault;
  std::copy(name.begin(), name.end(), out->begin());
  return Errno::Success;
}

Errno fd_seek(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  const int64_t offset = args.i64(1);
  const uint32_t whence = args.u32(2);
  // A bad whence is refused before the fd is looked up, as wasmtime's bindings do.
  int host_whence;
  switch (whence) {
    case kWhenceSet:
      host_whence = SEEK_SET;
      break;
    case kWhenceCur:
      host_whence = SEEK_CUR;
      break;
    case kWhenceEnd:
      host_whence = SEEK_END;
      break;
    default:
      return Errno::Inval;
  }
  // Asking for the current position needs only the tell right, as in wasmtime.
  const Rights needed =
      (offset == 0 && whence == kWhenceCur) ? right::kFdTell : right::kFdSeek | right::kFdTell;
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), needed, error);
  if (!entry) return error;
  if (!memory.in_bounds(args.u32(3), 8)) return Errno::Fault;
  const off_t position = lseek(entry->fd(), offset, host_whence);
  if (position < 0) return errno_from_host(errno);
  memory.store<uint64_t>(args.u32(3), static_cast<uint64_t>(position));
  return Errno::Success;
}

Errno fd_tell(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdTell, error);
  if (!entry) return error;
  if (!memory.in_bounds(args.u32(1), 8)) return Errno::Fault;
  const off_t position = lseek(entry->fd(), 0, SEEK_CUR);
  if (position < 0) return errno_from_host(errno);
  memory.store<uint64_t>(args.u32(1), static_cast<uint64_t>(position));
  return Errno::Success;
}

Errno fd_advise(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  const uint32_t advice = args.u32(3);
  int host_advice;
  switch (advice) {  // checked before the fd, as wasmtime and Node.js decode enums first
    case kAdviceNormal:
      host_advice = POSIX_FADV_NORMAL;
      break;
    case kAdviceSequential:
      host_advice = POSIX_FADV_SEQUENTIAL;
      break;
    case kAdviceRandom:
      host_advice = POSIX_FADV_RANDOM;
      break;
    case kAdviceWillneed:
      host_advice = POSIX_FADV_WILLNEED;
      break;
    case kAdviceDontneed:
      host_advice = POSIX_FADV_DONTNEED;
      break;
    case kAdviceNoreuse:
      host_advice = POSIX_FADV_NOREUSE;
      break;
    default:
      return Errno::Inval;
  }
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdAdvise, error);
  if (!entry) return error;
  if (!fits_off_t(args.u64(1)) || !fits_off_t(args.u64(2))) return Errno::Inval;
  const int result = posix_fadvise(entry->fd(), static_cast<off_t>(args.u64(1)),
                                   static_cast<off_t>(args.u64(2)), host_advice);
  return errno_from_host(result);  // posix_fadvise returns the error number
}

// posix_fallocate, as Node.js and wasmtime's wasi-common do (wasmtime's newer preview 2 adapter
// answers NotSup: preview 2 has no allocate).
Errno fd_allocate(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdAllocate, error);
  if (!entry) return error;
  if (!fits_off_t(args.u64(1)) || !fits_off_t(args.u64(2))) return Errno::Inval;
  int result;
  do {
    result = posix_fallocate(entry->fd(), static_cast<off_t>(args.u64(1)),
                             static_cast<off_t>(args.u64(2)));
  } while (result == EINTR);
  return errno_from_host(result);
}

Errno fd_datasync(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdDatasync, error);
  if (!entry) return error;
  return fdatasync(entry->fd()) == 0 ? Errno::Success : errno_from_host(errno);
}

Errno fd_sync(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdSync, error);
  if (!entry) return error;
  return fsync(entry->fd()) == 0 ? Errno::Success : errno_from_host(errno);
}

// Both descriptors must be open (Badf otherwise), as in wasmtime, Node.js and the wasi-testsuite.
// Preopens may be renumbered, as in wasmtime (its older wasi-common refused them with NotSup).
Errno fd_renumber(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  return ctx.fds().renumber(args.u32(0), args.u32(1));
}

}  // namespace loom::wasi::fn
