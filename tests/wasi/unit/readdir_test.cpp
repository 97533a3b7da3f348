// fd_readdir: packed entries, cookies, truncation at the end of the buffer, rights and pointers.
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <set>

#include "host_fds.hpp"

namespace loom::wasi::testing {
namespace {

struct Dirent {
  uint64_t next = 0, ino = 0;
  Filetype type = Filetype::Unknown;
  std::string name;
};

class ReaddirTest : public HostFdFixture {
 protected:
  void SetUp() override {
    HostFdFixture::SetUp();
    std::ofstream(sandbox_ / "a") << "1";
    std::ofstream(sandbox_ / "bb") << "22";
    std::filesystem::create_directory(sandbox_ / "dir");
    std::filesystem::create_symlink("a", sandbox_ / "link");
  }

  // Calls fd_readdir into a buffer at kBuf; returns bufused.
  uint32_t readdir(uint32_t fd, uint32_t buf_len, uint64_t cookie) {
    std::memset(mem() + kBuf, 0xee, buf_len + 16);  // and past it, to see nothing lands there
    EXPECT_EQ(call("fd_readdir", {fd, kBuf, buf_len, cookie, kUsed}), Errno::Success);
    return load<uint32_t>(kUsed);
  }

  // The complete entries in [kBuf, kBuf + used).
  std::vector<Dirent> parse(uint32_t used) {
    std::vector<Dirent> entries;
    uint32_t at = kBuf;
    while (at + layout::kDirentSize <= kBuf + used) {
      Dirent d;
      d.next = load<uint64_t>(at + layout::kDirentNext);
      d.ino = load<uint64_t>(at + layout::kDirentIno);
      d.type = static_cast<Filetype>(load<uint8_t>(at + layout::kDirentType));
      const uint32_t length = load<uint32_t>(at + layout::kDirentNamlen);
      at += layout::kDirentSize;
      if (at + length > kBuf + used) break;  // cut off
      d.name.assign(reinterpret_cast<const char*>(mem() + at), length);
      at += length;
      entries.push_back(d);
    }
    return entries;
  }

  uint64_t host_ino(const std::string& name) {
    struct stat st {};
    EXPECT_EQ(lstat((sandbox_ / name).c_str(), &st), 0);
    return st.st_ino;
  }

  static constexpr uint32_t kBuf = 1024, kUsed = 0;
};

TEST_F(ReaddirTest, ListsEveryEntryWithCookiesTypesAndInodes) {
  const uint32_t used = readdir(kSandboxFd, 4096, 0);
  EXPECT_LT(used, 4096u);  // all of it fits: less than the buffer means the end
  const std::vector<Dirent> entries = parse(used);
  ASSERT_EQ(entries.size(), 6u);
  // "." and ".." come first, as wasmtime lists them.
  EXPECT_EQ(entries[0].name, ".");
  EXPECT_EQ(entries[1].name, "..");
  std::map<std::string, Dirent> by_name;
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].next, i + 1) << entries[i].name;
    by_name[entries[i].name] = entries[i];
  }
  EXPECT_EQ(by_name["."].type, Filetype::Directory);
  EXPECT_EQ(by_name["."].ino, host_ino("."));
  EXPECT_EQ(by_name[".."].type, Filetype::Directory);
  EXPECT_EQ(by_name["a"].type, Filetype::RegularFile);
  EXPECT_EQ(by_name["a"].ino, host_ino("a"));
  EXPECT_EQ(by_name["bb"].type, Filetype::RegularFile);
  EXPECT_EQ(by_name["dir"].type, Filetype::Directory);
  EXPECT_EQ(by_name["dir"].ino, host_ino("dir"));
  EXPECT_EQ(by_name["link"].type, Filetype::SymbolicLink);
  // Packed: the sum of header and name sizes.
  uint32_t packed = 0;
  for (const Dirent& d : entries) packed += layout::kDirentSize + d.name.size();
  EXPECT_EQ(used, packed);
}

TEST_F(ReaddirTest, SmallBufferIsFilledExactly) {
  // 30 bytes hold the first header and part of the next: the buffer comes back full, which tells
  // the guest there is more.
  EXPECT_EQ(readdir(kSandboxFd, 30, 0), 30u);
  const std::vector<Dirent> entries = parse(30);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].name, ".");
  EXPECT_EQ(load<uint8_t>(kBuf + 30), 0xee);  // nothing written past the end
  // A buffer smaller than one header is filled too.
  EXPECT_EQ(readdir(kSandboxFd, 10, 0), 10u);
  EXPECT_EQ(load<uint64_t>(kBuf), 1u);  // the start of the first header (d_next = 1)
  EXPECT_EQ(readdir(kSandboxFd, 0, 0), 0u);
}

TEST_F(ReaddirTest, ResumesByCookie) {
  for (uint32_t buf_len : {28u, 30u, 40u, 64u, 100u}) {
    std::set<std::string> names;
    uint64_t cookie = 0;
    for (int calls = 0; calls < 100; ++calls) {
      const uint32_t used = readdir(kSandboxFd, buf_len, cookie);
      const std::vector<Dirent> entries = parse(used);
      for (const Dirent& d : entries) names.insert(d.name);
      if (used < buf_len) break;  // the end
      // A buffer too small for even one entry: make it bigger, as wasi-libc does.
      ASSERT_FALSE(entries.empty()) << buf_len;
      cookie = entries.back().next;
    }
    EXPECT_EQ(names, (std::set<std::string>{".", "..", "a", "bb", "dir", "link"})) << buf_len;
  }
}

TEST_F(ReaddirTest, CookieZeroRereadsTheDirectory) {
  EXPECT_EQ(parse(readdir(kSandboxFd, 4096, 0)).size(), 6u);
  std::ofstream(sandbox_ / "new") << "";
  // Resuming keeps the listing the guest started with...
  EXPECT_EQ(parse(readdir(kSandboxFd, 4096, 2)).size(), 4u);
  // ...starting over sees the new file.
  EXPECT_EQ(parse(readdir(kSandboxFd, 4096, 0)).size(), 7u);
}

TEST_F(ReaddirTest, CookiePastTheEndIsEmpty) {
  EXPECT_EQ(readdir(kSandboxFd, 4096, 6), 0u);
  EXPECT_EQ(readdir(kSandboxFd, 4096, 1000), 0u);
  EXPECT_EQ(readdir(kSandboxFd, 4096, ~uint64_t{0}), 0u);
  // A fresh descriptor (no listing yet) resuming at a cookie reads the listing first.
  const int fd = ::open(sandbox_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const uint32_t dir = inject(fd, Filetype::Directory, right::kDirectory);
  const std::vector<Dirent> entries = parse(readdir(dir, 4096, 5));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].next, 6u);
}

TEST_F(ReaddirTest, EmptyDirectoryHasDotAndDotDot) {
  const int fd = ::open((sandbox_ / "dir").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const uint32_t dir = inject(fd, Filetype::Directory, right::kDirectory);
  const std::vector<Dirent> entries = parse(readdir(dir, 4096, 0));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, ".");
  EXPECT_EQ(entries[1].name, "..");
  EXPECT_EQ(entries[1].ino, host_ino("."));  // the parent of dir
}

TEST_F(ReaddirTest, DoesNotMoveTheHostOffset) {
  const int fd = ::open(sandbox_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const uint32_t dir = inject(fd, Filetype::Directory, right::kDirectory);
  readdir(dir, 4096, 0);
  EXPECT_EQ(lseek(fd, 0, SEEK_CUR), 0);
}

TEST_F(ReaddirTest, Errors) {
  EXPECT_EQ(call("fd_readdir", {77, kBuf, 64, 0, kUsed}), Errno::Badf);
  const uint32_t file = inject_file("f");
  EXPECT_EQ(call("fd_readdir", {file, kBuf, 64, 0, kUsed}), Errno::NotCapable);
  // A non-directory that somehow holds the right is still refused (Badf, as wasmtime).
  const uint32_t odd = inject(::open((sandbox_ / "a").c_str(), O_RDONLY | O_CLOEXEC),
                              Filetype::RegularFile, right::kFdReaddir);
  EXPECT_EQ(call("fd_readdir", {odd, kBuf, 64, 0, kUsed}), Errno::Badf);
  // Wild pointers: the buffer past the end, a length past the end, bufused outside.
  EXPECT_EQ(call("fd_readdir", {kSandboxFd, mem_size() - 10, 11, 0, kUsed}), Errno::Fault);
  EXPECT_EQ(call("fd_readdir", {kSandboxFd, kBuf, 0xffffffff, 0, kUsed}), Errno::Fault);
  EXPECT_EQ(call("fd_readdir", {kSandboxFd, kBuf, 64, 0, mem_size() - 3}), Errno::Fault);
  EXPECT_EQ(call("fd_readdir", {kSandboxFd, 0xffffffff, 2, 0, kUsed}), Errno::Fault);
  // A buffer ending exactly at the end of memory is fine.
  EXPECT_EQ(call("fd_readdir", {kSandboxFd, mem_size() - 64, 64, 0, kUsed}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kUsed), 64u);
}

}  // namespace
}  // namespace loom::wasi::testing
