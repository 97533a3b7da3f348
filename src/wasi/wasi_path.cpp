// path_*: operations on names beneath a directory descriptor. Every path goes through
// resolve_beneath (sandbox.hpp); the host call then acts on one name in the directory it found,
// never following a symbolic link (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW, or a call that does not follow
// its last component), so only links Loom has examined are ever followed.
//
// Checks come in this order: flag values (Inval), the descriptor (Badf; NotDir when it is no
// directory, as wasmtime answers; NotCapable for a missing right), guest pointers (Fault), then
// the path.
// Errors of the host calls pass through errno_from_host, which gives wasmtime's answers on Linux
// (unlink of a directory: EISDIR; Node.js gives the same, both calling unlink(2)).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "wasi/functions.hpp"
#include "wasi/host_file.hpp"
#include "wasi/sandbox.hpp"

namespace loom::wasi::fn {
namespace {

constexpr uint32_t kKnownOflags = kOflagCreat | kOflagDirectory | kOflagExcl | kOflagTrunc;
constexpr uint32_t kKnownFdflags =
    kFdflagAppend | kFdflagDsync | kFdflagNonblock | kFdflagRsync | kFdflagSync;
// Rights that make path_open open the host file for reading or for writing (as Rust's std and
// wasi-libc group them).
constexpr Rights kReadRights = right::kFdRead | right::kFdReaddir;
constexpr Rights kWriteRights =
    right::kFdWrite | right::kFdDatasync | right::kFdAllocate | right::kFdFilestatSetSize;
// path_open retries this often when a name it resolved turned into a symlink before the open.
constexpr int kOpenAttempts = 4;

Errno host_error() {
  return errno_from_host(errno);
}

// The directory entry `fd` with every right in `required`.
FdEntry* directory(WasiContext& ctx, uint32_t fd, Rights required, Errno& error) {
  if (const FdEntry* entry = ctx.fds().find(fd); entry && entry->type != Filetype::Directory) {
    error = Errno::NotDir;
    return nullptr;
  }
  return ctx.fds().get(fd, required, error);  // Badf when absent, NotCapable without the rights
}

Errno check_lookupflags(uint32_t flags) {
  return (flags & ~kLookupSymlinkFollow) ? Errno::Inval : Errno::Success;
}
Follow follow_from(uint32_t lookupflags) {
  return (lookupflags & kLookupSymlinkFollow) ? Follow::kAlways : Follow::kIfSlash;
}

// Resolves the guest path at [address, address + length) beneath `dir`.
Errno resolve(const GuestMemory& memory, const FdEntry& dir, uint32_t address, uint32_t length,
              Follow follow, ResolvedPath& out) {
  auto path = memory.string(address, length);
  if (!path) return Errno::Fault;
  return resolve_beneath(dir.fd(), *path, follow, out);
}

// For calls that look at the object a path names: a trailing slash requires a directory.
Errno check_trailing_slash(const ResolvedPath& path) {
  if (!path.trailing_slash()) return Errno::Success;
  struct stat st {};
  if (fstatat(path.dir(), path.name().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return host_error();
  return S_ISDIR(st.st_mode) ? Errno::Success : Errno::NotDir;
}

// The host open(2) flags for path_open's arguments, O_NOFOLLOW included: the sandbox has already
// followed whatever links the guest asked to follow.
int host_open_flags(uint32_t oflags, uint32_t fdflags, Rights granted) {
  const bool read = granted & kReadRights;
  const bool write = granted & kWriteRights;
  int flags = O_CLOEXEC | O_NOCTTY | O_NOFOLLOW;
  flags |= (read && write) ? O_RDWR : write ? O_WRONLY : O_RDONLY;
  if (oflags & kOflagCreat) flags |= O_CREAT;
  if (oflags & kOflagDirectory) flags |= O_DIRECTORY;
  if (oflags & kOflagExcl) flags |= O_EXCL;
  if (oflags & kOflagTrunc) flags |= O_TRUNC;
  if (fdflags & kFdflagAppend) flags |= O_APPEND;
  if (fdflags & kFdflagDsync) flags |= O_DSYNC;
  if (fdflags & kFdflagNonblock) flags |= O_NONBLOCK;
  if (fdflags & kFdflagRsync) flags |= O_RSYNC;
  if (fdflags & kFdflagSync) flags |= O_SYNC;
  return flags;
}

// What a descriptor of this type can be granted at most.
Rights rights_for_type(Filetype type) {
  switch (type) {
    case Filetype::Directory:
      return right::kDirectory;
    case Filetype::SocketDgram:
    case Filetype::SocketStream:
      return right::kStream;
    default:
      return right::kRegularFile;
  }
}

}  // namespace

Errno path_open(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  const uint32_t lookupflags = args.u32(1), path_at = args.u32(2), path_len = args.u32(3);
  const uint32_t oflags = args.u32(4), fdflags = args.u32(7), result_at = args.u32(8);
  const Rights requested_base = args.u64(5), requested_inheriting = args.u64(6);
  if (check_lookupflags(lookupflags) != Errno::Success || (oflags & ~kKnownOflags) ||
      (fdflags & ~kKnownFdflags) || ((requested_base | requested_inheriting) & ~right::kAll)) {
    return Errno::Inval;
  }
  // Creating needs path_create_file; truncating is setting a size through a path.
  Rights needed = right::kPathOpen;
  if (oflags & kOflagCreat) needed |= right::kPathCreateFile;
  if (oflags & kOflagTrunc) needed |= right::kPathFilestatSetSize;
  Errno error = Errno::Success;
  FdEntry* dir = directory(ctx, args.u32(0), needed, error);
  if (!dir) return error;
  if (!memory.in_bounds(result_at, 4)) return Errno::Fault;
  // Beneath a read-only preopen nothing is opened for writing, rather than handing out a
  // descriptor that fails later. (Creating and truncating already lack their rights there.)
  if (dir->read_only && ((requested_base & right::kWriteAccess) || (fdflags & kFdflagAppend) ||
                         (oflags & (kOflagCreat | kOflagTrunc)))) {
    return Errno::NotCapable;
  }
  // A new descriptor gets what it asks for as far as its directory may pass rights on.
  const Rights granted_base = requested_base & dir->rights_inheriting;
  const Rights granted_inheriting = requested_inheriting & dir->rights_inheriting;
  const int flags = host_open_flags(oflags, fdflags, granted_base);
  const Follow follow = follow_from(lookupflags);

  UniqueFd host;
  for (int attempt = 1;; ++attempt) {
    ResolvedPath path;
    if (Errno e = resolve(memory, *dir, path_at, path_len, follow, path); e != Errno::Success) {
      return e;
    }
    int path_flags = flags;
    if (path.trailing_slash()) {
      if (oflags & kOflagCreat) return Errno::IsDir;  // Linux's answer to open("x/", O_CREAT)
      path_flags |= O_DIRECTORY;
    }
    const int fd = openat(path.dir(), path.name().c_str(), path_flags, 0666);
    if (fd >= 0) {
      host.reset(fd);
      break;
    }
    // ELOOP for a name the sandbox followed means it became a link after it was examined.
    const bool followed = follow == Follow::kAlways || path.trailing_slash();
    if (errno == ELOOP && followed && attempt < kOpenAttempts) continue;
    return host_error();
  }

  struct stat st {};
  if (fstat(host.get(), &st) != 0) return host_error();
  FdEntry entry;
  entry.type = filetype_from_stat(st, host.get());
  entry.host = std::move(host);
  entry.read_only = dir->read_only;
  const Rights allowed = rights_for_type(entry.type) & (dir->read_only ? ~right::kMutating : ~0ull);
  entry.rights_base = granted_base & allowed;
  entry.rights_inheriting = granted_inheriting;
  entry.fdflags = static_cast<uint16_t>(fdflags);
  const std::optional<uint32_t> fd = ctx.fds().insert(std::move(entry));
  if (!fd) return Errno::Mfile;
  memory.store<uint32_t>(result_at, *fd);
  return Errno::Success;
}

Errno path_create_directory(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* dir = directory(ctx, args.u32(0), right::kPathCreateDirectory, error);
  if (!dir) return error;
  ResolvedPath path;
  if (Errno e = resolve(memory, *dir, args.u32(1), args.u32(2), Follow::kNever, path);
      e != Errno::Success) {
    return e;
  }
  if (mkdirat(path.dir(), path.kernel_name().c_str(), 0777) != 0) return host_error();
  return Errno::Success;
}

Errno path_filestat_get(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  if (check_lookupflags(args.u32(1)) != Errno::Success) return Errno::Inval;
  Errno error = Errno::Success;
  FdEntry* dir = directory(ctx, args.u32(0), right::kPathFilestatGet, error);
  if (!dir) return error;
  const uint32_t result_at = args.u32(4);
  if (!memory.in_bounds(result_at, layout::kFilestatSize)) return Errno::Fault;
  ResolvedPath path;
  if (Errno e = resolve(memory, *dir, args.u32(2), args.u32(3), follow_from(args.u32(1)), path);
      e != Errno::Success) {
    return e;
  }
  struct stat st {};
  if (fstatat(path.dir(), path.name().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return host_error();
  if (path.trailing_slash() && !S_ISDIR(st.st_mode)) return Errno::NotDir;
  return store_filestat(memory, result_at, st);
}

Errno path_filestat_set_times(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  const uint32_t fst_flags = args.u32(6);
  if (check_lookupflags(args.u32(1)) != Errno::Success || fst_flags > 0xffff) return Errno::Inval;
  timespec times[2];
  if (Errno e = timespecs_for(args.u64(4), args.u64(5), static_cast<uint16_t>(fst_flags), times);
      e != Errno::Success) {
    return e;
  }
  Errno error = Errno::Success;
  FdEntry* dir = directory(ctx, args.u32(0), right::kPathFilestatSetTimes, error);
  if (!dir) return error;
  ResolvedPath path;
  if (Errno e = resolve(memory, *dir, args.u32(2), args.u32(3), follow_from(args.u32(1)), path);
      e != Errno::Success) {
    return e;
  }
  if (Errno e = check_trailing_slash(path); e != Errno::Success) return e;
  if (utimensat(path.dir(), path.name().c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
    return host_error();
  }
  return Errno::Success;
}

// Following a symlink source is allowed, as the spec and Node.js allow it; wasmtime refuses
// symlink_follow here with EINVAL because its cap-std backend cannot do it. The sandbox follows
// the link, so the hard link is made to the file it leads to (linkat's AT_SYMLINK_FOLLOW).
Errno path_link(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  const uint32_t old_flags = args.u32(1);
  if (check_lookupflags(old_flags) != Errno::Success) return Errno::Inval;
  Errno error = Errno::Success;
  FdEntry* old_dir = directory(ctx, args.u32(0), right::kPathLinkSource, error);
  if (!old_dir) return error;
  FdEntry* new_dir = directory(ctx, args.u32(4), right::kPathLinkTarget, error);
  if (!new_dir) return error;
  ResolvedPath old_path, new_path;
  if (Errno e =
          resolve(memory, *old_dir, args.u32(2), args.u32(3), follow_from(old_flags), old_path);
      e != Errno::Success) {
    return e;
  }
  if (Errno e = resolve(memory, *new_dir, args.u32(5), args.u32(6), Follow::kNever, new_path);
      e != Errno::Success) {
    return e;
  }
  // The source's trailing slash is checked here, not by linkat: the kernel would follow it.
  if (Errno e = check_trailing_slash(old_path); e != Errno::Success) return e;
  if (linkat(old_path.dir(), old_path.name().c_str(), new_path.dir(),
             new_path.kernel_name().c_str(), 0) != 0) {
    return host_error();
  }
  return Errno::Success;
}

// A link longer than the buffer is cut to fit, as wasmtime does (Node.js reports an error).
Errno path_readlink(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* dir = directory(ctx, args.u32(0), right::kPathReadlink, error);
  if (!dir) return error;
  auto buffer = memory.bytes(args.u32(3), args.u32(4));
  const uint32_t used_at = args.u32(5);
  if (!buffer || !memory.in_bounds(used_at, 4)) return Errno::Fault;
  ResolvedPath path;
  if (Errno e = resolve(memory, *dir, args.u32(1), args.u32(2), Follow::kIfSlash, path);
      e != Errno::Success) {
    return e;
  }
  char target[kMaxPathLength];
  const ssize_t n = readlinkat(path.dir(), path.name().c_str(), target, sizeof target);
  if (n < 0) return host_error();
  const size_t used = std::min(static_cast<size_t>(n), buffer->size());
  std::copy_n(target, used, buffer->begin());
  memory.store<uint32_t>(used_at, static_cast<uint32_t>(used));
  return Errno::Success;
}

Errno path_remove_directory(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* dir = directory(ctx, args.u32(0), right::kPathRemoveDirectory, error);
  if (!dir) return error;
  ResolvedPath path;
  if (Errno e = resolve(memory, *dir, args.u32(1), args.u32(2), Follow::kNever, path);
      e != Errno::Success) {
    return e;
  }
  if (unlinkat(path.dir(), path.kernel_name().c_str(), AT_REMOVEDIR) != 0) return host_error();
  return Errno::Success;
}

Errno path_rename(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* old_dir = directory(ctx, args.u32(0), right::kPathRenameSource, error);
  if (!old_dir) return error;
  FdEntry* new_dir = directory(ctx, args.u32(3), right::kPathRenameTarget, error);
  if (!new_dir) return error;
  ResolvedPath old_path, new_path;
  if (Errno e = resolve(memory, *old_dir, args.u32(1), args.u32(2), Follow::kNever, old_path);
      e != Errno::Success) {
    return e;
  }
  if (Errno e = resolve(memory, *new_dir, args.u32(4), args.u32(5), Follow::kNever, new_path);
      e != Errno::Success) {
    return e;
  }
  if (renameat(old_path.dir(), old_path.kernel_name().c_str(), new_path.dir(),
               new_path.kernel_name().c_str()) != 0) {
    return host_error();
  }
  return Errno::Success;
}

// Links with absolute targets are refused: they could never be followed beneath a preopen. The
// errno is EPERM, on which both references agree (Node.js 20 answers EPERM; wasmtime's cap-std
// refuses it as an escape, PermissionDenied, which wasmtime reports as EPERM). A relative target
// that climbs out may be created (Node.js refuses it, a known fault: it also refuses `..` targets
// that stay inside); following it is what the sandbox refuses.
Errno path_symlink(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* dir = directory(ctx, args.u32(2), right::kPathSymlink, error);
  if (!dir) return error;
  auto target = memory.string(args.u32(0), args.u32(1));
  if (!target) return Errno::Fault;
  if (target->find('\0') != std::string_view::npos) return Errno::Inval;
  if (target->size() >= kMaxPathLength) return Errno::NameTooLong;
  if (!target->empty() && target->front() == '/') return Errno::Perm;
  ResolvedPath path;
  if (Errno e = resolve(memory, *dir, args.u32(3), args.u32(4), Follow::kNever, path);
      e != Errno::Success) {
    return e;
  }
  // "file/" names an existing non-directory: wasmtime says ENOTDIR where Linux says EEXIST.
  if (path.trailing_slash()) {
    struct stat st {};
    if (fstatat(path.dir(), path.name().c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        !S_ISDIR(st.st_mode)) {
      return Errno::NotDir;
    }
  }
  if (symlinkat(std::string(*target).c_str(), path.dir(), path.kernel_name().c_str()) != 0) {
    return host_error();
  }
  return Errno::Success;
}

Errno path_unlink_file(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* dir = directory(ctx, args.u32(0), right::kPathUnlinkFile, error);
  if (!dir) return error;
  ResolvedPath path;
  if (Errno e = resolve(memory, *dir, args.u32(1), args.u32(2), Follow::kNever, path);
      e != Errno::Success) {
    return e;
  }
  if (unlinkat(path.dir(), path.kernel_name().c_str(), 0) != 0) return host_error();
  return Errno::Success;
}

}  // namespace loom::wasi::fn
