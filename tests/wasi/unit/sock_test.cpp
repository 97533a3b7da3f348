// sock_accept, sock_recv, sock_send, sock_shutdown on socketpair()s and a listening AF_UNIX
// socket in the scratch directory.
#include <sys/socket.h>
#include <sys/un.h>

#include "host_fds.hpp"

namespace loom::wasi::testing {
namespace {

constexpr uint32_t kIov = 16, kBuf = 256, kSize = 0, kFlags = 8, kNoFd = 77;

class SockTest : public HostFdFixture {
 protected:
  // A connected pair, both ends injected with stream rights.
  std::pair<uint32_t, uint32_t> make_pair(int type = SOCK_STREAM) {
    int fds[2];
    EXPECT_EQ(socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, fds), 0);
    const Filetype filetype = type == SOCK_DGRAM ? Filetype::SocketDgram : Filetype::SocketStream;
    return {inject(fds[0], filetype, right::kStream), inject(fds[1], filetype, right::kStream)};
  }

  Errno send(uint32_t fd, std::string_view data) {
    put_string(kBuf, data);
    put_iovec(kIov, kBuf, static_cast<uint32_t>(data.size()));
    return call("sock_send", {fd, kIov, 1, 0, kSize});
  }
  // Receives into a `capacity`-byte buffer; returns the bytes, or the error as text.
  std::string recv(uint32_t fd, uint32_t capacity, uint16_t flags = 0) {
    put_iovec(kIov, kBuf, capacity);
    const Errno error = call("sock_recv", {fd, kIov, 1, flags, kSize, kFlags});
    if (error != Errno::Success) return "errno " + std::to_string(static_cast<int>(error));
    return std::string(reinterpret_cast<const char*>(mem() + kBuf), load<uint32_t>(kSize));
  }

  // A listening AF_UNIX socket in the scratch directory, injected; `path_` is its address.
  uint32_t make_listener() {
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    address_.sun_family = AF_UNIX;
    const std::string path = (root_ / "listen.sock").string();
    std::strncpy(address_.sun_path, path.c_str(), sizeof address_.sun_path - 1);
    EXPECT_EQ(bind(fd, reinterpret_cast<const sockaddr*>(&address_), sizeof address_), 0);
    EXPECT_EQ(listen(fd, 4), 0);
    return inject(fd, Filetype::SocketStream, right::kStream);
  }
  int connect_client() {
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    EXPECT_EQ(connect(fd, reinterpret_cast<const sockaddr*>(&address_), sizeof address_), 0);
    return fd;
  }

  sockaddr_un address_{};
};

TEST_F(SockTest, SendAndReceive) {
  const auto [a, b] = make_pair();
  EXPECT_EQ(send(a, "hello"), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kSize), 5u);
  EXPECT_EQ(recv(b, 64, kRecvPeek), "hello");  // peek leaves the data queued
  EXPECT_EQ(load<uint16_t>(kFlags), 0);
  EXPECT_EQ(recv(b, 3), "hel");
  EXPECT_EQ(recv(b, 64), "lo");
}

TEST_F(SockTest, ScatterGather) {
  const auto [a, b] = make_pair();
  put_string(kBuf, "abcdef");
  put_iovec(kIov, kBuf, 2);
  put_iovec(kIov + 8, kBuf + 2, 0);
  put_iovec(kIov + 16, kBuf + 2, 4);
  EXPECT_EQ(call("sock_send", {a, kIov, 3, 0, kSize}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kSize), 6u);
  put_iovec(kIov, kBuf + 100, 1);
  put_iovec(kIov + 8, kBuf + 200, 10);
  EXPECT_EQ(call("sock_recv", {b, kIov, 2, 0, kSize, kFlags}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kSize), 6u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mem() + kBuf + 100), 1), "a");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mem() + kBuf + 200), 5), "bcdef");
}

TEST_F(SockTest, WaitallWaitsForTheWholeBuffer) {
  const auto [a, b] = make_pair();
  EXPECT_EQ(send(a, "abc"), Errno::Success);
  EXPECT_EQ(send(a, "def"), Errno::Success);
  EXPECT_EQ(recv(b, 6, kRecvWaitall), "abcdef");
}

TEST_F(SockTest, TruncatedDatagramIsFlagged) {
  const auto [a, b] = make_pair(SOCK_DGRAM);
  EXPECT_EQ(send(a, "0123456789"), Errno::Success);
  EXPECT_EQ(recv(b, 4), "0123");
  EXPECT_EQ(load<uint16_t>(kFlags), kRecvDataTruncated);
  EXPECT_EQ(send(a, "xy"), Errno::Success);
  EXPECT_EQ(recv(b, 4), "xy");
  EXPECT_EQ(load<uint16_t>(kFlags), 0);
}

TEST_F(SockTest, NonblockingReceiveWithoutData) {
  const auto [a, b] = make_pair();
  ASSERT_EQ(call("fd_fdstat_set_flags", {b, kFdflagNonblock}), Errno::Success);
  EXPECT_EQ(recv(b, 4), "errno " + std::to_string(static_cast<int>(Errno::Again)));
  (void)a;
}

TEST_F(SockTest, Shutdown) {
  const auto [a, b] = make_pair();
  EXPECT_EQ(call("sock_shutdown", {a, kShutWr}), Errno::Success);
  EXPECT_EQ(recv(b, 4), "");             // end of stream
  EXPECT_EQ(send(a, "x"), Errno::Pipe);  // no SIGPIPE: the test process lives on
  EXPECT_EQ(call("sock_shutdown", {b, kShutRd | kShutWr}), Errno::Success);
  EXPECT_EQ(call("sock_shutdown", {a, kShutRd}), Errno::Success);
  EXPECT_EQ(call("sock_shutdown", {a, 0}), Errno::Inval);
  EXPECT_EQ(call("sock_shutdown", {a, 4}), Errno::Inval);
  EXPECT_EQ(call("sock_shutdown", {kNoFd, 4}), Errno::Inval);  // the flags are checked first
  EXPECT_EQ(call("sock_shutdown", {kNoFd, kShutRd}), Errno::Badf);
  ASSERT_EQ(call("fd_fdstat_set_rights", {a, right::kStream & ~right::kSockShutdown, 0}),
            Errno::Success);
  EXPECT_EQ(call("sock_shutdown", {a, kShutRd}), Errno::NotCapable);
}

TEST_F(SockTest, SendToAClosedPeerIsPipe) {
  const auto [a, b] = make_pair();
  ASSERT_EQ(call("fd_close", {b}), Errno::Success);
  EXPECT_EQ(send(a, "x"), Errno::Pipe);
}

TEST_F(SockTest, NotASocket) {
  const uint32_t file = inject_file("f", "x");
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  const uint32_t pipe_read = inject(pipe_fds[0], Filetype::Unknown, right::kStream);
  ::close(pipe_fds[1]);
  for (uint32_t fd : {file, pipe_read, kSandboxFd}) {
    EXPECT_EQ(send(fd, "x"), Errno::NotSock) << fd;
    EXPECT_EQ(recv(fd, 4), "errno " + std::to_string(static_cast<int>(Errno::NotSock))) << fd;
    EXPECT_EQ(call("sock_shutdown", {fd, kShutRd}), Errno::NotSock) << fd;
    EXPECT_EQ(call("sock_accept", {fd, 0, kSize}), Errno::NotSock) << fd;
  }
  EXPECT_EQ(send(kNoFd, "x"), Errno::Badf);
  EXPECT_EQ(recv(kNoFd, 4), "errno " + std::to_string(static_cast<int>(Errno::Badf)));
  EXPECT_EQ(call("sock_accept", {kNoFd, 0, kSize}), Errno::Badf);
}

TEST_F(SockTest, FlagsAndRights) {
  const auto [a, b] = make_pair();
  put_iovec(kIov, kBuf, 4);
  EXPECT_EQ(call("sock_recv", {b, kIov, 1, 4, kSize, kFlags}), Errno::Inval);  // no such riflag
  EXPECT_EQ(call("sock_send", {a, kIov, 1, 1, kSize}), Errno::Inval);          // no siflags exist
  ASSERT_EQ(call("fd_fdstat_set_rights", {a, right::kStream & ~right::kFdWrite, 0}),
            Errno::Success);
  EXPECT_EQ(send(a, "x"), Errno::NotCapable);
  ASSERT_EQ(call("fd_fdstat_set_rights", {b, right::kStream & ~right::kFdRead, 0}), Errno::Success);
  EXPECT_EQ(recv(b, 4), "errno " + std::to_string(static_cast<int>(Errno::NotCapable)));
}

TEST_F(SockTest, WildPointers) {
  const auto [a, b] = make_pair();
  EXPECT_EQ(send(a, "data"), Errno::Success);
  put_iovec(kIov, mem_size() - 2, 4);  // the buffer runs past the end
  EXPECT_EQ(call("sock_recv", {b, kIov, 1, 0, kSize, kFlags}), Errno::Fault);
  EXPECT_EQ(call("sock_send", {a, kIov, 1, 0, kSize}), Errno::Fault);
  put_iovec(kIov, kBuf, 4);
  EXPECT_EQ(call("sock_recv", {b, mem_size() - 4, 1, 0, kSize, kFlags}), Errno::Fault);
  EXPECT_EQ(call("sock_recv", {b, kIov, 1, 0, mem_size() - 3, kFlags}), Errno::Fault);
  EXPECT_EQ(call("sock_recv", {b, kIov, 1, 0, kSize, mem_size() - 1}), Errno::Fault);
  EXPECT_EQ(call("sock_send", {a, kIov, 1, 0, mem_size()}), Errno::Fault);
  EXPECT_EQ(recv(b, 64), "data");  // nothing was consumed by the failed calls
}

TEST_F(SockTest, AcceptGivesAConnectedStream) {
  const uint32_t listener = make_listener();
  const int client = connect_client();
  ASSERT_EQ(call("sock_accept", {listener, 0, kSize}), Errno::Success);
  const uint32_t connection = load<uint32_t>(kSize);
  EXPECT_NE(context_->fds().find(connection), nullptr);
  ASSERT_EQ(call("fd_fdstat_get", {connection, 32}), Errno::Success);
  EXPECT_EQ(load<uint8_t>(32 + layout::kFdstatFiletype),
            static_cast<uint8_t>(Filetype::SocketStream));
  const Rights rights = load<uint64_t>(32 + layout::kFdstatRightsBase);
  EXPECT_EQ(rights & (right::kFdRead | right::kFdWrite | right::kPollFdReadwrite),
            right::kFdRead | right::kFdWrite | right::kPollFdReadwrite);
  EXPECT_EQ(rights & (right::kFdSeek | right::kFdTell | right::kSockAccept), 0u);
  EXPECT_EQ(load<uint16_t>(32 + layout::kFdstatFlags), 0);
  EXPECT_FALSE(fcntl(host_fd(connection), F_GETFL) & O_NONBLOCK);
  EXPECT_EQ(send(connection, "hi"), Errno::Success);
  char got[2];
  ASSERT_EQ(::read(client, got, 2), 2);
  EXPECT_EQ(std::string(got, 2), "hi");
  ASSERT_EQ(::write(client, "yo", 2), 2);
  EXPECT_EQ(recv(connection, 8), "yo");
  ::close(client);
}

TEST_F(SockTest, NonblockingAccept) {
  const uint32_t listener = make_listener();
  EXPECT_EQ(call("fd_fdstat_set_flags", {listener, kFdflagNonblock}), Errno::Success);
  EXPECT_EQ(call("sock_accept", {listener, 0, kSize}), Errno::Again);  // nobody is connecting
  const int client = connect_client();
  ASSERT_EQ(call("sock_accept", {listener, kFdflagNonblock, kSize}), Errno::Success);
  const uint32_t connection = load<uint32_t>(kSize);
  EXPECT_TRUE(fcntl(host_fd(connection), F_GETFL) & O_NONBLOCK);
  ASSERT_EQ(call("fd_fdstat_get", {connection, 32}), Errno::Success);
  EXPECT_EQ(load<uint16_t>(32 + layout::kFdstatFlags), kFdflagNonblock);
  EXPECT_EQ(recv(connection, 8), "errno " + std::to_string(static_cast<int>(Errno::Again)));
  ::close(client);
}

TEST_F(SockTest, AcceptErrors) {
  const uint32_t listener = make_listener();
  const int client = connect_client();
  EXPECT_EQ(call("sock_accept", {listener, kFdflagAppend, kSize}), Errno::Inval);
  EXPECT_EQ(call("sock_accept", {kNoFd, kFdflagAppend, kSize}), Errno::Inval);  // flags first
  // A wild result pointer fails before the connection is taken...
  EXPECT_EQ(call("sock_accept", {listener, 0, mem_size() - 2}), Errno::Fault);
  // ...so it is still there to accept.
  EXPECT_EQ(call("sock_accept", {listener, kFdflagNonblock, kSize}), Errno::Success);
  // A connected socket cannot accept.
  EXPECT_EQ(call("sock_accept", {load<uint32_t>(kSize), 0, kSize}), Errno::NotCapable);
  ASSERT_EQ(call("fd_fdstat_set_rights", {listener, right::kStream & ~right::kSockAccept, 0}),
            Errno::Success);
  EXPECT_EQ(call("sock_accept", {listener, 0, kSize}), Errno::NotCapable);
  ::close(client);
}

}  // namespace
}  // namespace loom::wasi::testing
