#include "text/input_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

namespace loom {
namespace {

Error too_large(uint64_t max_bytes) {
  Error e{"file too large: " + (max_bytes == limit_value(Limit::ModuleBytes)
                                    ? limit_error(Limit::ModuleBytes)
                                    : "more than " + std::to_string(max_bytes) + " bytes")};
  e.kind = ErrorKind::Exhaustion;
  return e;
}

Error io_error(const char* what) {
  Error e{std::string(what) + ": " + std::strerror(errno)};
  e.kind = ErrorKind::Io;
  return e;
}

// Lets the kernel back a large buffer with 2 MiB pages: filling 1 GiB then takes 512 page faults
// instead of 262,144, which on some virtual machines is the difference between 0.2 s and 5 s.
// Only whole huge pages inside the buffer are advised; failure just leaves 4 KiB pages.
void advise_huge_pages(uint8_t* data, size_t size) {
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<uintptr_t>(data) + size) & ~(kHuge - 1);
  if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

}  // namespace

Result<std::vector<uint8_t>> read_input_file(const std::string& path, uint64_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error("cannot open");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  // One byte past the limit tells "exactly at the limit" from "too large" without reading on.
  const uint64_t cap = std::min<uint64_t>(max_bytes, SIZE_MAX / 2) + 1;
  // A regular file is judged by its size and read into a buffer of that size (one byte more, so
  // the read that sees end-of-file needs no growth). Pipes, devices and files that report size 0
  // (/proc) reserve address space for `cap` bytes (not memory: pages are used as data arrives)
  // and grow into it in chunks, so nothing is copied and at most one chunk is unused.
  struct stat st;
  const bool sized = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
  if (sized && static_cast<uint64_t>(st.st_size) > max_bytes) return too_large(max_bytes);
  const uint64_t reserve = sized ? static_cast<uint64_t>(st.st_size) + 1 : cap;
  constexpr uint64_t kChunk = uint64_t{16} << 20;
  std::vector<uint8_t> bytes;
  try {
    bytes.reserve(static_cast<size_t>(reserve));
  } catch (const std::bad_alloc&) {
    // No address space for it (ulimit -v): grow as the data comes, reallocating.
    bytes.reserve(static_cast<size_t>(std::min(reserve, kChunk)));
  }
  advise_huge_pages(bytes.data(), bytes.capacity());
  size_t size = 0;
  for (;;) {
    if (size == bytes.size()) {
      if (size >= cap) return too_large(max_bytes);
      const uint64_t grow = size == 0 && sized ? reserve : kChunk;
      bytes.resize(static_cast<size_t>(std::min<uint64_t>(cap, uint64_t{size} + grow)));
    }
    const ssize_t n = ::read(fd, bytes.data() + size, bytes.size() - size);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read error");
    }
    size += static_cast<size_t>(n);
  }
  bytes.resize(size);
  return bytes;
}

}  // namespace loom
