#include "wasi/shared_io.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <climits>
#include <vector>

namespace loom::wasi {
namespace {

bool is_socket(Filetype type) {
  return type == Filetype::SocketStream || type == Filetype::SocketDgram;
}

// At most `limit` bytes of `buffers`, the last buffer cut short.
std::vector<iovec> clip(const iovec* buffers, int count, size_t limit) {
  std::vector<iovec> clipped;
  for (int i = 0; i < count && limit > 0; ++i) {
    const size_t length = std::min(buffers[i].iov_len, limit);
    clipped.push_back(iovec{buffers[i].iov_base, length});
    limit -= length;
  }
  return clipped;
}

ssize_t append(int fd, const iovec* buffers, int count) {
  const ssize_t written = pwritev2(fd, buffers, count, -1, RWF_APPEND);
  if (written >= 0 || (errno != EOPNOTSUPP && errno != ENOSYS)) return written;
  // A kernel without RWF_APPEND (before 4.16): not atomic against other writers, as O_APPEND is.
  if (lseek(fd, 0, SEEK_END) < 0) return -1;
  return writev(fd, buffers, count);
}

}  // namespace

bool ready_now(int fd, short events) {
  pollfd request{fd, events, 0};
  int ready;
  do {
    ready = poll(&request, 1, 0);
  } while (ready < 0 && errno == EINTR);
  return ready != 0;  // an error: let the call itself report it
}

bool wait_ready(int fd, short events) {
  pollfd request{fd, events, 0};
  int ready;
  do {
    ready = poll(&request, 1, -1);
  } while (ready < 0 && errno == EINTR);
  return ready > 0;
}

ssize_t stream_transfer(const FdEntry& entry, const iovec* buffers, int count, bool write) {
  const int fd = entry.fd();
  if (!entry.shared_description)
    return write ? writev(fd, buffers, count) : readv(fd, buffers, count);
  const bool nonblock = guest_nonblock(entry);
  return call_as_guest_asks(entry, write ? POLLOUT : POLLIN, [&]() -> ssize_t {
    if (is_socket(entry.type)) {
      msghdr message{};
      message.msg_iov = const_cast<iovec*>(buffers);
      message.msg_iovlen = static_cast<size_t>(count);
      const int flags = nonblock ? MSG_DONTWAIT : 0;
      return write ? sendmsg(fd, &message, flags) : recvmsg(fd, &message, flags);
    }
    if (!write) return readv(fd, buffers, count);
    if ((entry.fdflags & kFdflagAppend) && entry.type == Filetype::RegularFile) {
      return append(fd, buffers, count);
    }
    if (nonblock && can_block(entry.type)) {
      const std::vector<iovec> clipped = clip(buffers, count, PIPE_BUF);
      return writev(fd, clipped.data(), static_cast<int>(clipped.size()));
    }
    return writev(fd, buffers, count);
  });
}

}  // namespace loom::wasi
