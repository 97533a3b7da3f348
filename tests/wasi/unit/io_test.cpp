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

// --- Audit: one transfer moves at most 0x7ffff000 bytes in 65536 buffers, so the count returned
// fits the guest's u32 although overlapping buffers can add up to more than the memory.

class TransferCapTest : public HostFdFixture {
 protected:
  void SetUp() override {
    HostFdFixture::SetUp();
    MemoryType type;
    type.limits.min = 16;  // 1 MiB: room for 100,000 iovecs
    big_ = *store_.create_memory(type);
  }
  // /dev/null, where a write of any size costs nothing, with the big memory bound.
  uint32_t null_with_big_memory() {
    context_->bind_memory(big_);
    return inject(::open("/dev/null", O_WRONLY | O_CLOEXEC), Filetype::CharacterDevice,
                  right::kStream);
  }
  void put_iovecs(uint32_t count, uint32_t buf, uint32_t length) {
    for (uint32_t i = 0; i < count; ++i) {
      std::memcpy(big_->base() + i * 8, &buf, 4);
      std::memcpy(big_->base() + i * 8 + 4, &length, 4);
    }
  }
  uint32_t big_load(uint32_t at) {
    uint32_t v;
    std::memcpy(&v, big_->base() + at, 4);
    return v;
  }
  MemoryInst* big_ = nullptr;
};

TEST_F(TransferCapTest, OverlappingBuffersDoNotWrapTheCount) {
  const uint32_t fd = null_with_big_memory();
  constexpr uint32_t kResult = 1'000'000;
  put_iovecs(70'000, 0, 65'536);  // 4.6 GB in all, more than 2^32
  ASSERT_EQ(call("fd_write", {fd, 0, 70'000, kResult}), Errno::Success);
  EXPECT_EQ(big_load(kResult), 0x7ffff000u);
}

TEST_F(TransferCapTest, ManyTinyBuffersAreCapped) {
  const uint32_t fd = null_with_big_memory();
  constexpr uint32_t kResult = 1'000'000;
  put_iovecs(100'000, 900'000, 1);
  ASSERT_EQ(call("fd_write", {fd, 0, 100'000, kResult}), Errno::Success);
  EXPECT_EQ(big_load(kResult), 65'536u);
  put_iovecs(100'000, 0xfffffff0, 1);  // one bad buffer, even past the cap, is a fault
  std::memcpy(big_->base(), "\0\0\0\0\1\0\0\0", 8);
  EXPECT_EQ(call("fd_write", {fd, 0, 100'000, kResult}), Errno::Fault);
}

}  // namespace
}  // namespace loom::wasi::testing
