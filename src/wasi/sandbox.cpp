#include "wasi/sandbox.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <vector>

#include "wasi/errno.hpp"

namespace loom::wasi {
namespace {

// One component still to resolve. `slash_after`: a slash followed it in the text it came from,
// which for the final component means "must be a directory, follow it if it is a link".
struct Component {
  std::string name;
  bool slash_after = false;
};

// Pushes the components of `text` so that the first one ends up on top of `pending` (the back).
void push_components(std::string_view text, std::vector<Component>& pending) {
  const size_t first_new = pending.size();
  size_t at = 0;
  while (at < text.size()) {
    const size_t slash = text.find('/', at);
    const size_t end = slash == std::string_view::npos ? text.size() : slash;
    if (end > at) {
      pending.push_back(Component{std::string(text.substr(at, end - at)), slash != text.npos});
    }
    at = end + 1;
  }
  std::reverse(pending.begin() + static_cast<std::ptrdiff_t>(first_new), pending.end());
}

// The directories walked so far: the borrowed starting directory, then owned descriptors.
class DirStack {
 public:
  explicit DirStack(int base) : base_(base) {}
  int top() const { return opened_.empty() ? base_ : opened_.back().get(); }
  bool at_base() const { return opened_.empty(); }
  void push(UniqueFd fd) { opened_.push_back(std::move(fd)); }
  void pop() { opened_.pop_back(); }
  // Gives up the top descriptor; an invalid one when the top is the borrowed base.
  UniqueFd release_top() {
    if (opened_.empty()) return UniqueFd();
    UniqueFd top = std::move(opened_.back());
    opened_.pop_back();
    return top;
  }

 private:
  int base_;
  std::vector<UniqueFd> opened_;
};

enum class LinkRead { kLink, kNotLink, kMissing, kError };

// Reads the symlink `name` in `dir` into `target`. kNotLink when it exists but is no link.
LinkRead read_link(int dir, const std::string& name, std::string& target, int& host_error) {
  char buffer[kMaxPathLength];
  const ssize_t n = readlinkat(dir, name.c_str(), buffer, sizeof buffer);
  if (n < 0) {
    if (errno == EINVAL) return LinkRead::kNotLink;
    if (errno == ENOENT) return LinkRead::kMissing;
    host_error = errno;
    return LinkRead::kError;
  }
  if (static_cast<size_t>(n) == sizeof buffer) {  // possibly truncated: longer than any path
    host_error = ENAMETOOLONG;
    return LinkRead::kError;
  }
  target.assign(buffer, static_cast<size_t>(n));
  return LinkRead::kLink;
}

}  // namespace

Errno resolve_beneath(int base, std::string_view path, Follow follow, ResolvedPath& out) {
  if (path.empty()) return Errno::NoEnt;
  if (path.size() >= kMaxPathLength) return Errno::NameTooLong;
  // The host would cut the name at the NUL; wasmtime refuses it the same way on Unix.
  if (path.find('\0') != std::string_view::npos) return Errno::Inval;
  if (path.front() == '/') return Errno::NotCapable;  // absolute: names nothing beneath `base`

  std::vector<Component> pending;
  push_components(path, pending);
  DirStack dirs(base);
  int expansions = 0;
  std::string final_name = ".";  // a path ending in "." or ".." names the directory itself
  bool must_be_dir = false;

  // Splices the link target in front of the remaining components, resolved from the directory
  // that holds the link. The final component keeps its "slash after" through the link.
  auto expand = [&](const std::string& target, bool slash_after) -> Errno {
    if (++expansions > kMaxSymlinkExpansions) return Errno::Loop;
    if (target.empty()) return Errno::NoEnt;  // as Linux resolves an empty link
    if (target.front() == '/') return Errno::NotCapable;
    const bool was_final = pending.empty();
    push_components(target, pending);  // not empty: the target has a non-slash character
    if (was_final) pending.front().slash_after |= slash_after;
    return Errno::Success;
  };

  while (!pending.empty()) {
    Component component = std::move(pending.back());
    pending.pop_back();
    const bool is_final = pending.empty();
    if (is_final) must_be_dir = component.slash_after;

    if (component.name == ".") {
      if (is_final) final_name = ".";
      continue;
    }
    if (component.name == "..") {
      if (dirs.at_base()) return Errno::NotCapable;
      dirs.pop();
      if (is_final) final_name = ".";
      continue;
    }

    if (is_final) {
      const bool follow_this =
          follow == Follow::kAlways || (follow == Follow::kIfSlash && component.slash_after);
      if (!follow_this) {
        final_name = std::move(component.name);
        break;
      }
      std::string target;
      int host_error = 0;
      switch (read_link(dirs.top(), component.name, target, host_error)) {
        case LinkRead::kLink:
          if (Errno e = expand(target, component.slash_after); e != Errno::Success) return e;
          continue;
        case LinkRead::kNotLink:
        case LinkRead::kMissing:  // the caller may create it
          final_name = std::move(component.name);
          break;
        case LinkRead::kError:
          return errno_from_host(host_error);
      }
      break;
    }

    // An intermediate component must be a directory or a link to one. A name that is (or just
    // became) a symlink fails the O_NOFOLLOW open with ELOOP or ENOTDIR and is examined again.
    const int fd =
        openat(dirs.top(), component.name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
      dirs.push(UniqueFd(fd));
      continue;
    }
    const int open_error = errno;
    if (open_error != ELOOP && open_error != ENOTDIR) return errno_from_host(open_error);
    std::string target;
    int host_error = 0;
    switch (read_link(dirs.top(), component.name, target, host_error)) {
      case LinkRead::kLink:
        if (Errno e = expand(target, true); e != Errno::Success) return e;
        continue;
      case LinkRead::kNotLink:
        if (open_error == ENOTDIR) return Errno::NotDir;
        break;  // ELOOP yet no link: it changed under us; look at it again
      case LinkRead::kMissing:
        return Errno::NoEnt;
      case LinkRead::kError:
        return errno_from_host(host_error);
    }
    // Retrying counts as an expansion so that a name flipping forever still ends in ELOOP.
    if (++expansions > kMaxSymlinkExpansions) return Errno::Loop;
    pending.push_back(std::move(component));
  }

  out.trailing_slash_ = must_be_dir;
  out.name_ = std::move(final_name);
  out.owned_ = dirs.release_top();
  out.dir_ = out.owned_.valid() ? out.owned_.get() : base;
  return Errno::Success;
}

}  // namespace loom::wasi
