// fd_read, fd_write, fd_pread, fd_pwrite, fd_prestat_get, fd_prestat_dir_name, fd_close: results
// and error paths.
#include "host_fds.hpp"

namespace loom::wasi::testing {
namespace {

using IoTest = HostFdFixture;
constexpr uint32_t kIov = 0, kCount = 16, kBuf = 64;

TEST_F(IoTest, WriteThenPreadAndPwrite) {
  const uint32_t fd = inject_file("f", "0123456789");
  put_string(kBuf, "ab");
  put_iovec(kIov, kBuf, 2);
  EXPECT_EQ(call("fd_pwrite", {fd, kIov, 1, 4, kCount}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kCount), 2u);
  EXPECT_EQ(read_host_file("f"), "0123ab6789");
  // Positioned I/O leaves the file position alone.
  EXPECT_EQ(::lseek(host_fd(fd), 0, SEEK_CUR), 0);
  put_iovec(kIov, kBuf, 3);
  put_iovec(kIov + 8, kBuf + 10, 2);  // two buffers, gathered in order
  EXPECT_EQ(call("fd_pread", {fd, kIov, 2, 3, kCount}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kCount), 5u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem() + kBuf), 3), "3ab");
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem() + kBuf + 10), 2), "67");
  // Past the end: nothing read, no error.
  EXPECT_EQ(call("fd_pread", {fd, kIov, 1, 100, kCount}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kCount), 0u);
}

TEST_F(IoTest, ReadAndWriteAdvanceThePosition) {
  const uint32_t fd = inject_file("f", "hello");
  put_iovec(kIov, kBuf, 3);
  EXPECT_EQ(call("fd_read", {fd, kIov, 1, kCount}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kCount), 3u);
  EXPECT_EQ(call("fd_read", {fd, kIov, 1, kCount}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kCount), 2u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem() + kBuf), 2), "lo");
  put_string(kBuf, "!!");
  put_iovec(kIov, kBuf, 2);
  EXPECT_EQ(call("fd_write", {fd, kIov, 1, kCount}), Errno::Success);
  EXPECT_EQ(read_host_file("f"), "hello!!");
  // Empty buffers are skipped, zero iovecs write nothing.
  put_iovec(kIov, kBuf, 0);
  EXPECT_EQ(call("fd_write", {fd, kIov, 1, kCount}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kCount), 0u);
  EXPECT_EQ(call("fd_write", {fd, kIov, 0, kCount}), Errno::Success);
}

TEST_F(IoTest, WildPointersFault) {
  const uint32_t fd = inject_file("f", "hello");
  put_iovec(kIov, mem_size() - 2, 3);  // the buffer runs past the end of memory
  EXPECT_EQ(call("fd_write", {fd, kIov, 1, kCount}), Errno::Fault);
  EXPECT_EQ(call("fd_read", {fd, kIov, 1, kCount}), Errno::Fault);
  EXPECT_EQ(call("fd_pread", {fd, kIov, 1, 0, kCount}), Errno::Fault);
  EXPECT_EQ(call("fd_pwrite", {fd, kIov, 1, 0, kCount}), Errno::Fault);
  put_iovec(kIov, kBuf, 1);
  EXPECT_EQ(call("fd_write", {fd, mem_size() - 4, 1, kCount}), Errno::Fault);  // the iovec array
  EXPECT_EQ(call("fd_write", {fd, kIov, 0x20000000, kCount}), Errno::Fault);   // count * 8 wraps
  EXPECT_EQ(call("fd_write", {fd, kIov, 1, mem_size() - 2}), Errno::Fault);    // the result
  EXPECT_EQ(read_host_file("f"), "hello");  // nothing was written by a refused call
}

TEST_F(IoTest, BadDescriptorsAndRights) {
  put_iovec(kIov, kBuf, 1);
  EXPECT_EQ(call("fd_write", {99, kIov, 1, kCount}), Errno::Badf);
  EXPECT_EQ(call("fd_pread", {99, kIov, 1, 0, kCount}), Errno::Badf);
  const uint32_t read_only = inject_file("r", "x", right::kFdRead);
  EXPECT_EQ(call("fd_write", {read_only, kIov, 1, kCount}), Errno::NotCapable);
  EXPECT_EQ(call("fd_pread", {read_only, kIov, 1, 0, kCount}), Errno::NotCapable);  // no seek
  const uint32_t fd = inject_file("f", "x");
  EXPECT_EQ(call("fd_pread", {fd, kIov, 1, uint64_t{1} << 63, kCount}), Errno::Inval);
  EXPECT_EQ(call("fd_read", {kSandboxFd, kIov, 1, kCount}), Errno::NotCapable);  // a directory
}

TEST_F(IoTest, PrestatNamesThePreopen) {
  EXPECT_EQ(call("fd_prestat_get", {kSandboxFd, 0}), Errno::Success);
  EXPECT_EQ(load<uint8_t>(0), kPreopenTypeDir);
  EXPECT_EQ(load<uint32_t>(4), 8u);  // "/sandbox"
  EXPECT_EQ(call("fd_prestat_dir_name", {kSandboxFd, kBuf, 8}), Errno::Success);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem() + kBuf), 8), "/sandbox");
  EXPECT_EQ(call("fd_prestat_dir_name", {kSandboxFd, kBuf, 7}), Errno::NameTooLong);
  EXPECT_EQ(call("fd_prestat_dir_name", {kSandboxFd, mem_size() - 4, 8}), Errno::Fault);
  EXPECT_EQ(call("fd_prestat_get", {kSandboxFd, mem_size() - 4}), Errno::Fault);
  EXPECT_EQ(call("fd_prestat_get", {1, 0}), Errno::Badf);  // stdout is no preopen
  EXPECT_EQ(call("fd_prestat_get", {4, 0}), Errno::Badf);  // the end of the preopens
  EXPECT_EQ(call("fd_prestat_dir_name", {1, kBuf, 8}), Errno::Badf);
}

TEST_F(IoTest, CloseFreesTheNumber) {
  const uint32_t fd = inject_file("f");
  EXPECT_EQ(call("fd_close", {fd}), Errno::Success);
  EXPECT_EQ(call("fd_close", {fd}), Errno::Badf);
  EXPECT_EQ(inject_file("g"), fd);  // the lowest free number is used again
}

}  // namespace
}  // namespace loom::wasi::testing
