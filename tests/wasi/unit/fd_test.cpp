// fd_advise, fd_allocate, fd_datasync, fd_sync, fd_fdstat_set_flags, fd_fdstat_set_rights,
// fd_filestat_get/set_size/set_times, fd_renumber.
#include <sys/stat.h>

#include <cstdint>

#include "host_fds.hpp"

namespace loom::wasi::testing {
namespace {

using FdTest = HostFdFixture;

constexpr uint64_t kTooBig = uint64_t{1} << 63;  // past off_t
constexpr uint32_t kNoFd = 77;

TEST_F(FdTest, Advise) {
  const uint32_t fd = inject_file("f", "hello");
  for (uint32_t advice = kAdviceNormal; advice <= kAdviceNoreuse; ++advice) {
    EXPECT_EQ(call("fd_advise", {fd, 0, 5, advice}), Errno::Success) << advice;
  }
  EXPECT_EQ(call("fd_advise", {fd, 0, 5, 6}), Errno::Inval);
  EXPECT_EQ(call("fd_advise", {kNoFd, 0, 5, 6}), Errno::Inval);  // the advice is checked first
  EXPECT_EQ(call("fd_advise", {kNoFd, 0, 5, kAdviceNormal}), Errno::Badf);
  EXPECT_EQ(call("fd_advise", {fd, kTooBig, 5, kAdviceNormal}), Errno::Inval);
  const uint32_t no_right = inject_file("g", "", right::kRegularFile & ~right::kFdAdvise);
  EXPECT_EQ(call("fd_advise", {no_right, 0, 5, kAdviceNormal}), Errno::NotCapable);
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  const uint32_t pipe_read =
      inject(pipe_fds[0], Filetype::Unknown, right::kStream | right::kFdAdvise);
  ::close(pipe_fds[1]);
  EXPECT_EQ(call("fd_advise", {pipe_read, 0, 5, kAdviceNormal}), Errno::Spipe);
}

TEST_F(FdTest, AllocateGrowsTheFile) {
  const uint32_t fd = inject_file("f", "abc");
  EXPECT_EQ(call("fd_allocate", {fd, 0, 4096}), Errno::Success);
  EXPECT_EQ(std::filesystem::file_size(sandbox_ / "f"), 4096u);
  EXPECT_EQ(call("fd_allocate", {fd, 10, 20}), Errno::Success);  // inside: size unchanged
  EXPECT_EQ(std::filesystem::file_size(sandbox_ / "f"), 4096u);
  EXPECT_EQ(call("fd_allocate", {fd, 0, 0}), Errno::Inval);  // posix_fallocate's rule
  EXPECT_EQ(call("fd_allocate", {fd, kTooBig, 1}), Errno::Inval);
  EXPECT_EQ(call("fd_allocate", {kNoFd, 0, 1}), Errno::Badf);
  const uint32_t no_right = inject_file("g", "", right::kRegularFile & ~right::kFdAllocate);
  EXPECT_EQ(call("fd_allocate", {no_right, 0, 1}), Errno::NotCapable);
}

TEST_F(FdTest, SyncAndDatasync) {
  const uint32_t fd = inject_file("f", "data");
  EXPECT_EQ(call("fd_sync", {fd}), Errno::Success);
  EXPECT_EQ(call("fd_datasync", {fd}), Errno::Success);
  EXPECT_EQ(call("fd_sync", {kSandboxFd}), Errno::Success);  // directories may be synced
  EXPECT_EQ(call("fd_datasync", {kSandboxFd}), Errno::NotCapable);
  EXPECT_EQ(call("fd_sync", {kNoFd}), Errno::Badf);
  EXPECT_EQ(call("fd_datasync", {kNoFd}), Errno::Badf);
  const uint32_t no_right =
      inject_file("g", "", right::kRegularFile & ~(right::kFdSync | right::kFdDatasync));
  EXPECT_EQ(call("fd_sync", {no_right}), Errno::NotCapable);
  EXPECT_EQ(call("fd_datasync", {no_right}), Errno::NotCapable);
}

TEST_F(FdTest, SetFlagsAppend) {
  const uint32_t fd = inject_file("f", "abc");
  EXPECT_EQ(call("fd_fdstat_set_flags", {fd, kFdflagAppend}), Errno::Success);
  EXPECT_TRUE(fcntl(host_fd(fd), F_GETFL) & O_APPEND);
  EXPECT_EQ(call("fd_fdstat_get", {fd, 0}), Errno::Success);
  EXPECT_EQ(load<uint16_t>(layout::kFdstatFlags), kFdflagAppend);
  // Writes now go to the end although the offset is 0.
  put_string(100, "xy");
  put_iovec(16, 100, 2);
  EXPECT_EQ(call("fd_write", {fd, 16, 1, 24}), Errno::Success);
  EXPECT_EQ(read_host_file("f"), "abcxy");
  EXPECT_EQ(call("fd_fdstat_set_flags", {fd, 0}), Errno::Success);
  EXPECT_FALSE(fcntl(host_fd(fd), F_GETFL) & O_APPEND);
  EXPECT_EQ(call("fd_fdstat_get", {fd, 0}), Errno::Success);
  EXPECT_EQ(load<uint16_t>(layout::kFdstatFlags), 0);
}

TEST_F(FdTest, SetFlagsNonblockOnPipe) {
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  const uint32_t read_end = inject(pipe_fds[0], Filetype::Unknown, right::kStream);
  const uint32_t write_end = inject(pipe_fds[1], Filetype::Unknown, right::kStream);
  EXPECT_EQ(call("fd_fdstat_set_flags", {read_end, kFdflagNonblock}), Errno::Success);
  put_iovec(16, 100, 8);
  EXPECT_EQ(call("fd_read", {read_end, 16, 1, 24}), Errno::Again);  // empty, would block
  EXPECT_EQ(call("fd_fdstat_get", {read_end, 0}), Errno::Success);
  EXPECT_EQ(load<uint16_t>(layout::kFdstatFlags), kFdflagNonblock);
  (void)write_end;
}

TEST_F(FdTest, SetFlagsErrors) {
  const uint32_t fd = inject_file("f");
  // The sync flags cannot change on Linux: Inval, as wasmtime.
  EXPECT_EQ(call("fd_fdstat_set_flags", {fd, kFdflagSync}), Errno::Inval);
  EXPECT_EQ(call("fd_fdstat_set_flags", {fd, kFdflagDsync}), Errno::Inval);
  EXPECT_EQ(call("fd_fdstat_set_flags", {fd, kFdflagRsync | kFdflagAppend}), Errno::Inval);
  EXPECT_EQ(call("fd_fdstat_set_flags", {fd, 0x20}), Errno::Inval);     // not a flag
  EXPECT_EQ(call("fd_fdstat_set_flags", {kNoFd, 0x20}), Errno::Inval);  // flags first
  EXPECT_EQ(call("fd_fdstat_set_flags", {kNoFd, kFdflagAppend}), Errno::Badf);
  const uint32_t no_right = inject_file("g", "", right::kRegularFile & ~right::kFdFdstatSetFlags);
  EXPECT_EQ(call("fd_fdstat_set_flags", {no_right, kFdflagAppend}), Errno::NotCapable);
  EXPECT_FALSE(fcntl(host_fd(no_right), F_GETFL) & O_APPEND);
}

TEST_F(FdTest, SetRightsOnlyDrops) {
  const uint32_t fd = inject_file("f", "abc");
  const Rights without_write = right::kRegularFile & ~right::kFdWrite;
  EXPECT_EQ(call("fd_fdstat_set_rights", {fd, without_write, 0}), Errno::Success);
  EXPECT_EQ(call("fd_fdstat_get", {fd, 0}), Errno::Success);
  EXPECT_EQ(load<uint64_t>(layout::kFdstatRightsBase), without_write);
  put_iovec(16, 100, 1);
  EXPECT_EQ(call("fd_write", {fd, 16, 1, 24}), Errno::NotCapable);
  // Getting it back, or any right never held, is refused and changes nothing.
  EXPECT_EQ(call("fd_fdstat_set_rights", {fd, right::kRegularFile, 0}), Errno::NotCapable);
  EXPECT_EQ(call("fd_fdstat_set_rights", {fd, without_write, right::kFdRead}), Errno::NotCapable);
  EXPECT_EQ(call("fd_fdstat_get", {fd, 0}), Errno::Success);
  EXPECT_EQ(load<uint64_t>(layout::kFdstatRightsBase), without_write);
  EXPECT_EQ(call("fd_fdstat_set_rights", {kNoFd, 0, 0}), Errno::Badf);
  // A directory's inheriting rights can be narrowed too.
  EXPECT_EQ(call("fd_fdstat_set_rights", {kSandboxFd, right::kDirectory, right::kFdRead}),
            Errno::Success);
  EXPECT_EQ(call("fd_fdstat_get", {kSandboxFd, 0}), Errno::Success);
  EXPECT_EQ(load<uint64_t>(layout::kFdstatRightsInheriting), right::kFdRead);
  EXPECT_EQ(call("fd_fdstat_set_rights", {kSandboxFd, 0, 0}), Errno::Success);
  EXPECT_EQ(call("fd_readdir", {kSandboxFd, 0, 64, 0, 100}), Errno::NotCapable);
}

TEST_F(FdTest, FilestatGet) {
  const uint32_t fd = inject_file("f", "hello");
  struct stat st {};
  ASSERT_EQ(stat((sandbox_ / "f").c_str(), &st), 0);
  EXPECT_EQ(call("fd_filestat_get", {fd, 8}), Errno::Success);
  EXPECT_EQ(load<uint64_t>(8 + layout::kFilestatDev), static_cast<uint64_t>(st.st_dev));
  EXPECT_EQ(load<uint64_t>(8 + layout::kFilestatIno), static_cast<uint64_t>(st.st_ino));
  EXPECT_EQ(load<uint8_t>(8 + layout::kFilestatFiletype),
            static_cast<uint8_t>(Filetype::RegularFile));
  EXPECT_EQ(load<uint64_t>(8 + layout::kFilestatNlink), 1u);
  EXPECT_EQ(load<uint64_t>(8 + layout::kFilestatSize_), 5u);
  EXPECT_EQ(load<uint64_t>(8 + layout::kFilestatMtim),
            static_cast<uint64_t>(st.st_mtim.tv_sec) * 1'000'000'000u +
                static_cast<uint64_t>(st.st_mtim.tv_nsec));
  EXPECT_EQ(call("fd_filestat_get", {kSandboxFd, 8}), Errno::Success);
  EXPECT_EQ(load<uint8_t>(8 + layout::kFilestatFiletype),
            static_cast<uint8_t>(Filetype::Directory));
  EXPECT_EQ(call("fd_filestat_get", {fd, mem_size() - layout::kFilestatSize + 1}), Errno::Fault);
  EXPECT_EQ(call("fd_filestat_get", {fd, mem_size() - layout::kFilestatSize}), Errno::Success);
  EXPECT_EQ(call("fd_filestat_get", {kNoFd, 8}), Errno::Badf);
  const uint32_t no_right = inject_file("g", "", right::kRegularFile & ~right::kFdFilestatGet);
  EXPECT_EQ(call("fd_filestat_get", {no_right, 8}), Errno::NotCapable);
}

TEST_F(FdTest, FilestatSetSize) {
  const uint32_t fd = inject_file("f", "hello world");
  EXPECT_EQ(call("fd_filestat_set_size", {fd, 5}), Errno::Success);
  EXPECT_EQ(read_host_file("f"), "hello");
  EXPECT_EQ(call("fd_filestat_set_size", {fd, 8}), Errno::Success);
  EXPECT_EQ(read_host_file("f"), std::string("hello\0\0\0", 8));
  EXPECT_EQ(call("fd_filestat_set_size", {fd, kTooBig}), Errno::Inval);
  EXPECT_EQ(call("fd_filestat_set_size", {kNoFd, 0}), Errno::Badf);
  EXPECT_EQ(call("fd_filestat_set_size", {kSandboxFd, 0}), Errno::NotCapable);  // a directory
  const uint32_t no_right = inject_file("g", "x", right::kRegularFile & ~right::kFdFilestatSetSize);
  EXPECT_EQ(call("fd_filestat_set_size", {no_right, 0}), Errno::NotCapable);
  EXPECT_EQ(read_host_file("g"), "x");
}

TEST_F(FdTest, FilestatSetTimes) {
  const uint32_t fd = inject_file("f", "x");
  const uint64_t atim = 1'000'000'000ull * 1'000'000 + 123;  // 2001, with nanoseconds
  const uint64_t mtim = 1'000'000'000ull * 2'000'000 + 456;
  EXPECT_EQ(call("fd_filestat_set_times", {fd, atim, mtim, kFstAtim | kFstMtim}), Errno::Success);
  struct stat st {};
  ASSERT_EQ(stat((sandbox_ / "f").c_str(), &st), 0);
  EXPECT_EQ(st.st_atim.tv_sec, 1'000'000);
  EXPECT_EQ(st.st_atim.tv_nsec, 123);
  EXPECT_EQ(st.st_mtim.tv_sec, 2'000'000);
  EXPECT_EQ(st.st_mtim.tv_nsec, 456);
  // Only mtime to now: atime stays.
  EXPECT_EQ(call("fd_filestat_set_times", {fd, 0, 0, kFstMtimNow}), Errno::Success);
  ASSERT_EQ(stat((sandbox_ / "f").c_str(), &st), 0);
  EXPECT_EQ(st.st_atim.tv_sec, 1'000'000);
  EXPECT_GT(st.st_mtim.tv_sec, 1'500'000'000);
  EXPECT_EQ(call("fd_filestat_set_times", {fd, 0, 0, kFstAtim | kFstAtimNow}), Errno::Inval);
  EXPECT_EQ(call("fd_filestat_set_times", {fd, 0, 0, kFstMtim | kFstMtimNow}), Errno::Inval);
  EXPECT_EQ(call("fd_filestat_set_times", {fd, 0, 0, 0x10}), Errno::Inval);
  EXPECT_EQ(call("fd_filestat_set_times", {kNoFd, 0, 0, 0x10}), Errno::Inval);  // flags first
  EXPECT_EQ(call("fd_filestat_set_times", {kNoFd, 0, 0, kFstAtimNow}), Errno::Badf);
  EXPECT_EQ(call("fd_filestat_set_times", {kSandboxFd, 0, 0, kFstAtimNow}), Errno::Success);
  const uint32_t no_right = inject_file("g", "", right::kRegularFile & ~right::kFdFilestatSetTimes);
  EXPECT_EQ(call("fd_filestat_set_times", {no_right, 0, 0, kFstAtimNow}), Errno::NotCapable);
}

TEST_F(FdTest, Renumber) {
  const uint32_t a = inject_file("a", "AAA");
  const uint32_t b = inject_file("b", "BBB");
  EXPECT_EQ(call("fd_renumber", {a, b}), Errno::Success);
  EXPECT_EQ(context_->fds().find(a), nullptr);
  put_iovec(16, 100, 3);
  EXPECT_EQ(call("fd_read", {b, 16, 1, 24}), Errno::Success);  // b is now file a
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mem() + 100), 3), "AAA");
  EXPECT_EQ(call("fd_renumber", {a, b}), Errno::Badf);  // a is gone
  EXPECT_EQ(call("fd_renumber", {b, b}), Errno::Success);
  EXPECT_EQ(call("fd_renumber", {kNoFd, kNoFd}), Errno::Badf);
  // Preopens move with their name, as in wasmtime.
  const uint32_t c = inject_file("c", "CCC");
  EXPECT_EQ(call("fd_renumber", {kSandboxFd, c}), Errno::Success);
  EXPECT_EQ(call("fd_prestat_get", {c, 0}), Errno::Success);
  EXPECT_EQ(call("fd_prestat_get", {kSandboxFd, 0}), Errno::Badf);
}

// Finding 9a: the target must be open (wasi-testsuite `renumber`, wasmtime, Node.js); Loom used
// to let the guest move a descriptor onto any free number.
TEST_F(FdTest, RenumberOntoClosedTargetIsBadf) {
  const uint32_t a = inject_file("a", "AAA");
  EXPECT_EQ(call("fd_renumber", {a, 40}), Errno::Badf);
  EXPECT_EQ(call("fd_fdstat_get", {40, 0}), Errno::Badf);
  EXPECT_EQ(call("fd_fdstat_get", {a, 0}), Errno::Success);  // the source is untouched
  const uint32_t b = inject_file("b", "BBB");
  ASSERT_EQ(call("fd_close", {b}), Errno::Success);
  EXPECT_EQ(call("fd_renumber", {a, b}), Errno::Badf);  // just closed
  EXPECT_EQ(call("fd_renumber", {a, 1u << 16}), Errno::Badf);
  EXPECT_EQ(call("fd_renumber", {a, 0xffffffff}), Errno::Badf);
  EXPECT_EQ(call("fd_fdstat_get", {a, 0}), Errno::Success);
}

TEST_F(FdTest, RenumberOverStdioDoesNotCloseTheHostDescriptor) {
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  WasiConfig config;
  config.stdin_fd = pipe_fds[0];
  context_ = std::move(*WasiContext::create(config));
  context_->bind_memory(memory_);
  const uint32_t file = inject_file("f", "x");
  EXPECT_EQ(call("fd_renumber", {file, 0}), Errno::Success);
  EXPECT_NE(fcntl(pipe_fds[0], F_GETFD), -1);  // borrowed: still open on the host
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
}

}  // namespace
}  // namespace loom::wasi::testing
