// I/O on descriptors whose open file description Loom shares with other processes: the stdio it
// was started with. The status flags of such a description (O_NONBLOCK, O_APPEND) belong to
// everyone holding it, the parent shell included, and would stay changed after Loom exits. So the
// guest's fdflags for them live only in the FdEntry (fd_fdstat_set_flags never calls F_SETFL) and
// are honoured here, call by call:
// - non-blocking on a pipe, terminal, socket or other device: a poll() with a zero timeout first,
//   EAGAIN when it is not ready; a write then moves at most PIPE_BUF bytes, which a ready pipe
//   takes without blocking, and sockets get MSG_DONTWAIT. Regular files and block devices never
//   block (Linux ignores O_NONBLOCK for them). Another process can still take the data between
//   the poll and the call; the call then waits, as a blocking one would.
// - blocking while the description is non-blocking (someone else set it): EAGAIN is waited out
//   with poll().
// - append on a regular file: pwritev2 with RWF_APPEND, the per-call O_APPEND (the offset moves to
//   the end as with O_APPEND); before Linux 4.16, a seek to the end and an ordinary write.
// wasmtime does not change a host descriptor's flags either: it keeps append and non-blocking
// in its own descriptor table.
#pragma once
#include <poll.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cerrno>

#include "wasi/fd_table.hpp"

namespace loom::wasi {

// Whether `fd` has one of `events` (POLLIN, POLLOUT) now; a hangup or error counts as ready, so
// that the call that follows reports it.
bool ready_now(int fd, short events);
// Waits until it has; false (with errno) on a host error other than EINTR.
bool wait_ready(int fd, short events);

// Whether a read or write on this kind of file can block at all.
inline bool can_block(Filetype type) {
  return type != Filetype::RegularFile && type != Filetype::BlockDevice &&
         type != Filetype::Directory;
}
inline bool guest_nonblock(const FdEntry& entry) {
  return (entry.fdflags & kFdflagNonblock) != 0;
}

// Runs `call` (a host call on `entry` waiting for `events`: < 0 and errno on failure), retrying
// EINTR. On a shared description it honours the guest's non-blocking flag as described above.
template <typename Call>
auto call_as_guest_asks(const FdEntry& entry, short events, Call&& call) -> decltype(call()) {
  const bool nonblock = guest_nonblock(entry);
  while (true) {
    if (entry.shared_description && nonblock && can_block(entry.type) &&
        !ready_now(entry.fd(), events)) {
      errno = EAGAIN;
      return -1;
    }
    const auto result = call();
    if (result >= 0) return result;
    if (errno == EINTR) continue;
    const bool would_block = errno == EAGAIN || errno == EWOULDBLOCK;
    if (!entry.shared_description || nonblock || !would_block) return result;
    if (!wait_ready(entry.fd(), events)) return -1;
  }
}

// readv (write: writev) of `count` (at most IOV_MAX) buffers at the descriptor's offset, honouring
// the guest's non-blocking and append flags on a shared description. As readv: -1 and errno on
// failure.
ssize_t stream_transfer(const FdEntry& entry, const iovec* buffers, int count, bool write);

}  // namespace loom::wasi
