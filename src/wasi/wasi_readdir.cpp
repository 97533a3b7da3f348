// fd_readdir: directory entries with cookies.
//
// A cookie is an index into the directory's listing, which is read from the host when the guest
// starts over (cookie 0) or has none yet, and kept in the FdEntry so that later calls resume where
// the last one stopped even though the host directory offset is not a small number. "." and ".."
// come first, as wasmtime lists them (Node.js leaves them out, libuv skips them).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "wasi/functions.hpp"
#include "wasi/host_file.hpp"

namespace loom::wasi::fn {
namespace {

Filetype filetype_of(int dir_fd, const dirent& host) {
  switch (host.d_type) {
    case DT_REG:
      return Filetype::RegularFile;
    case DT_DIR:
      return Filetype::Directory;
    case DT_LNK:
      return Filetype::SymbolicLink;
    case DT_CHR:
      return Filetype::CharacterDevice;
    case DT_BLK:
      return Filetype::BlockDevice;
    case DT_SOCK:
      return Filetype::SocketStream;  // the kind of socket needs an open descriptor
    case DT_UNKNOWN: {  // some file systems do not say; ask without following symlinks
      struct stat st {};
      if (fstatat(dir_fd, host.d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return Filetype::Unknown;
      return filetype_from_stat(st);
    }
    default:
      return Filetype::Unknown;  // pipes among them, as filetype_from_stat
  }
}

// Reads the whole directory through a descriptor of its own, so the guest's descriptor keeps its
// host offset and the listing always starts at the beginning.
Errno read_listing(int dir_fd, std::vector<DirEntry>& listing) {
  const int own_fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (own_fd < 0) return errno_from_host(errno);
  DIR* dir = fdopendir(own_fd);
  if (!dir) {
    const int saved = errno;
    close(own_fd);
    return errno_from_host(saved);
  }
  listing.assign(2, DirEntry{0, Filetype::Directory, ""});
  listing[0].name = ".";
  listing[1].name = "..";
  Errno result = Errno::Success;
  while (true) {
    errno = 0;
    const dirent* host = readdir(dir);
    if (!host) {
      if (errno != 0) result = errno_from_host(errno);
      break;
    }
    if (std::strcmp(host->d_name, ".") == 0) {
      listing[0].ino = host->d_ino;
    } else if (std::strcmp(host->d_name, "..") == 0) {
      listing[1].ino = host->d_ino;
    } else {
      listing.push_back(DirEntry{host->d_ino, filetype_of(own_fd, *host), host->d_name});
    }
  }
  closedir(dir);
  if (result != Errno::Success) listing.clear();
  return result;
}

// Copies as much of `bytes` as fits at `at` (below `end`); returns how many were copied.
uint32_t copy_clipped(const GuestMemory& memory, uint64_t at, uint64_t end, const uint8_t* bytes,
                      size_t size) {
  const uint32_t count = static_cast<uint32_t>(std::min<uint64_t>(size, end - at));
  if (count != 0) std::memcpy(memory.bytes(static_cast<uint32_t>(at), count)->data(), bytes, count);
  return count;
}

}  // namespace

Errno fd_readdir(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  Errno error = Errno::Success;
  FdEntry* entry = ctx.fds().get(args.u32(0), right::kFdReaddir, error);
  if (!entry) return error;
  if (entry->type != Filetype::Directory) return Errno::Badf;  // as wasmtime
  const uint32_t buf = args.u32(1), buf_len = args.u32(2), bufused_at = args.u32(4);
  const uint64_t cookie = args.u64(3);
  if (!memory.in_bounds(buf, buf_len) || !memory.in_bounds(bufused_at, 4)) return Errno::Fault;

  if (cookie == 0 || entry->dir_listing.empty()) {
    if (Errno read_error = read_listing(entry->fd(), entry->dir_listing);
        read_error != Errno::Success) {
      return read_error;
    }
  }
  const std::vector<DirEntry>& listing = entry->dir_listing;
  const uint64_t end = uint64_t{buf} + buf_len;  // a 4 GiB memory ends at 2^32
  uint64_t at = buf;
  // Entries are packed; the last one is cut off where the buffer ends, so that a full buffer tells
  // the guest (wasi-libc) to call again with a bigger one rather than that the listing ended.
  for (uint64_t index = cookie; index < listing.size() && at < end; ++index) {
    const DirEntry& dirent = listing[index];
    std::array<uint8_t, layout::kDirentSize> header{};
    const uint64_t next = index + 1;
    const uint64_t ino = dirent.ino;
    const uint32_t name_length = static_cast<uint32_t>(dirent.name.size());
    std::memcpy(header.data() + layout::kDirentNext, &next, 8);
    std::memcpy(header.data() + layout::kDirentIno, &ino, 8);
    std::memcpy(header.data() + layout::kDirentNamlen, &name_length, 4);
    header[layout::kDirentType] = static_cast<uint8_t>(dirent.type);
    at += copy_clipped(memory, at, end, header.data(), header.size());
    at += copy_clipped(memory, at, end, reinterpret_cast<const uint8_t*>(dirent.name.data()),
                       dirent.name.size());
  }
  memory.store<uint32_t>(bufused_at, static_cast<uint32_t>(at - buf));
  return Errno::Success;
}

}  // namespace loom::wasi::fn
