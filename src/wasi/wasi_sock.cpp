// sock_*: accept, receive, send and shut down on sockets the embedder handed in as descriptors.
// Flag values are checked before the descriptor, as wasmtime decodes them at the call boundary.
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <climits>

#include "wasi/functions.hpp"
#include "wasi/shared_io.hpp"

namespace loom::wasi::fn {
namespace {

bool is_socket(const FdEntry& entry) {
  return entry.type == Filetype::SocketStream || entry.type == Filetype::SocketDgram;
}

// The socket entry for `fd`: Badf when absent, NotSock when not a socket (checked before the
// rights, as wasmtime answers NotSock for any open non-socket), NotCapable without `required`.
FdEntry* socket_entry(WasiContext& ctx, uint32_t fd, Rights required, Errno& error) {
  FdEntry* entry = ctx.fds().find(fd);
  if (!entry) {
    error = Errno::Badf;
    return nullptr;
  }
  if (!is_socket(*entry)) {
    error = Errno::NotSock;
    return nullptr;
  }
  return ctx.fds().get(fd, required, error);
}

// A message header over at most IOV_MAX guest buffers (more would be EMSGSIZE; a stream
// socket's short transfer is allowed, and a datagram that long is not realistic).
msghdr message_over(std::vector<iovec>& buffers) {
  msghdr message{};
  message.msg_iov = buffers.data();
  message.msg_iovlen = std::min<size_t>(buffers.size(), IOV_MAX);
  return message;
}

// A shared description (stdio) keeps its flags: the guest's non-blocking flag becomes the call's.
int dont_wait(const FdEntry& entry) {
  return entry.shared_description && guest_nonblock(entry) ? MSG_DONTWAIT : 0;
}

}  // namespace

Errno sock_accept(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  const uint32_t flags = args.u32(1), result_at = args.u32(2);
  if (flags & ~uint32_t{kFdflagNonblock}) return Errno::Inval;  // only nonblock means anything
  Errno error = Errno::Success;
  FdEntry* listener = socket_entry(ctx, args.u32(0), right::kSockAccept, error);
  if (!listener) return error;
  if (!memory.in_bounds(result_at, 4)) return Errno::Fault;  // before a connection is taken
  const int host = call_as_guest_asks(*listener, POLLIN, [&] {
    return accept4(listener->fd(), nullptr, nullptr,
                   SOCK_CLOEXEC | ((flags & kFdflagNonblock) ? SOCK_NONBLOCK : 0));
  });
  if (host < 0) return errno_from_host(errno);
  FdEntry entry;
  entry.host.reset(host);
  entry.type = listener->type;
  entry.rights_base = right::kStream & ~right::kSockAccept;  // a connection cannot accept
  entry.fdflags = static_cast<uint16_t>(flags);
  const std::optional<uint32_t> fd = ctx.fds().insert(std::move(entry));
  if (!fd) return Errno::Mfile;  // the entry closed the connection
  memory.store<uint32_t>(result_at, *fd);
  return Errno::Success;
}

Errno sock_recv(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  const uint32_t iovs = args.u32(1), iovs_len = args.u32(2), ri_flags = args.u32(3);
  const uint32_t size_at = args.u32(4), flags_at = args.u32(5);
  if (ri_flags & ~uint32_t{kRecvPeek | kRecvWaitall}) return Errno::Inval;
  Errno error = Errno::Success;
  FdEntry* entry = socket_entry(ctx, args.u32(0), right::kFdRead, error);
  if (!entry) return error;
  auto buffers = memory.iovecs(iovs, iovs_len);
  if (!buffers || !memory.in_bounds(size_at, 4) || !memory.in_bounds(flags_at, 2)) {
    return Errno::Fault;
  }
  msghdr message = message_over(*buffers);
  const int host_flags = ((ri_flags & kRecvPeek) ? MSG_PEEK : 0) |
                         ((ri_flags & kRecvWaitall) ? MSG_WAITALL : 0) | dont_wait(*entry);
  const ssize_t received = call_as_guest_asks(
      *entry, POLLIN, [&] { return recvmsg(entry->fd(), &message, host_flags); });
  if (received < 0) return errno_from_host(errno);
  memory.store<uint32_t>(size_at, static_cast<uint32_t>(received));
  memory.store<uint16_t>(flags_at, (message.msg_flags & MSG_TRUNC) ? kRecvDataTruncated : 0);
  return Errno::Success;
}

Errno sock_send(WasiContext& ctx, const GuestMemory& memory, CallArgs args) {
  const uint32_t iovs = args.u32(1), iovs_len = args.u32(2), si_flags = args.u32(3);
  const uint32_t size_at = args.u32(4);
  if (si_flags != 0) return Errno::Inval;  // no siflags are defined
  Errno error = Errno::Success;
  FdEntry* entry = socket_entry(ctx, args.u32(0), right::kFdWrite, error);
  if (!entry) return error;
  auto buffers = memory.iovecs(iovs, iovs_len);
  if (!buffers || !memory.in_bounds(size_at, 4)) return Errno::Fault;
  msghdr message = message_over(*buffers);
  // MSG_NOSIGNAL: a peer that went away is EPIPE for the guest, not SIGPIPE for the host.
  const ssize_t sent = call_as_guest_asks(*entry, POLLOUT, [&] {
    return sendmsg(entry->fd(), &message, MSG_NOSIGNAL | dont_wait(*entry));
  });
  if (sent < 0) return errno_from_host(errno);
  memory.store<uint32_t>(size_at, static_cast<uint32_t>(sent));
  return Errno::Success;
}

Errno sock_shutdown(WasiContext& ctx, const GuestMemory&, CallArgs args) {
  int how;
  switch (args.u32(1)) {
    case kShutRd:
      how = SHUT_RD;
      break;
    case kShutWr:
      how = SHUT_WR;
      break;
    case kShutRd | kShutWr:
      how = SHUT_RDWR;
      break;
    default:
      return Errno::Inval;
  }
  Errno error = Errno::Success;
  FdEntry* entry = socket_entry(ctx, args.u32(0), right::kSockShutdown, error);
  if (!entry) return error;
  return shutdown(entry->fd(), how) == 0 ? Errno::Success : errno_from_host(errno);
}

}  // namespace loom::wasi::fn
