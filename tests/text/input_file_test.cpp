// Reading input files with the module-bytes limit (finding 5 of the sandbox hardening: `loom
// validate /dev/zero` read until it aborted). The limit is injected small here; the CLI test
// (tests/cli/print_test.sh) checks the real one on /dev/zero.
#include "text/input_file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>

namespace loom {
namespace {

class TempFile {
 public:
  explicit TempFile(size_t size) {
    char name[] = "/tmp/loom-input-file-XXXXXX";
    const int fd = ::mkstemp(name);
    EXPECT_GE(fd, 0);
    path_ = name;
    const std::string bytes(size, 'x');
    EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    ::close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(InputFile, Finding5RegularFileUpToTheLimit) {
  const TempFile file(5000);
  auto exact = read_input_file(file.path(), 5000);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->size(), 5000u);
  auto over = read_input_file(file.path(), 4999);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().message, "file too large: more than 4999 bytes");
  EXPECT_EQ(over.error().kind, ErrorKind::Exhaustion);
}

TEST(InputFile, Finding5LargeRegularFileFailsBySizeAndNamesTheLimit) {
  // A sparse file one byte over the limit: refused from its size, without reading 1 GiB.
  char name[] = "/tmp/loom-input-file-XXXXXX";
  const int fd = ::mkstemp(name);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(limit_value(Limit::ModuleBytes) + 1)), 0);
  ::close(fd);
  const auto start = std::chrono::steady_clock::now();
  auto bytes = read_input_file(name);
  std::remove(name);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().message,
            "file too large: implementation limit exceeded: bytes in a module (module-bytes = "
            "1073741824)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(InputFile, Finding5DevZeroStopsAtTheLimit) {
  auto bytes = read_input_file("/dev/zero", 3 << 20);
  ASSERT_FALSE(bytes.ok());
  EXPECT_EQ(bytes.error().message, "file too large: more than 3145728 bytes");
}

// A pipe fed by a thread: read in chunks, up to and including the limit.
Result<std::vector<uint8_t>> read_pipe(size_t size, uint64_t max_bytes) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  std::thread writer([fd = fds[1], size] {
    const std::string chunk(4096, 'p');
    for (size_t done = 0; done < size;) {
      const ssize_t n = ::write(fd, chunk.data(), std::min(chunk.size(), size - done));
      if (n <= 0) break;  // the reader gave up (EPIPE)
      done += static_cast<size_t>(n);
    }
    ::close(fd);
  });
  auto bytes = read_input_file("/dev/fd/" + std::to_string(fds[0]), max_bytes);
  ::close(fds[0]);
  writer.join();
  return bytes;
}

TEST(InputFile, Finding5PipeUpToTheLimit) {
  ::signal(SIGPIPE, SIG_IGN);
  auto exact = read_pipe(300000, 300000);
  ASSERT_TRUE(exact.ok()) << exact.error().message;
  EXPECT_EQ(exact->size(), 300000u);
  EXPECT_EQ((*exact)[299999], 'p');
  auto over = read_pipe(300001, 300000);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().message, "file too large: more than 300000 bytes");
  auto empty = read_pipe(0, 300000);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(InputFile, MissingFileAndEmptyFile) {
  auto missing = read_input_file("/nonexistent/loom-input");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot open: No such file or directory");
  EXPECT_EQ(missing.error().kind, ErrorKind::Io);
  const TempFile empty(0);
  auto bytes = read_input_file(empty.path());
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(bytes->empty());
}

}  // namespace
}  // namespace loom
