// Stdio descriptors: their file types and rights follow the host file (finding 10), and the
// guest's fdflags on them never reach the host's open file description, which Loom shares with
// the parent shell (finding 7).
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "host_fds.hpp"

namespace loom::wasi::testing {
namespace {

constexpr uint32_t kIov = 16, kCount = 8, kBuf = 256, kStat = 512;

class StdioTest : public HostFdFixture {
 protected:
  void TearDown() override {
    context_.reset();  // borrows the descriptors below
    for (int fd : host_fds_) ::close(fd);
    HostFdFixture::TearDown();
  }
  // A context whose stdio are these host descriptors (closed by TearDown).
  void use_stdio(int in, int out, int err) {
    for (int fd : {in, out, err}) {
      if (fd > 2) host_fds_.push_back(fd);
    }
    WasiConfig config;
    config.stdin_fd = in;
    config.stdout_fd = out;
    config.stderr_fd = err;
    context_ = std::move(*WasiContext::create(config));
    context_->bind_memory(memory_);
  }
  int null_fd() { return ::open("/dev/null", O_RDWR | O_CLOEXEC); }
  // {read end, write end}, both closed by TearDown.
  std::pair<int, int> make_pipe() {
    int fds[2];
    EXPECT_EQ(pipe2(fds, O_CLOEXEC), 0);
    host_fds_.push_back(fds[0]);
    host_fds_.push_back(fds[1]);
    return {fds[0], fds[1]};
  }

  Filetype filetype(uint32_t fd) {
    EXPECT_EQ(call("fd_fdstat_get", {fd, kStat}), Errno::Success);
    return static_cast<Filetype>(load<uint8_t>(kStat + layout::kFdstatFiletype));
  }
  Rights rights(uint32_t fd) {
    EXPECT_EQ(call("fd_fdstat_get", {fd, kStat}), Errno::Success);
    return load<uint64_t>(kStat + layout::kFdstatRightsBase);
  }
  uint16_t guest_flags(uint32_t fd) {
    EXPECT_EQ(call("fd_fdstat_get", {fd, kStat}), Errno::Success);
    return load<uint16_t>(kStat + layout::kFdstatFlags);
  }
  // wasi-libc's isatty(): a character device without the seek and tell rights.
  bool guest_isatty(uint32_t fd) {
    return filetype(fd) == Filetype::CharacterDevice &&
           (rights(fd) & (right::kFdSeek | right::kFdTell)) == 0;
  }
  Errno read(uint32_t fd, uint32_t length) {
    put_iovec(kIov, kBuf, length);
    return call("fd_read", {fd, kIov, 1, kCount});
  }
  Errno write(uint32_t fd, std::string_view data) {
    put_string(kBuf, data);
    put_iovec(kIov, kBuf, static_cast<uint32_t>(data.size()));
    return call("fd_write", {fd, kIov, 1, kCount});
  }

  std::vector<int> host_fds_;
};

int host_flags(int fd) {
  return fcntl(fd, F_GETFL);
}

// --- Finding 10: file types and rights from the host file; a terminal exactly when it is one.

TEST_F(StdioTest, RegularFileKeepsSeekAndTell) {
  const int fd = ::open((sandbox_ / "in").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  use_stdio(fd, 1, 2);
  EXPECT_EQ(filetype(0), Filetype::RegularFile);
  EXPECT_EQ(rights(0) & (right::kFdSeek | right::kFdTell), right::kFdSeek | right::kFdTell);
  EXPECT_EQ(call("fd_tell", {0, 0}), Errno::Success);
  EXPECT_FALSE(guest_isatty(0));
}

TEST_F(StdioTest, PipeHasNoSeekOrTell) {
  const auto [read_end, write_end] = make_pipe();
  use_stdio(read_end, write_end, 2);
  EXPECT_EQ(filetype(0), Filetype::Unknown);  // WASI has no pipe type; as wasmtime and Node.js
  EXPECT_EQ(rights(0) & (right::kFdSeek | right::kFdTell), 0u);
  EXPECT_EQ(call("fd_tell", {0, 0}), Errno::NotCapable);
  EXPECT_EQ(call("fd_seek", {0, 0, kWhenceCur, 0}), Errno::NotCapable);
  EXPECT_EQ(call("fd_seek", {999, 0, 7, 0}), Errno::Inval);  // whence first, as wasmtime
  EXPECT_FALSE(guest_isatty(0));
  EXPECT_FALSE(guest_isatty(1));
}

// Finding 10: /dev/null used to be a character device without seek and tell, so wasi-libc's
// isatty(0) said 1 under `</dev/null` (0 natively and under Node.js).
TEST_F(StdioTest, DevNullIsNoTerminal) {
  use_stdio(null_fd(), null_fd(), null_fd());
  for (uint32_t fd = 0; fd < 3; ++fd) {
    EXPECT_EQ(filetype(fd), Filetype::CharacterDevice) << fd;
    EXPECT_EQ(rights(fd) & (right::kFdSeek | right::kFdTell), right::kFdSeek | right::kFdTell);
    EXPECT_FALSE(guest_isatty(fd)) << fd;
  }
  EXPECT_EQ(call("fd_tell", {0, 0}), Errno::Success);  // the host answers: /dev/null seeks
  EXPECT_EQ(read(0, 8), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kCount), 0u);
}

TEST_F(StdioTest, TerminalIsATerminal) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    if (master >= 0) ::close(master);
    GTEST_SKIP() << "no pseudo-terminal available";
  }
  host_fds_.push_back(master);
  const int terminal = ::open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  ASSERT_GE(terminal, 0);
  ASSERT_TRUE(isatty(terminal));
  use_stdio(terminal, 1, 2);
  EXPECT_EQ(filetype(0), Filetype::CharacterDevice);
  EXPECT_EQ(rights(0) & (right::kFdSeek | right::kFdTell), 0u);
  EXPECT_TRUE(guest_isatty(0));
}

// --- Finding 7: the guest's fdflags never change the host's shared file description.

TEST_F(StdioTest, NonblockingStdinLeavesTheHostDescriptionAlone) {
  const auto [read_end, write_end] = make_pipe();
  use_stdio(read_end, 1, 2);
  ASSERT_EQ(call("fd_fdstat_set_flags", {0, kFdflagNonblock}), Errno::Success);
  EXPECT_EQ(host_flags(read_end) & O_NONBLOCK, 0);  // the parent shell's pipe is untouched
  EXPECT_EQ(guest_flags(0), kFdflagNonblock);       // the guest sees its flag
  EXPECT_EQ(read(0, 8), Errno::Again);              // and an empty pipe does not block
  ASSERT_EQ(::write(write_end, "abc", 3), 3);
  EXPECT_EQ(read(0, 8), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kCount), 3u);
  EXPECT_EQ(read(0, 8), Errno::Again);
  // poll_oneoff sees the same descriptor.
  ASSERT_EQ(call("fd_fdstat_set_flags", {0, 0}), Errno::Success);
  EXPECT_EQ(guest_flags(0), 0);
  EXPECT_EQ(host_flags(read_end) & O_NONBLOCK, 0);
}

TEST_F(StdioTest, NonblockingWriteToAFullPipe) {
  const auto [read_end, write_end] = make_pipe();
  use_stdio(0, write_end, 2);
  ASSERT_EQ(call("fd_fdstat_set_flags", {1, kFdflagNonblock}), Errno::Success);
  EXPECT_EQ(host_flags(write_end) & O_NONBLOCK, 0);
  // Fill the pipe through the guest: every write is at most PIPE_BUF bytes and none blocks.
  const std::string chunk(10000, 'x');
  uint64_t written = 0;
  Errno error = Errno::Success;
  for (int i = 0; i < 1000 && error == Errno::Success; ++i) {
    error = write(1, chunk);
    if (error == Errno::Success) {
      EXPECT_LE(load<uint32_t>(kCount), static_cast<uint32_t>(PIPE_BUF));
      written += load<uint32_t>(kCount);
    }
  }
  EXPECT_EQ(error, Errno::Again);
  EXPECT_GE(written, 4096u);
  EXPECT_EQ(host_flags(write_end) & O_NONBLOCK, 0);
}

// The host description is non-blocking (someone else set it) and the guest clears the flag:
// its read waits for data instead of failing with EAGAIN, and the host flag stays.
TEST_F(StdioTest, BlockingReadOnANonblockingHostDescription) {
  const auto [read_end, write_end] = make_pipe();
  ASSERT_EQ(fcntl(read_end, F_SETFL, O_NONBLOCK), 0);
  use_stdio(read_end, 1, 2);
  EXPECT_EQ(guest_flags(0), kFdflagNonblock);  // the guest starts with the host's view
  ASSERT_EQ(call("fd_fdstat_set_flags", {0, 0}), Errno::Success);
  std::thread writer([fd = write_end] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(::write(fd, "late", 4), 4);
  });
  EXPECT_EQ(read(0, 8), Errno::Success);
  writer.join();
  EXPECT_EQ(load<uint32_t>(kCount), 4u);
  EXPECT_NE(host_flags(read_end) & O_NONBLOCK, 0);
}

TEST_F(StdioTest, AppendingStdoutLeavesTheHostDescriptionAlone) {
  const int fd = ::open((sandbox_ / "out").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_EQ(::write(fd, "0123456789", 10), 10);
  ASSERT_EQ(::lseek(fd, 0, SEEK_SET), 0);
  use_stdio(0, fd, 2);
  ASSERT_EQ(call("fd_fdstat_set_flags", {1, kFdflagAppend}), Errno::Success);
  EXPECT_EQ(host_flags(fd) & O_APPEND, 0);
  EXPECT_EQ(guest_flags(1), kFdflagAppend);
  EXPECT_EQ(write(1, "xy"), Errno::Success);  // at the end, although the offset was 0
  EXPECT_EQ(read_host_file("out"), "0123456789xy");
  EXPECT_EQ(::lseek(fd, 0, SEEK_CUR), 12);  // the offset follows, as with O_APPEND
  ASSERT_EQ(call("fd_fdstat_set_flags", {1, 0}), Errno::Success);
  ASSERT_EQ(::lseek(fd, 0, SEEK_SET), 0);
  EXPECT_EQ(write(1, "AB"), Errno::Success);
  EXPECT_EQ(read_host_file("out"), "AB23456789xy");
  EXPECT_EQ(host_flags(fd) & O_APPEND, 0);
}

// `>>`: the host description appends and Loom cannot stop it, so the guest keeps seeing append.
TEST_F(StdioTest, HostAppendStaysInTheGuestsView) {
  const int fd =
      ::open((sandbox_ / "out").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  use_stdio(0, fd, 2);
  EXPECT_EQ(guest_flags(1), kFdflagAppend);
  ASSERT_EQ(call("fd_fdstat_set_flags", {1, kFdflagNonblock}), Errno::Success);
  EXPECT_EQ(guest_flags(1), kFdflagAppend | kFdflagNonblock);
  EXPECT_EQ(host_flags(fd) & (O_APPEND | O_NONBLOCK), O_APPEND);
}

TEST_F(StdioTest, NonblockingSocketOnStdin) {
  int fds[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
  host_fds_.push_back(fds[1]);
  use_stdio(fds[0], 1, 2);
  ASSERT_EQ(filetype(0), Filetype::SocketStream);
  ASSERT_EQ(call("fd_fdstat_set_flags", {0, kFdflagNonblock}), Errno::Success);
  EXPECT_EQ(read(0, 8), Errno::Again);
  put_iovec(kIov, kBuf, 8);
  EXPECT_EQ(call("sock_recv", {0, kIov, 1, 0, kCount, kCount + 4}), Errno::Again);
  EXPECT_EQ(host_flags(fds[0]) & O_NONBLOCK, 0);
  ASSERT_EQ(::write(fds[1], "hey", 3), 3);
  EXPECT_EQ(read(0, 8), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kCount), 3u);
}

// Renumbering keeps the entry, so the rule follows the descriptor to its new number.
TEST_F(StdioTest, RenumberedStdioStillSharesItsDescription) {
  const auto [read_end, write_end] = make_pipe();
  use_stdio(read_end, 1, 2);
  const uint32_t file = inject_file("f", "x");
  ASSERT_EQ(call("fd_renumber", {0, file}), Errno::Success);
  ASSERT_EQ(call("fd_fdstat_set_flags", {file, kFdflagNonblock}), Errno::Success);
  EXPECT_EQ(host_flags(read_end) & O_NONBLOCK, 0);
  EXPECT_EQ(read(file, 8), Errno::Again);
}

}  // namespace
}  // namespace loom::wasi::testing
