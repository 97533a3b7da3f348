#include "wasi/host_file.hpp"

#include <sys/socket.h>

namespace loom::wasi {

Filetype filetype_from_stat(const struct stat& st, int fd) {
  switch (st.st_mode & S_IFMT) {
    case S_IFREG:
      return Filetype::RegularFile;
    case S_IFDIR:
      return Filetype::Directory;
    case S_IFCHR:
      return Filetype::CharacterDevice;
    case S_IFBLK:
      return Filetype::BlockDevice;
    case S_IFLNK:
      return Filetype::SymbolicLink;
    case S_IFSOCK: {
      int type = SOCK_STREAM;
      socklen_t len = sizeof type;
      if (fd >= 0) getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
      return type == SOCK_DGRAM ? Filetype::SocketDgram : Filetype::SocketStream;
    }
    default:
      return Filetype::Unknown;  // pipes among them, as wasmtime reports them
  }
}

Errno store_filestat(const GuestMemory& memory, uint32_t address, const struct stat& st, int fd) {
  auto out = memory.bytes(address, layout::kFilestatSize);
  if (!out) return Errno::Fault;
  using namespace layout;
  memory.store<uint64_t>(address + kFilestatDev, st.st_dev);
  memory.store<uint64_t>(address + kFilestatIno, st.st_ino);
  memory.store<uint64_t>(address + kFilestatFiletype, 0);  // the byte and its padding
  memory.store<uint8_t>(address + kFilestatFiletype,
                        static_cast<uint8_t>(filetype_from_stat(st, fd)));
  memory.store<uint64_t>(address + kFilestatNlink, st.st_nlink);
  memory.store<uint64_t>(address + kFilestatSize_, static_cast<uint64_t>(st.st_size));
  memory.store<uint64_t>(address + kFilestatAtim, timespec_to_ns(st.st_atim));
  memory.store<uint64_t>(address + kFilestatMtim, timespec_to_ns(st.st_mtim));
  memory.store<uint64_t>(address + kFilestatCtim, timespec_to_ns(st.st_ctim));
  return Errno::Success;
}

Errno timespecs_for(uint64_t atim, uint64_t mtim, uint16_t fst_flags, timespec out[2]) {
  if (fst_flags & ~(kFstAtim | kFstAtimNow | kFstMtim | kFstMtimNow)) return Errno::Inval;
  if ((fst_flags & kFstAtim) && (fst_flags & kFstAtimNow)) return Errno::Inval;
  if ((fst_flags & kFstMtim) && (fst_flags & kFstMtimNow)) return Errno::Inval;
  auto pick = [](uint64_t ns, bool set, bool now) {
    if (now) return timespec{0, UTIME_NOW};
    if (set) return ns_to_timespec(ns);
    return timespec{0, UTIME_OMIT};
  };
  out[0] = pick(atim, fst_flags & kFstAtim, fst_flags & kFstAtimNow);
  out[1] = pick(mtim, fst_flags & kFstMtim, fst_flags & kFstMtimNow);
  return Errno::Success;
}

}  // namespace loom::wasi
