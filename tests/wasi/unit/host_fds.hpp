// Helpers for the fd, poll and sock tests: put host descriptors into a context's table (the way
// path_open or the embedder would) and lay out iovecs in guest memory.
#pragma once
#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "wasi/abi.hpp"
#include "wasi/wasi.hpp"
#include "wasi_fixture.hpp"

namespace loom::wasi::testing {

class HostFdFixture : public WasiFixture {
 protected:
  // Inserts `host_fd` (now owned by the table) at the lowest free number and returns it.
  uint32_t inject(int host_fd, Filetype type, Rights rights, Rights inheriting = 0) {
    EXPECT_GE(host_fd, 0);
    FdEntry entry;
    entry.host.reset(host_fd);
    entry.type = type;
    entry.rights_base = rights;
    entry.rights_inheriting = inheriting;
    return *context_->fds().insert(std::move(entry));
  }

  // Creates `name` in the sandbox with `contents` and injects it opened read-write.
  uint32_t inject_file(const std::string& name, std::string_view contents = {},
                       Rights rights = right::kRegularFile) {
    const std::string path = (sandbox_ / name).string();
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    EXPECT_EQ(::write(fd, contents.data(), contents.size()), static_cast<ssize_t>(contents.size()));
    ::lseek(fd, 0, SEEK_SET);
    return inject(fd, Filetype::RegularFile, rights);
  }

  // One iovec at `at` describing [buf, buf + len).
  void put_iovec(uint32_t at, uint32_t buf, uint32_t len) {
    store<uint32_t>(at, buf);
    store<uint32_t>(at + 4, len);
  }

  // The host descriptor behind guest fd `fd`.
  int host_fd(uint32_t fd) { return context_->fds().find(fd)->fd(); }

  std::string read_host_file(const std::string& name) {
    std::string result;
    const int fd = ::open((sandbox_ / name).c_str(), O_RDONLY | O_CLOEXEC);
    char chunk[256];
    ssize_t n;
    while ((n = ::read(fd, chunk, sizeof chunk)) > 0) result.append(chunk, static_cast<size_t>(n));
    ::close(fd);
    return result;
  }
};

}  // namespace loom::wasi::testing
