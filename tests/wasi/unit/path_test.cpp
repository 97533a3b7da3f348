// path_*: each function's results and error paths (bad fd, missing right, wild pointers, bad
// flags), every sandbox escape through every function, and read-only preopens. After each escape
// attempt the `outside` directory must be exactly as it was.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>

#include "wasi_fixture.hpp"

namespace loom::wasi::testing {
namespace {

// Guest addresses used by the tests.
constexpr uint32_t kOut = 0;       // results (fd, bufused, filestat, fdstat)
constexpr uint32_t kIovec = 128;   // one iovec for fd_write/fd_read
constexpr uint32_t kData = 256;    // its bytes
constexpr uint32_t kPath = 1024;   // first path argument
constexpr uint32_t kPath2 = 2048;  // second path argument
constexpr uint32_t kBuf = 3072;    // readlink buffer

constexpr Rights kFileRights = right::kRegularFile;

class PathTest : public WasiFixture {
 protected:
  void SetUp() override {
    WasiFixture::SetUp();
    std::filesystem::create_directories(sandbox_ / "dir");
    write_host(sandbox_ / "file", "hello");
    write_host(outside_ / "secret", "secret");
    std::filesystem::create_directories(outside_ / "subdir");
    // Host-made links out of the sandbox: absolute, relative to a directory, relative to a file.
    make_link(outside_.string(), "abs_dir");
    make_link((outside_ / "secret").string(), "abs_file");
    make_link("../outside", "out");
    make_link("../outside/secret", "out_file");
    make_link("../outside/new", "out_dangling");
    outside_before_ = snapshot(outside_);
  }

  static void write_host(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p) << text;
  }
  static std::string read_host(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  void make_link(const std::string& target, const std::string& name) {
    ASSERT_EQ(symlink(target.c_str(), (sandbox_ / name).c_str()), 0) << name;
  }
  // Every entry beneath `dir` with its type and content (a file), target (a link), or nothing.
  static std::map<std::string, std::string> snapshot(const std::filesystem::path& dir) {
    std::map<std::string, std::string> entries;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      const std::string name = entry.path().lexically_relative(dir).string();
      if (entry.is_symlink()) {
        entries[name] = "link:" + std::filesystem::read_symlink(entry.path()).string();
      } else if (entry.is_regular_file()) {
        entries[name] = "file:" + read_host(entry.path());
      } else {
        entries[name] = "other";
      }
    }
    return entries;
  }
  void expect_outside_untouched() { EXPECT_EQ(snapshot(outside_), outside_before_); }

  uint32_t put(uint32_t at, std::string_view s) { return put_string(at, s); }

  // path_open with the path at kPath; the new fd is at kOut.
  Errno open(std::string_view path, uint32_t lookup = kLookupSymlinkFollow, uint32_t oflags = 0,
             Rights base = kFileRights, Rights inheriting = 0, uint32_t fdflags = 0,
             uint32_t dir = kSandboxFd) {
    const uint32_t len = put(kPath, path);
    return call("path_open", {dir, lookup, kPath, len, oflags, base, inheriting, fdflags, kOut});
  }
  uint32_t opened() { return load<uint32_t>(kOut); }
  // A one-path call: fn(fd, path, len).
  Errno call1(std::string_view name, std::string_view path, uint32_t dir = kSandboxFd) {
    const uint32_t len = put(kPath, path);
    return call(name, {dir, kPath, len});
  }
  Errno filestat(std::string_view path, uint32_t lookup = kLookupSymlinkFollow) {
    const uint32_t len = put(kPath, path);
    return call("path_filestat_get", {kSandboxFd, lookup, kPath, len, kOut});
  }
  Errno set_times(std::string_view path, uint64_t atim, uint64_t mtim, uint32_t fst,
                  uint32_t lookup = kLookupSymlinkFollow) {
    const uint32_t len = put(kPath, path);
    return call("path_filestat_set_times", {kSandboxFd, lookup, kPath, len, atim, mtim, fst});
  }
  Errno rename(std::string_view from, std::string_view to) {
    const uint32_t a = put(kPath, from), b = put(kPath2, to);
    return call("path_rename", {kSandboxFd, kPath, a, kSandboxFd, kPath2, b});
  }
  Errno link(std::string_view from, std::string_view to, uint32_t lookup = 0) {
    const uint32_t a = put(kPath, from), b = put(kPath2, to);
    return call("path_link", {kSandboxFd, lookup, kPath, a, kSandboxFd, kPath2, b});
  }
  Errno symlink_guest(std::string_view target, std::string_view name) {
    const uint32_t a = put(kPath, target), b = put(kPath2, name);
    return call("path_symlink", {kPath, a, kSandboxFd, kPath2, b});
  }
  Errno readlink(std::string_view path, uint32_t buf_len) {
    const uint32_t len = put(kPath, path);
    return call("path_readlink", {kSandboxFd, kPath, len, kBuf, buf_len, kOut});
  }
  Errno write_fd(uint32_t fd, std::string_view text) {
    store<uint32_t>(kIovec, kData);
    store<uint32_t>(kIovec + 4, put(kData, text));
    return call("fd_write", {fd, kIovec, 1, kOut + 8});
  }
  int host_fd(uint32_t fd) { return context_->fds().find(fd)->fd(); }
  FdEntry& sandbox_entry() { return *context_->fds().find(kSandboxFd); }

  std::map<std::string, std::string> outside_before_;
};

// --- each function's success and failure cases -------------------------------------------------

TEST_F(PathTest, CreateAndRemoveDirectory) {
  EXPECT_EQ(call1("path_create_directory", "new"), Errno::Success);
  EXPECT_TRUE(std::filesystem::is_directory(sandbox_ / "new"));
  EXPECT_EQ(call1("path_create_directory", "new"), Errno::Exist);
  EXPECT_EQ(call1("path_create_directory", "dir/nested/"), Errno::Success);
  EXPECT_EQ(call1("path_create_directory", "missing/x"), Errno::NoEnt);
  EXPECT_EQ(call1("path_create_directory", "file/x"), Errno::NotDir);
  EXPECT_EQ(call1("path_remove_directory", "dir"), Errno::NotEmpty);
  EXPECT_EQ(call1("path_remove_directory", "dir/nested/"), Errno::Success);
  EXPECT_EQ(call1("path_remove_directory", "new"), Errno::Success);
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "new"));
  EXPECT_EQ(call1("path_remove_directory", "new"), Errno::NoEnt);
  EXPECT_EQ(call1("path_remove_directory", "file"), Errno::NotDir);
  EXPECT_EQ(call1("path_remove_directory", "."), Errno::Inval);
}

TEST_F(PathTest, OpenCreateWriteAndRead) {
  ASSERT_EQ(open("new", 0, kOflagCreat, right::kFdWrite | right::kFdRead), Errno::Success);
  const uint32_t fd = opened();
  EXPECT_GT(fd, kSandboxFd);
  EXPECT_EQ(write_fd(fd, "written"), Errno::Success);
  EXPECT_EQ(call("fd_close", {fd}), Errno::Success);
  EXPECT_EQ(read_host(sandbox_ / "new"), "written");

  EXPECT_EQ(open("new", 0, kOflagCreat | kOflagExcl), Errno::Exist);
  ASSERT_EQ(open("new", 0, kOflagTrunc, right::kFdWrite), Errno::Success);
  EXPECT_EQ(read_host(sandbox_ / "new"), "");
  EXPECT_EQ(open("missing"), Errno::NoEnt);
  EXPECT_EQ(open("file", 0, kOflagDirectory), Errno::NotDir);
  EXPECT_EQ(open("file/"), Errno::NotDir);
  EXPECT_EQ(open("new_dir/", 0, kOflagCreat), Errno::IsDir);
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "new_dir"));
}

TEST_F(PathTest, OpenReadsThroughTheNewDescriptor) {
  ASSERT_EQ(open("file", 0, 0, right::kFdRead), Errno::Success);
  store<uint32_t>(kIovec, kData);
  store<uint32_t>(kIovec + 4, 16);
  ASSERT_EQ(call("fd_read", {opened(), kIovec, 1, kOut + 8}), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kOut + 8), 5u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mem() + kData), 5), "hello");
}

TEST_F(PathTest, OpenHostModeFollowsRequestedRights) {
  auto mode = [&](Rights rights) {
    EXPECT_EQ(open("file", 0, 0, rights), Errno::Success);
    return fcntl(host_fd(opened()), F_GETFL) & O_ACCMODE;
  };
  EXPECT_EQ(mode(right::kFdRead), O_RDONLY);
  EXPECT_EQ(mode(right::kFdWrite), O_WRONLY);
  EXPECT_EQ(mode(right::kFdRead | right::kFdWrite), O_RDWR);
  EXPECT_EQ(mode(right::kFdSeek), O_RDONLY);
  EXPECT_EQ(mode(0), O_RDONLY);
  // A write right the directory cannot pass on is not granted, so the file is opened read-only.
  sandbox_entry().rights_inheriting &= ~right::kFdWrite;
  EXPECT_EQ(mode(right::kFdRead | right::kFdWrite), O_RDONLY);
  EXPECT_EQ(write_fd(opened(), "x"), Errno::NotCapable);
}

TEST_F(PathTest, OpenFdflags) {
  ASSERT_EQ(open("file", 0, 0, right::kFdWrite, 0,
                 kFdflagAppend | kFdflagNonblock | kFdflagSync | kFdflagDsync | kFdflagRsync),
            Errno::Success);
  const int flags = fcntl(host_fd(opened()), F_GETFL);
  EXPECT_TRUE(flags & O_APPEND);
  EXPECT_TRUE(flags & O_NONBLOCK);
  EXPECT_EQ(flags & O_SYNC, O_SYNC);
  EXPECT_TRUE(flags & O_DSYNC);
  EXPECT_EQ(write_fd(opened(), " world"), Errno::Success);
  EXPECT_EQ(read_host(sandbox_ / "file"), "hello world");
  ASSERT_EQ(call("fd_fdstat_get", {opened(), kOut}), Errno::Success);
  EXPECT_EQ(load<uint16_t>(kOut + layout::kFdstatFlags),
            kFdflagAppend | kFdflagNonblock | kFdflagSync | kFdflagDsync | kFdflagRsync);
}

TEST_F(PathTest, OpenRightsAreRequestedTimesInheritingTimesType) {
  ASSERT_EQ(open("file", 0, 0, right::kAll, right::kAll), Errno::Success);
  ASSERT_EQ(call("fd_fdstat_get", {opened(), kOut}), Errno::Success);
  EXPECT_EQ(load<uint8_t>(kOut), static_cast<uint8_t>(Filetype::RegularFile));
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFdstatRightsBase), right::kRegularFile);
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFdstatRightsInheriting),
            sandbox_entry().rights_inheriting);

  // (Write rights would make it an O_RDWR open of a directory: EISDIR, tested below.)
  ASSERT_EQ(open("dir", 0, kOflagDirectory, right::kDirectory | right::kFdRead,
                 right::kFdRead | right::kPathOpen),
            Errno::Success);
  const uint32_t dir = opened();
  ASSERT_EQ(call("fd_fdstat_get", {dir, kOut}), Errno::Success);
  EXPECT_EQ(load<uint8_t>(kOut), static_cast<uint8_t>(Filetype::Directory));
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFdstatRightsBase), right::kDirectory);
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFdstatRightsInheriting),
            right::kFdRead | right::kPathOpen);
  // The new directory is a sandbox of its own, with the rights it was given.
  EXPECT_EQ(open("..", 0, 0, 0, 0, 0, dir), Errno::NotCapable);
  EXPECT_EQ(call1("path_create_directory", "x", dir), Errno::Success);

  ASSERT_EQ(open("file", 0, 0, right::kFdRead | right::kFdSeek), Errno::Success);
  ASSERT_EQ(call("fd_fdstat_get", {opened(), kOut}), Errno::Success);
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFdstatRightsBase), right::kFdRead | right::kFdSeek);
}

TEST_F(PathTest, OpenDirectoryForWritingIsADirectoryError) {
  EXPECT_EQ(open(".", 0, kOflagDirectory, right::kFdRead | right::kFdWrite), Errno::IsDir);
  EXPECT_EQ(open(".", 0, kOflagDirectory, 0), Errno::Success);
  EXPECT_EQ(open("dir/", 0, 0, right::kFdRead), Errno::Success);
}

TEST_F(PathTest, OpenSymlinksFollowOnlyWhenAsked) {
  make_link("file", "to_file");
  make_link("dir", "to_dir");
  make_link("loop", "loop");
  EXPECT_EQ(open("to_file", kLookupSymlinkFollow), Errno::Success);
  EXPECT_EQ(open("to_file", 0), Errno::Loop);  // O_NOFOLLOW on a link
  EXPECT_EQ(open("to_dir", kLookupSymlinkFollow, kOflagDirectory, right::kFdRead), Errno::Success);
  EXPECT_EQ(open("to_dir/", 0, 0, right::kFdRead), Errno::Success);  // the slash follows it
  EXPECT_EQ(open("loop", kLookupSymlinkFollow), Errno::Loop);
  EXPECT_EQ(open("loop", 0), Errno::Loop);
  // Creating through a dangling link inside the sandbox creates its target.
  make_link("dir/created", "dangling");
  EXPECT_EQ(open("dangling", kLookupSymlinkFollow, kOflagCreat), Errno::Success);
  EXPECT_TRUE(std::filesystem::is_regular_file(sandbox_ / "dir" / "created"));
}

TEST_F(PathTest, FilestatGet) {
  ASSERT_EQ(filestat("file"), Errno::Success);
  EXPECT_EQ(load<uint8_t>(kOut + layout::kFilestatFiletype),
            static_cast<uint8_t>(Filetype::RegularFile));
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFilestatSize_), 5u);
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFilestatNlink), 1u);
  ASSERT_EQ(filestat("dir/"), Errno::Success);
  EXPECT_EQ(load<uint8_t>(kOut + layout::kFilestatFiletype),
            static_cast<uint8_t>(Filetype::Directory));
  make_link("file", "to_file");
  ASSERT_EQ(filestat("to_file", 0), Errno::Success);
  EXPECT_EQ(load<uint8_t>(kOut + layout::kFilestatFiletype),
            static_cast<uint8_t>(Filetype::SymbolicLink));
  ASSERT_EQ(filestat("to_file", kLookupSymlinkFollow), Errno::Success);
  EXPECT_EQ(load<uint8_t>(kOut + layout::kFilestatFiletype),
            static_cast<uint8_t>(Filetype::RegularFile));
  EXPECT_EQ(filestat("file/"), Errno::NotDir);
  EXPECT_EQ(filestat("missing"), Errno::NoEnt);
}

TEST_F(PathTest, FilestatSetTimes) {
  const uint64_t atim = 1'000'000'000'123ull, mtim = 2'000'000'000'456ull;
  ASSERT_EQ(set_times("file", atim, mtim, kFstAtim | kFstMtim), Errno::Success);
  struct stat st {};
  ASSERT_EQ(stat((sandbox_ / "file").c_str(), &st), 0);
  EXPECT_EQ(st.st_atim.tv_sec, 1000);
  EXPECT_EQ(st.st_mtim.tv_sec, 2000);
  EXPECT_EQ(st.st_mtim.tv_nsec, 456);
  EXPECT_EQ(set_times("file", 0, 0, kFstMtimNow), Errno::Success);
  ASSERT_EQ(stat((sandbox_ / "file").c_str(), &st), 0);
  EXPECT_GT(st.st_mtim.tv_sec, 2000);
  EXPECT_EQ(st.st_atim.tv_sec, 1000);  // omitted
  EXPECT_EQ(set_times("file", 0, 0, kFstMtim | kFstMtimNow), Errno::Inval);
  EXPECT_EQ(set_times("file", 0, 0, kFstAtim | kFstAtimNow), Errno::Inval);
  EXPECT_EQ(set_times("file", 0, 0, 16), Errno::Inval);
  EXPECT_EQ(set_times("file", 0, 0, 0x10000), Errno::Inval);
  EXPECT_EQ(set_times("file/", 0, 0, kFstMtimNow), Errno::NotDir);
  EXPECT_EQ(set_times("missing", 0, 0, kFstMtimNow), Errno::NoEnt);
  // Without follow, the times of the link itself change, not the file's.
  make_link("file", "to_file");
  ASSERT_EQ(set_times("to_file", 0, 5'000'000'000ull, kFstMtim, 0), Errno::Success);
  ASSERT_EQ(stat((sandbox_ / "file").c_str(), &st), 0);
  EXPECT_NE(st.st_mtim.tv_sec, 5);
  ASSERT_EQ(lstat((sandbox_ / "to_file").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 5);
}

TEST_F(PathTest, Link) {
  ASSERT_EQ(link("file", "dir/hard"), Errno::Success);
  EXPECT_EQ(read_host(sandbox_ / "dir" / "hard"), "hello");
  EXPECT_EQ(std::filesystem::hard_link_count(sandbox_ / "file"), 2u);
  EXPECT_EQ(link("file", "dir/hard"), Errno::Exist);
  EXPECT_EQ(link("file", "file"), Errno::Exist);
  EXPECT_EQ(link("dir", "dir_link"), Errno::Perm);
  EXPECT_EQ(link("missing", "x"), Errno::NoEnt);
  EXPECT_EQ(link("file", "new/"), Errno::NoEnt);
  EXPECT_EQ(link("file/", "x"), Errno::NotDir);
  // Without follow the link itself is linked; with follow, the file it leads to.
  make_link("file", "to_file");
  ASSERT_EQ(link("to_file", "link_of_link", 0), Errno::Success);
  EXPECT_TRUE(std::filesystem::is_symlink(sandbox_ / "link_of_link"));
  ASSERT_EQ(link("to_file", "link_of_file", kLookupSymlinkFollow), Errno::Success);
  EXPECT_FALSE(std::filesystem::is_symlink(sandbox_ / "link_of_file"));
  EXPECT_EQ(std::filesystem::hard_link_count(sandbox_ / "file"), 3u);
  EXPECT_EQ(link("file", "x", 2), Errno::Inval);
}

TEST_F(PathTest, Readlink) {
  make_link("dir/target", "link");
  ASSERT_EQ(readlink("link", 64), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kOut), 10u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mem() + kBuf), 10), "dir/target");
  // Too small a buffer truncates, as wasmtime does.
  std::memset(mem() + kBuf, '*', 8);
  ASSERT_EQ(readlink("link", 4), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kOut), 4u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mem() + kBuf), 8), "dir/****");
  EXPECT_EQ(readlink("file", 64), Errno::Inval);
  EXPECT_EQ(readlink("missing", 64), Errno::NoEnt);
  EXPECT_EQ(readlink("link", 0), Errno::Success);
  EXPECT_EQ(load<uint32_t>(kOut), 0u);
}

TEST_F(PathTest, Rename) {
  ASSERT_EQ(rename("file", "dir/moved"), Errno::Success);
  EXPECT_EQ(read_host(sandbox_ / "dir" / "moved"), "hello");
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "file"));
  EXPECT_EQ(rename("file", "x"), Errno::NoEnt);
  EXPECT_EQ(rename("dir/moved/", "x"), Errno::NotDir);
  EXPECT_EQ(rename("dir/moved", "x/"), Errno::NotDir);
  ASSERT_EQ(rename("dir", "dir2/"), Errno::Success);
  EXPECT_TRUE(std::filesystem::is_directory(sandbox_ / "dir2"));
  EXPECT_EQ(rename("dir2", "dir2/inside"), Errno::Inval);
}

TEST_F(PathTest, Symlink) {
  ASSERT_EQ(symlink_guest("file", "dir/to_file"), Errno::Success);  // dangling relative: allowed
  EXPECT_EQ(std::filesystem::read_symlink(sandbox_ / "dir" / "to_file"), "file");
  EXPECT_EQ(symlink_guest("x", "dir/to_file"), Errno::Exist);
  EXPECT_EQ(symlink_guest("x", "file/"), Errno::NotDir);
  EXPECT_EQ(symlink_guest("x", "new/"), Errno::NoEnt);
  EXPECT_EQ(symlink_guest("/etc/passwd", "abs"), Errno::Perm);  // as wasmtime and Node.js
  EXPECT_EQ(symlink_guest("/", "abs"), Errno::Perm);
  EXPECT_EQ(symlink_guest(std::string_view("a\0b", 3), "nul"), Errno::Inval);
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "abs"));
  EXPECT_FALSE(std::filesystem::is_symlink(sandbox_ / "nul"));
}

TEST_F(PathTest, UnlinkFile) {
  make_link("file", "to_file");
  ASSERT_EQ(call1("path_unlink_file", "to_file"), Errno::Success);
  EXPECT_TRUE(std::filesystem::exists(sandbox_ / "file"));  // the link went, not its target
  EXPECT_EQ(call1("path_unlink_file", "dir"), Errno::IsDir);
  EXPECT_EQ(call1("path_unlink_file", "dir/"), Errno::IsDir);
  EXPECT_EQ(call1("path_unlink_file", "file/"), Errno::NotDir);
  ASSERT_EQ(call1("path_unlink_file", "file"), Errno::Success);
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "file"));
  EXPECT_EQ(call1("path_unlink_file", "file"), Errno::NoEnt);
}

// --- bad descriptors, missing rights, wild pointers, bad flags ----------------------------------

struct OnePathFunction {
  const char* name;
  Rights right;
};
constexpr OnePathFunction kOnePathFunctions[] = {
    {"path_create_directory", right::kPathCreateDirectory},
    {"path_remove_directory", right::kPathRemoveDirectory},
    {"path_unlink_file", right::kPathUnlinkFile},
};

TEST_F(PathTest, BadDescriptors) {
  ASSERT_EQ(open("file", 0, 0, right::kFdRead), Errno::Success);
  const uint32_t file_fd = opened();
  for (const auto& f : kOnePathFunctions) {
    EXPECT_EQ(call1(f.name, "x", 99), Errno::Badf) << f.name;
    EXPECT_EQ(call1(f.name, "x", file_fd), Errno::NotDir) << f.name;
    EXPECT_EQ(call1(f.name, "x", 1), Errno::NotDir) << f.name;  // stdout
  }
  EXPECT_EQ(open("file", 0, 0, 0, 0, 0, 99), Errno::Badf);
  EXPECT_EQ(open("file", 0, 0, 0, 0, 0, file_fd), Errno::NotDir);
  put(kPath, "file");
  EXPECT_EQ(call("path_filestat_get", {99, 0, kPath, 4, kOut}), Errno::Badf);
  EXPECT_EQ(call("path_filestat_set_times", {99, 0, kPath, 4, 0, 0, 0}), Errno::Badf);
  EXPECT_EQ(call("path_readlink", {99, kPath, 4, kBuf, 8, kOut}), Errno::Badf);
  EXPECT_EQ(call("path_rename", {99, kPath, 4, kSandboxFd, kPath, 4}), Errno::Badf);
  EXPECT_EQ(call("path_rename", {kSandboxFd, kPath, 4, 99, kPath, 4}), Errno::Badf);
  EXPECT_EQ(call("path_link", {99, 0, kPath, 4, kSandboxFd, kPath, 4}), Errno::Badf);
  EXPECT_EQ(call("path_link", {kSandboxFd, 0, kPath, 4, 99, kPath, 4}), Errno::Badf);
  EXPECT_EQ(call("path_symlink", {kPath, 4, 99, kPath, 4}), Errno::Badf);
  EXPECT_EQ(call("path_symlink", {kPath, 4, file_fd, kPath, 4}), Errno::NotDir);
}

TEST_F(PathTest, MissingRightsAreNotCapable) {
  auto without = [&](Rights r) { sandbox_entry().rights_base = right::kDirectory & ~r; };
  for (const auto& f : kOnePathFunctions) {
    without(f.right);
    EXPECT_EQ(call1(f.name, "dir"), Errno::NotCapable) << f.name;
  }
  without(right::kPathOpen);
  EXPECT_EQ(open("file"), Errno::NotCapable);
  without(right::kPathCreateFile);
  EXPECT_EQ(open("file"), Errno::Success);
  EXPECT_EQ(open("new", 0, kOflagCreat), Errno::NotCapable);
  without(right::kPathFilestatSetSize);
  EXPECT_EQ(open("file", 0, kOflagTrunc, right::kFdWrite), Errno::NotCapable);
  EXPECT_EQ(read_host(sandbox_ / "file"), "hello");
  without(right::kPathFilestatGet);
  EXPECT_EQ(filestat("file"), Errno::NotCapable);
  without(right::kPathFilestatSetTimes);
  EXPECT_EQ(set_times("file", 0, 0, kFstMtimNow), Errno::NotCapable);
  without(right::kPathReadlink);
  EXPECT_EQ(readlink("out", 8), Errno::NotCapable);
  without(right::kPathRenameSource);
  EXPECT_EQ(rename("file", "x"), Errno::NotCapable);
  without(right::kPathRenameTarget);
  EXPECT_EQ(rename("file", "x"), Errno::NotCapable);
  without(right::kPathLinkSource);
  EXPECT_EQ(link("file", "x"), Errno::NotCapable);
  without(right::kPathLinkTarget);
  EXPECT_EQ(link("file", "x"), Errno::NotCapable);
  without(right::kPathSymlink);
  EXPECT_EQ(symlink_guest("file", "x"), Errno::NotCapable);
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "x"));
  EXPECT_FALSE(std::filesystem::is_symlink(sandbox_ / "x"));
}

TEST_F(PathTest, WildPointersFault) {
  const uint32_t end = mem_size();
  for (const auto& f : kOnePathFunctions) {
    EXPECT_EQ(call(f.name, {kSandboxFd, end - 2, 5}), Errno::Fault) << f.name;
    EXPECT_EQ(call(f.name, {kSandboxFd, 0xffffffff, 2}), Errno::Fault) << f.name;
  }
  put(kPath, "file");
  EXPECT_EQ(call("path_open", {kSandboxFd, 0, end - 2, 5, 0, 0, 0, 0, kOut}), Errno::Fault);
  EXPECT_EQ(call("path_open", {kSandboxFd, 0, kPath, 4, 0, 0, 0, 0, end - 3}), Errno::Fault);
  put(kPath2, "created");
  EXPECT_EQ(call("path_open", {kSandboxFd, 0, kPath2, 7, kOflagCreat, 0, 0, 0, end}), Errno::Fault);
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "created"));  // checked before creating
  EXPECT_EQ(call("path_filestat_get", {kSandboxFd, 0, kPath, 4, end - 63}), Errno::Fault);
  EXPECT_EQ(call("path_filestat_get", {kSandboxFd, 0, end, 1, kOut}), Errno::Fault);
  EXPECT_EQ(call("path_filestat_set_times", {kSandboxFd, 0, end - 1, 4, 0, 0, kFstMtimNow}),
            Errno::Fault);
  EXPECT_EQ(call("path_readlink", {kSandboxFd, kPath, 4, end - 4, 8, kOut}), Errno::Fault);
  EXPECT_EQ(call("path_readlink", {kSandboxFd, kPath, 4, kBuf, 8, end - 2}), Errno::Fault);
  EXPECT_EQ(call("path_readlink", {kSandboxFd, end - 1, 4, kBuf, 8, kOut}), Errno::Fault);
  EXPECT_EQ(call("path_rename", {kSandboxFd, end - 1, 4, kSandboxFd, kPath2, 1}), Errno::Fault);
  EXPECT_EQ(call("path_rename", {kSandboxFd, kPath, 4, kSandboxFd, end - 1, 4}), Errno::Fault);
  EXPECT_EQ(call("path_link", {kSandboxFd, 0, end - 1, 4, kSandboxFd, kPath2, 1}), Errno::Fault);
  EXPECT_EQ(call("path_link", {kSandboxFd, 0, kPath, 4, kSandboxFd, end - 1, 4}), Errno::Fault);
  EXPECT_EQ(call("path_symlink", {end - 1, 4, kSandboxFd, kPath2, 1}), Errno::Fault);
  EXPECT_EQ(call("path_symlink", {kPath, 4, kSandboxFd, end - 1, 4}), Errno::Fault);
  EXPECT_EQ(read_host(sandbox_ / "file"), "hello");
}

TEST_F(PathTest, BadFlagsAreInval) {
  EXPECT_EQ(open("file", 2), Errno::Inval);                      // lookupflags
  EXPECT_EQ(open("file", 0, 0x10), Errno::Inval);                // oflags
  EXPECT_EQ(open("file", 0, 0, 0, 0, 0x20), Errno::Inval);       // fdflags
  EXPECT_EQ(open("file", 0, 0, right::kAll + 1), Errno::Inval);  // rights base
  EXPECT_EQ(open("file", 0, 0, 0, 1ull << 40), Errno::Inval);    // rights inheriting
  EXPECT_EQ(filestat("file", 0x80000000u), Errno::Inval);
  EXPECT_EQ(set_times("file", 0, 0, kFstMtimNow, 3), Errno::Inval);
  EXPECT_EQ(open(std::string_view("file\0", 5)), Errno::Inval);  // NUL in a path
  EXPECT_EQ(call1("path_create_directory", std::string_view("d\0x", 3)), Errno::Inval);
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "d"));
  EXPECT_EQ(call1("path_create_directory", ""), Errno::NoEnt);
}

// --- escapes -------------------------------------------------------------------------------------

TEST_F(PathTest, OpenEscapesAreRefused) {
  for (const char* path :
       {"..", "../", "dir/../..", "../outside/secret", "/", "/sandbox/file", "/etc/passwd",
        "abs_dir/secret", "out/secret", "out/", "dir/../out/secret"}) {
    for (uint32_t lookup : {0u, kLookupSymlinkFollow}) {
      EXPECT_EQ(open(path, lookup, 0, right::kFdRead), Errno::NotCapable) << path;
    }
  }
  // A final link that points out: refused when followed; not following it opens nothing either
  // (O_NOFOLLOW on a link is ELOOP, as in wasmtime).
  for (const char* path : {"abs_file", "out_file", "abs_dir", "out"}) {
    EXPECT_EQ(open(path, kLookupSymlinkFollow, 0, right::kFdRead), Errno::NotCapable) << path;
    EXPECT_EQ(open(path, 0, 0, right::kFdRead), Errno::Loop) << path;
  }
  EXPECT_EQ(open("out_dangling", kLookupSymlinkFollow, kOflagCreat, right::kFdWrite),
            Errno::NotCapable);
  EXPECT_EQ(open("../outside/secret", 0, kOflagTrunc, right::kFdWrite), Errno::NotCapable);
  EXPECT_EQ(open("out/new", 0, kOflagCreat, right::kFdWrite), Errno::NotCapable);
  EXPECT_EQ(open("..", 0, kOflagDirectory, 0), Errno::NotCapable);
  EXPECT_EQ(open("dir/../..", 0, kOflagDirectory, 0), Errno::NotCapable);
  expect_outside_untouched();
}

TEST_F(PathTest, GuestMadeSymlinkOutCanBeCreatedAndReadButNotFollowed) {
  ASSERT_EQ(symlink_guest("../outside/secret", "mine"), Errno::Success);
  ASSERT_EQ(symlink_guest("dir/../../outside", "mine_dir"), Errno::Success);
  EXPECT_EQ(open("mine", kLookupSymlinkFollow, 0, right::kFdRead), Errno::NotCapable);
  EXPECT_EQ(open("mine", kLookupSymlinkFollow, kOflagTrunc, right::kFdWrite), Errno::NotCapable);
  EXPECT_EQ(open("mine_dir/secret", 0, 0, right::kFdRead), Errno::NotCapable);
  EXPECT_EQ(open("mine_dir/evil", 0, kOflagCreat, right::kFdWrite), Errno::NotCapable);
  EXPECT_EQ(filestat("mine", kLookupSymlinkFollow), Errno::NotCapable);
  EXPECT_EQ(filestat("mine_dir/secret", 0), Errno::NotCapable);
  ASSERT_EQ(filestat("mine", 0), Errno::Success);  // the link itself
  EXPECT_EQ(load<uint8_t>(kOut + layout::kFilestatFiletype),
            static_cast<uint8_t>(Filetype::SymbolicLink));
  ASSERT_EQ(readlink("mine", 64), Errno::Success);  // reading a link does not follow it
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(mem() + kBuf), load<uint32_t>(kOut)),
            "../outside/secret");
  EXPECT_EQ(readlink("mine_dir/secret", 64), Errno::NotCapable);
  expect_outside_untouched();
}

TEST_F(PathTest, FilestatEscapesAreRefused) {
  for (const char* path : {"..", "../outside/secret", "/etc", "abs_dir/secret", "out/secret"}) {
    EXPECT_EQ(filestat(path, 0), Errno::NotCapable) << path;
  }
  EXPECT_EQ(filestat("abs_file", kLookupSymlinkFollow), Errno::NotCapable);
  EXPECT_EQ(filestat("out_file", kLookupSymlinkFollow), Errno::NotCapable);
  EXPECT_EQ(filestat("out/", 0), Errno::NotCapable);  // a slash follows the link
  for (const char* path : {"../outside/secret", "out/secret", "abs_dir/secret", "..", "/x"}) {
    EXPECT_EQ(set_times(path, 0, 0, kFstMtim | kFstAtim), Errno::NotCapable) << path;
  }
  EXPECT_EQ(set_times("out_file", 0, 0, kFstMtim, kLookupSymlinkFollow), Errno::NotCapable);
  EXPECT_EQ(set_times("abs_file", 0, 0, kFstMtim, kLookupSymlinkFollow), Errno::NotCapable);
  struct stat st {};
  ASSERT_EQ(stat((outside_ / "secret").c_str(), &st), 0);
  EXPECT_NE(st.st_mtim.tv_sec, 0);
  expect_outside_untouched();
}

TEST_F(PathTest, RenameAndLinkAcrossTheBoundaryAreRefused) {
  for (const char* outside : {"../outside/taken", "out/taken", "abs_dir/taken", "/tmp/taken",
                              "dir/../../outside/taken"}) {
    EXPECT_EQ(rename("file", outside), Errno::NotCapable) << outside;
    EXPECT_EQ(link("file", outside), Errno::NotCapable) << outside;
  }
  for (const char* outside : {"../outside/secret", "out/secret", "abs_dir/secret"}) {
    EXPECT_EQ(rename(outside, "stolen"), Errno::NotCapable) << outside;
    EXPECT_EQ(link(outside, "stolen"), Errno::NotCapable) << outside;
  }
  EXPECT_EQ(link("out_file", "stolen", kLookupSymlinkFollow), Errno::NotCapable);
  EXPECT_EQ(link("abs_file", "stolen", kLookupSymlinkFollow), Errno::NotCapable);
  EXPECT_EQ(rename("out", "../outside/moved"), Errno::NotCapable);
  EXPECT_FALSE(std::filesystem::exists(sandbox_ / "stolen"));
  EXPECT_EQ(read_host(sandbox_ / "file"), "hello");
  // Renaming onto a link that points out replaces the link, never its target.
  ASSERT_EQ(rename("file", "out_file"), Errno::Success);
  EXPECT_EQ(read_host(sandbox_ / "out_file"), "hello");
  // Linking the link itself (no follow) copies the link, inside.
  ASSERT_EQ(link("out", "out_again"), Errno::Success);
  EXPECT_TRUE(std::filesystem::is_symlink(sandbox_ / "out_again"));
  expect_outside_untouched();
}

TEST_F(PathTest, ModifyingEscapesAreRefused) {
  for (const char* path :
       {"../outside/new", "out/new", "abs_dir/new", "/tmp/x", "..", "dir/../../outside/new"}) {
    EXPECT_EQ(call1("path_create_directory", path), Errno::NotCapable) << path;
    EXPECT_EQ(symlink_guest("x", path), Errno::NotCapable) << path;
  }
  for (const char* path : {"../outside/secret", "out/secret", "abs_dir/secret", "/tmp",
                           "out/subdir", "../outside/subdir", ".."}) {
    EXPECT_EQ(call1("path_unlink_file", path), Errno::NotCapable) << path;
    EXPECT_EQ(call1("path_remove_directory", path), Errno::NotCapable) << path;
  }
  // Removing a link that points out removes the link only.
  EXPECT_EQ(call1("path_unlink_file", "out"), Errno::Success);
  EXPECT_EQ(call1("path_unlink_file", "out_file"), Errno::Success);
  EXPECT_EQ(call1("path_remove_directory", "abs_dir"), Errno::NotDir);
  expect_outside_untouched();
}

TEST_F(PathTest, SymlinkLoopsGiveEloop) {
  ASSERT_EQ(symlink_guest("loop", "loop"), Errno::Success);
  ASSERT_EQ(symlink_guest("ping", "pong"), Errno::Success);
  ASSERT_EQ(symlink_guest("pong", "ping"), Errno::Success);
  EXPECT_EQ(open("loop", kLookupSymlinkFollow), Errno::Loop);
  EXPECT_EQ(open("ping/x", 0), Errno::Loop);
  EXPECT_EQ(filestat("pong", kLookupSymlinkFollow), Errno::Loop);
  EXPECT_EQ(call1("path_create_directory", "loop/x"), Errno::Loop);
  EXPECT_EQ(call1("path_unlink_file", "loop"), Errno::Success);
}

// --- read-only preopens --------------------------------------------------------------------------

TEST_F(PathTest, ReadOnlyPreopenRefusesEveryChange) {
  make_context(true);
  const auto before = snapshot(sandbox_);
  EXPECT_EQ(call1("path_create_directory", "new"), Errno::NotCapable);
  EXPECT_EQ(call1("path_unlink_file", "file"), Errno::NotCapable);
  EXPECT_EQ(call1("path_remove_directory", "dir"), Errno::NotCapable);
  EXPECT_EQ(open("new", 0, kOflagCreat, right::kFdRead), Errno::NotCapable);
  EXPECT_EQ(open("file", 0, kOflagTrunc, right::kFdRead), Errno::NotCapable);
  EXPECT_EQ(open("file", 0, 0, right::kFdWrite), Errno::NotCapable);
  EXPECT_EQ(open("file", 0, 0, right::kFdRead | right::kFdWrite), Errno::NotCapable);
  EXPECT_EQ(open("file", 0, 0, right::kFdRead, 0, kFdflagAppend), Errno::NotCapable);
  EXPECT_EQ(rename("file", "moved"), Errno::NotCapable);
  EXPECT_EQ(link("file", "linked"), Errno::NotCapable);
  EXPECT_EQ(symlink_guest("file", "sym"), Errno::NotCapable);
  EXPECT_EQ(set_times("file", 0, 0, kFstMtimNow), Errno::NotCapable);
  EXPECT_EQ(snapshot(sandbox_), before);

  // The preopen advertises write rights for what is opened beneath it, so wasi-libc asks for
  // them on open(O_WRONLY) and gets a refusal rather than a quietly read-only descriptor.
  ASSERT_EQ(call("fd_fdstat_get", {kSandboxFd, kOut}), Errno::Success);
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFdstatRightsBase) & right::kMutating, 0u);
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFdstatRightsInheriting) & right::kWriteAccess,
            right::kWriteAccess);
  for (Rights write :
       {right::kFdWrite, right::kFdDatasync, right::kFdAllocate, right::kFdFilestatSetSize}) {
    EXPECT_EQ(open("file", 0, 0, right::kFdRead | write), Errno::NotCapable) << write;
  }

  // Reading is allowed (wasi-libc's O_RDONLY asks for everything but write access), and nothing
  // opened beneath grants a mutating right.
  ASSERT_EQ(open("file", 0, 0, right::kAll & ~right::kWriteAccess, right::kAll), Errno::Success);
  const uint32_t file = opened();
  ASSERT_EQ(call("fd_fdstat_get", {file, kOut}), Errno::Success);
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFdstatRightsBase) & right::kMutating, 0u);
  EXPECT_EQ(fcntl(host_fd(file), F_GETFL) & O_ACCMODE, O_RDONLY);
  EXPECT_EQ(write_fd(file, "x"), Errno::NotCapable);
  EXPECT_EQ(filestat("file"), Errno::Success);
  EXPECT_EQ(readlink("out", 64), Errno::Success);

  ASSERT_EQ(open("dir", 0, kOflagDirectory, right::kAll & ~right::kWriteAccess, right::kAll),
            Errno::Success);
  const uint32_t dir = opened();
  EXPECT_TRUE(context_->fds().find(dir)->read_only);
  ASSERT_EQ(call("fd_fdstat_get", {dir, kOut}), Errno::Success);
  EXPECT_EQ(load<uint64_t>(kOut + layout::kFdstatRightsBase) & right::kMutating, 0u);
  EXPECT_EQ(open("file2", 0, 0, right::kFdWrite, 0, 0, dir), Errno::NotCapable);
  EXPECT_EQ(call1("path_create_directory", "x", dir), Errno::NotCapable);
  EXPECT_EQ(open("x", 0, kOflagCreat, 0, 0, 0, dir), Errno::NotCapable);
  // Even if the guest somehow held the right, the directory stays read-only.
  context_->fds().find(dir)->rights_base |= right::kPathCreateFile;
  context_->fds().find(dir)->rights_inheriting |= right::kFdWrite;
  EXPECT_EQ(open("x", 0, kOflagCreat, right::kFdWrite, 0, 0, dir), Errno::NotCapable);
  EXPECT_EQ(snapshot(sandbox_), before);
  expect_outside_untouched();
}

}  // namespace
}  // namespace loom::wasi::testing
