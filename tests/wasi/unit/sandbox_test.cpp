// resolve_beneath: component-wise resolution, `..` bounds, symlinks in and out of the sandbox,
// loops, and malformed paths. Links are made on the host so that every kind of target is tried.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wasi/sandbox.hpp"
#include "wasi_fixture.hpp"

namespace loom::wasi::testing {
namespace {

class SandboxTest : public WasiFixture {
 protected:
  void SetUp() override {
    WasiFixture::SetUp();
    std::filesystem::create_directories(sandbox_ / "sub" / "inner");
    write(sandbox_ / "file", "in");
    write(sandbox_ / "sub" / "file", "sub");
    write(outside_ / "secret", "secret");
    base_.reset(open(sandbox_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(base_.valid());
  }
  static void write(const std::filesystem::path& p, const std::string& text) {
    FILE* f = fopen(p.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs(text.c_str(), f);
    fclose(f);
  }
  void link(const std::string& target, const std::string& name) {
    ASSERT_EQ(symlink(target.c_str(), (sandbox_ / name).c_str()), 0) << name;
  }
  Errno resolve(std::string_view path, Follow follow = Follow::kAlways) {
    resolved_ = ResolvedPath();
    return resolve_beneath(base_.get(), path, follow, resolved_);
  }
  // The inode of the directory the last resolution ended in.
  ino_t resolved_dir_inode() {
    struct stat st {};
    EXPECT_EQ(fstat(resolved_.dir(), &st), 0);
    return st.st_ino;
  }
  static ino_t inode(const std::filesystem::path& p) {
    struct stat st {};
    EXPECT_EQ(lstat(p.c_str(), &st), 0) << p;
    return st.st_ino;
  }

  UniqueFd base_;
  ResolvedPath resolved_;
};

TEST_F(SandboxTest, PlainNames) {
  ASSERT_EQ(resolve("file"), Errno::Success);
  EXPECT_EQ(resolved_.dir(), base_.get());
  EXPECT_EQ(resolved_.name(), "file");
  EXPECT_FALSE(resolved_.trailing_slash());

  ASSERT_EQ(resolve("sub/inner/x"), Errno::Success);
  EXPECT_EQ(resolved_dir_inode(), inode(sandbox_ / "sub" / "inner"));
  EXPECT_EQ(resolved_.name(), "x");

  ASSERT_EQ(resolve("sub//./inner///x"), Errno::Success);
  EXPECT_EQ(resolved_dir_inode(), inode(sandbox_ / "sub" / "inner"));
}

TEST_F(SandboxTest, DotAndDotDotInside) {
  ASSERT_EQ(resolve("."), Errno::Success);
  EXPECT_EQ(resolved_.dir(), base_.get());
  EXPECT_EQ(resolved_.name(), ".");
  ASSERT_EQ(resolve("sub/.."), Errno::Success);
  EXPECT_EQ(resolved_.dir(), base_.get());
  EXPECT_EQ(resolved_.name(), ".");
  ASSERT_EQ(resolve("sub/inner/../file"), Errno::Success);
  EXPECT_EQ(resolved_dir_inode(), inode(sandbox_ / "sub"));
  EXPECT_EQ(resolved_.name(), "file");
  ASSERT_EQ(resolve("sub/./inner/."), Errno::Success);
  EXPECT_EQ(resolved_dir_inode(), inode(sandbox_ / "sub" / "inner"));
  EXPECT_EQ(resolved_.name(), ".");
}

TEST_F(SandboxTest, TrailingSlashMeansDirectory) {
  ASSERT_EQ(resolve("sub/", Follow::kNever), Errno::Success);
  EXPECT_EQ(resolved_.name(), "sub");
  EXPECT_TRUE(resolved_.trailing_slash());
  EXPECT_EQ(resolved_.kernel_name(), "sub/");
  ASSERT_EQ(resolve("sub/inner//", Follow::kNever), Errno::Success);
  EXPECT_EQ(resolved_.name(), "inner");
  EXPECT_TRUE(resolved_.trailing_slash());
}

TEST_F(SandboxTest, MalformedPaths) {
  EXPECT_EQ(resolve(""), Errno::NoEnt);
  EXPECT_EQ(resolve(std::string_view("fi\0le", 5)), Errno::Inval);
  EXPECT_EQ(resolve(std::string_view("file\0", 5)), Errno::Inval);
  EXPECT_EQ(resolve(std::string(kMaxPathLength, 'a')), Errno::NameTooLong);
  EXPECT_EQ(resolve("missing/x"), Errno::NoEnt);
  EXPECT_EQ(resolve("file/x"), Errno::NotDir);
  EXPECT_EQ(resolve("missing"), Errno::Success);  // the caller may create it
}

TEST_F(SandboxTest, DotDotEscapesAreRefused) {
  for (const char* path : {"..", "../", "../outside/secret", "sub/../..", "sub/inner/../../..",
                           "sub/../../sandbox/file", "./../x"}) {
    for (Follow follow : {Follow::kNever, Follow::kIfSlash, Follow::kAlways}) {
      EXPECT_EQ(resolve(path, follow), Errno::NotCapable) << path;
    }
  }
}

TEST_F(SandboxTest, AbsolutePathsAreRefused) {
  EXPECT_EQ(resolve("/"), Errno::NotCapable);
  EXPECT_EQ(resolve("/etc/passwd"), Errno::NotCapable);
  EXPECT_EQ(resolve(outside_.string() + "/secret"), Errno::NotCapable);
  EXPECT_EQ(resolve((sandbox_ / "file").string()), Errno::NotCapable);
}

TEST_F(SandboxTest, AbsoluteSymlinksAreNeverFollowed) {
  link(outside_.string(), "abs_dir");
  link((outside_ / "secret").string(), "abs_file");
  link((sandbox_ / "file").string(), "abs_inside");  // absolute even though it points inside
  EXPECT_EQ(resolve("abs_dir/secret"), Errno::NotCapable);
  EXPECT_EQ(resolve("abs_dir/secret", Follow::kNever), Errno::NotCapable);  // intermediate
  EXPECT_EQ(resolve("abs_file"), Errno::NotCapable);
  EXPECT_EQ(resolve("abs_inside"), Errno::NotCapable);
  EXPECT_EQ(resolve("abs_dir/", Follow::kIfSlash), Errno::NotCapable);
  // Not following names the link itself.
  ASSERT_EQ(resolve("abs_file", Follow::kNever), Errno::Success);
  EXPECT_EQ(resolved_.name(), "abs_file");
  ASSERT_EQ(resolve("abs_file", Follow::kIfSlash), Errno::Success);
  EXPECT_EQ(resolved_.name(), "abs_file");
}

TEST_F(SandboxTest, RelativeSymlinksClimbingOutAreRefused) {
  link("../outside", "out");
  link("../outside/secret", "out_file");
  link("../../outside", "sub/deep_out");
  link("inner/../../..", "sub/sneaky");
  link("../../sub/../..", "sub/inner/up_and_out");
  for (const char* path : {"out/secret", "out_file", "sub/deep_out/secret", "sub/sneaky",
                           "sub/sneaky/outside/secret", "sub/inner/up_and_out/x", "out/"}) {
    EXPECT_EQ(resolve(path), Errno::NotCapable) << path;
  }
  EXPECT_EQ(resolve("out/secret", Follow::kNever), Errno::NotCapable);
}

TEST_F(SandboxTest, RelativeSymlinksInsideAreFollowed) {
  link("sub", "to_sub");
  link("../file", "sub/up_file");
  link("inner/..", "sub/self");
  link("sub/", "to_sub_slash");
  ASSERT_EQ(resolve("to_sub/file"), Errno::Success);
  EXPECT_EQ(resolved_dir_inode(), inode(sandbox_ / "sub"));
  EXPECT_EQ(resolved_.name(), "file");
  ASSERT_EQ(resolve("sub/up_file"), Errno::Success);
  EXPECT_EQ(resolved_.dir(), base_.get());
  EXPECT_EQ(resolved_.name(), "file");
  ASSERT_EQ(resolve("sub/self"), Errno::Success);
  EXPECT_EQ(resolved_dir_inode(), inode(sandbox_ / "sub"));
  EXPECT_EQ(resolved_.name(), ".");
  // A link target's trailing slash carries over to the final name.
  ASSERT_EQ(resolve("to_sub_slash"), Errno::Success);
  EXPECT_EQ(resolved_.name(), "sub");
  EXPECT_TRUE(resolved_.trailing_slash());
  // And so does the guest's slash after a link.
  ASSERT_EQ(resolve("to_sub/", Follow::kIfSlash), Errno::Success);
  EXPECT_EQ(resolved_.name(), "sub");
  EXPECT_TRUE(resolved_.trailing_slash());
  // A dangling link resolves to the name it would create.
  link("sub/new", "dangling");
  ASSERT_EQ(resolve("dangling"), Errno::Success);
  EXPECT_EQ(resolved_dir_inode(), inode(sandbox_ / "sub"));
  EXPECT_EQ(resolved_.name(), "new");
}

TEST_F(SandboxTest, SymlinkToFileInTheMiddleIsNotADirectory) {
  link("file", "to_file");
  EXPECT_EQ(resolve("to_file/x"), Errno::NotDir);
}

TEST_F(SandboxTest, LoopsGiveEloop) {
  link("self", "self");
  link("b", "a");
  link("a", "b");
  EXPECT_EQ(resolve("self"), Errno::Loop);
  EXPECT_EQ(resolve("self/x", Follow::kNever), Errno::Loop);
  EXPECT_EQ(resolve("a"), Errno::Loop);
  EXPECT_EQ(resolve("b/c/d"), Errno::Loop);
  ASSERT_EQ(resolve("self", Follow::kNever), Errno::Success);  // the link itself
}

TEST_F(SandboxTest, FortySymlinksAreFineAndFortyOneAreALoop) {
  for (int i = 0; i < kMaxSymlinkExpansions; ++i) {
    const std::string target = i + 1 < kMaxSymlinkExpansions ? "c" + std::to_string(i + 1) : "file";
    link(target, "c" + std::to_string(i));
  }
  ASSERT_EQ(resolve("c0"), Errno::Success);
  EXPECT_EQ(resolved_.name(), "file");
  link("c0", "one_more");
  EXPECT_EQ(resolve("one_more"), Errno::Loop);
}

TEST_F(SandboxTest, ResolutionLeavesOutsideAlone) {
  link("../outside", "out");
  EXPECT_EQ(resolve("out/secret"), Errno::NotCapable);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(outside_),
                          std::filesystem::directory_iterator()),
            1);
}

}  // namespace
}  // namespace loom::wasi::testing
