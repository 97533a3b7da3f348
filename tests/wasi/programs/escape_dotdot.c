// escape_dotdot (Loom only): ".." must never climb above a preopen, whatever the call: path_open,
// path_filestat_get, path_create_directory, path_remove_directory, path_unlink_file,
// opendir, both from the preopen and from a directory opened inside it; also absolute paths
// handed straight to path_open and through libc (which maps them to a preopen itself, also in
// openat). ".." that stays inside works.
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static void try_open(const char *label, int dir, const char *path, int flags) {
  errno = 0;
  int fd = openat(dir, path, flags, 0644);
  if (fd < 0) {
    printf("%s %s: %s\n", label, path, errno_name(errno));
    return;
  }
  printf("%s %s: opened, %s\n", label, path, first_line(fd));
  close(fd);
}

int main(void) {
  int sb = open("/sandbox", O_RDONLY | O_DIRECTORY);
  const char *out[] = {"..", "../outside/secret.txt", "./../outside/secret.txt", "deep/../../outside/secret.txt",
                       "deep/er/../../..", "deep/er/../../../outside", "../sandbox/file.txt", "../../"};
  for (size_t i = 0; i < sizeof out / sizeof out[0]; i++) try_open("openat(sandbox)", sb, out[i], O_RDONLY);
  const char *in[] = {"deep/../file.txt", "deep/er/../../file.txt", "./file.txt", "deep/./er/.."};
  for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) try_open("openat(sandbox)", sb, in[i], O_RDONLY);

  int deep = openat(sb, "deep/er", O_RDONLY | O_DIRECTORY);
  try_open("openat(deep/er)", deep, "../../file.txt", O_RDONLY);
  try_open("openat(deep/er)", deep, "../../../outside/secret.txt", O_RDONLY);
  try_open("openat(deep/er)", deep, "../../..", O_RDONLY);

  // Absolute paths straight to path_open (libc's openat would map them to a preopen itself).
  const char *abs[] = {"/etc/passwd", "/", "//sandbox/file.txt", "/sandbox/file.txt"};
  for (size_t i = 0; i < sizeof abs / sizeof abs[0]; i++) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(sb, 0, abs[i], 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    printf("path_open(sandbox) %s: %s\n", abs[i], e ? errno_name(e) : "opened");
  }

  // Through libc's absolute-path mapping (open, and openat with an absolute path).
  try_open("openat(sandbox)", sb, "//sandbox/file.txt", O_RDONLY);
  try_open("open", AT_FDCWD, "/sandbox/../outside/secret.txt", O_RDONLY);
  try_open("open", AT_FDCWD, "/sandbox/deep/../../outside/secret.txt", O_RDONLY);
  try_open("open", AT_FDCWD, "/etc/passwd", O_RDONLY);
  try_open("open", AT_FDCWD, "/sandbox/..", O_RDONLY);
  CHECK("opendir /sandbox/..", opendir("/sandbox/..") ? 0 : -1);
  CHECK("opendir /sandbox/../outside", opendir("/sandbox/../outside") ? 0 : -1);

  // Creating, writing and removing outside.
  try_open("create", sb, "../created-by-guest.txt", O_CREAT | O_WRONLY);
  try_open("create", sb, "../outside/created-by-guest.txt", O_CREAT | O_WRONLY);
  try_open("truncate", sb, "../outside/secret.txt", O_WRONLY | O_TRUNC);
  struct stat st;
  CHECK("fstatat ..", fstatat(sb, "..", &st, 0));
  CHECK("fstatat ../outside/secret.txt", fstatat(sb, "../outside/secret.txt", &st, 0));
  CHECK("fstatat /etc/passwd", fstatat(sb, "/etc/passwd", &st, 0));
  CHECK("mkdirat ../escaped-dir", mkdirat(sb, "../escaped-dir", 0755));
  CHECK("mkdirat deep/../../escaped-dir", mkdirat(sb, "deep/../../escaped-dir", 0755));
  CHECK("mkdirat /tmp-escaped-dir", mkdirat(sb, "/tmp-escaped-dir", 0755));
  CHECK("unlinkat ../outside/secret.txt", unlinkat(sb, "../outside/secret.txt", 0));
  CHECK("unlinkat ../outside/dir (rmdir)", unlinkat(sb, "../outside/dir", AT_REMOVEDIR));
  CHECK("unlinkat .. (rmdir)", unlinkat(sb, "..", AT_REMOVEDIR));
  struct timespec ts[2] = {{1, 0}, {1, 0}};
  CHECK("utimensat ../outside/secret.txt", utimensat(sb, "../outside/secret.txt", ts, 0));
  CHECK("utimensat ..", utimensat(sb, "..", ts, 0));
  CHECK("mkdirat deep/../inside-ok (stays inside)", mkdirat(sb, "deep/../inside-ok", 0755));
  return 0;
}
