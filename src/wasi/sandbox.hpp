// The sandbox: resolving a guest path beneath a directory descriptor.
//
// Loom walks the path itself, one component at a time, and never lets the host resolve more than
// one name: every intermediate directory is opened with openat(O_PATH | O_DIRECTORY | O_NOFOLLOW)
// relative to the previous one, `..` pops a stack of those descriptors (popping below the
// starting directory is an escape), and symbolic links are read with readlinkat and spliced into
// the remaining path, so `..` inside a link target is bounded by the same stack. The result is a
// directory descriptor and one final name, on which the caller uses *at calls that do not follow
// symlinks (O_NOFOLLOW, AT_SYMLINK_NOFOLLOW), so the kernel never follows a link Loom has not
// checked.
//
// Escapes (an absolute path, `..` above the start, a symlink with an absolute target, a relative
// symlink that climbs out) all give Errno::NotCapable. Node.js (uvwasi) returns ENOTCAPABLE for
// them; wasmtime returns EPERM since it stopped using ENOTCAPABLE (bytecodealliance/wasmtime#4666,
// asserted in its preview1_interesting_paths test). Loom follows Node: the guest programs of
// tests/wasi are compared with Node's output, and ENOTCAPABLE names the reason (a capability the
// guest was not given) where EPERM would suggest file permissions. (Creating a symlink with an
// absolute target is refused with EPERM instead, by path_symlink: there both references agree.)
#pragma once
#include <string>
#include <string_view>

#include "wasi/abi.hpp"
#include "wasi/unique_fd.hpp"

namespace loom::wasi {

// Whether a symbolic link in the final position is followed.
enum class Follow {
  // Never, even with a trailing slash: operations on the name itself (mkdir, unlink, rmdir,
  // rename, symlink, the new name of link). They pass ResolvedPath::kernel_name() to a *at call
  // that creates or removes a name, and those do not follow the last component either.
  kNever,
  // Only when a slash follows it ("link/"), as POSIX lookups without symlink_follow do.
  kIfSlash,
  // Always: lookupflags::symlink_follow.
  kAlways,
};

// At most this many symbolic links are expanded in one resolution (Linux's MAXSYMLINKS).
inline constexpr int kMaxSymlinkExpansions = 40;
// Guest paths of this length or longer are refused (PATH_MAX counts the terminating NUL).
inline constexpr size_t kMaxPathLength = 4096;

// Where a path led: a directory (owned when it is not the starting one) and one name in it.
class ResolvedPath {
 public:
  int dir() const { return dir_; }
  // One component without slashes; "." when the path names a directory itself ("." or "a/..").
  const std::string& name() const { return name_; }
  // The path ended in a slash, so it must name a directory.
  bool trailing_slash() const { return trailing_slash_; }
  // The name with the trailing slash kept, for calls that create or remove the name, so the
  // kernel applies the "must be a directory" rule with its own errno (ENOTDIR, EISDIR, ...).
  std::string kernel_name() const { return trailing_slash_ ? name_ + "/" : name_; }

 private:
  friend Errno resolve_beneath(int, std::string_view, Follow, ResolvedPath&);
  UniqueFd owned_;
  int dir_ = -1;
  std::string name_;
  bool trailing_slash_ = false;
};

// Resolves `path` beneath the directory `base` (which is borrowed, not closed). Errors:
// NotCapable for an escape, NoEnt for an empty path or a missing intermediate directory, NotDir
// when an intermediate component is not a directory, Loop after kMaxSymlinkExpansions links,
// Inval for a NUL byte in the path, NameTooLong for a path of kMaxPathLength bytes or more, or the
// host's error for a directory that cannot be opened.
Errno resolve_beneath(int base, std::string_view path, Follow follow, ResolvedPath& out);

}  // namespace loom::wasi
