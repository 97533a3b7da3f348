// escape_symlink (Loom only): symlinks never lead out of the sandbox. The driver plants links
// from the host: abs_secret, abs_outside, abs_root, abs_etc_passwd (absolute targets),
// rel_secret, rel_outside, deep/er/rel_up (relative, climbing out), hop -> deep/er/rel_up,
// rel_dangling and abs_dangling (to files that do not exist outside), and
// deep/rel_in -> ../file.txt (relative with "..", staying inside: must work; node refuses it).
// The guest also creates its own escaping links and must not be able to follow them.
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int sb;

static void try_open(const char *path, int flags) {
  errno = 0;
  int fd = openat(sb, path, flags, 0644);
  if (fd < 0) {
    printf("open %s: %s\n", path, errno_name(errno));
    return;
  }
  printf("open %s: opened, %s\n", path, first_line(fd));
  close(fd);
}

static void try_stat(const char *path) {
  struct stat st;
  int rs = fstatat(sb, path, &st, 0);
  const char *es = rs ? errno_name(errno) : "ok";
  int rl = fstatat(sb, path, &st, AT_SYMLINK_NOFOLLOW);
  printf("stat %s: %s, lstat: %s\n", path, es, rl ? errno_name(errno) : S_ISLNK(st.st_mode) ? "symlink" : "not a symlink");
}

int main(void) {
  sb = open("/sandbox", O_RDONLY | O_DIRECTORY);
  const char *links[] = {"abs_secret", "abs_outside/secret.txt", "abs_outside", "abs_root",
                         "abs_root/etc/passwd", "abs_etc_passwd", "rel_secret", "rel_outside/secret.txt",
                         "rel_outside", "deep/er/rel_up", "hop", "deep/rel_in"};
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) try_open(links[i], O_RDONLY);
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) try_stat(links[i]);
  try_open("rel_outside/created-by-guest.txt", O_CREAT | O_WRONLY);
  try_open("rel_dangling", O_CREAT | O_WRONLY);
  try_open("abs_dangling", O_CREAT | O_WRONLY);
  try_open("rel_secret", O_WRONLY | O_TRUNC);
  try_open("abs_secret", O_WRONLY | O_APPEND);
  CHECK("opendir rel_outside", opendir("/sandbox/rel_outside") ? 0 : -1);
  CHECK("opendir abs_root", opendir("/sandbox/abs_root") ? 0 : -1);
  CHECK("mkdirat rel_outside/newdir", mkdirat(sb, "rel_outside/newdir", 0755));
  CHECK("unlinkat rel_outside/secret.txt", unlinkat(sb, "rel_outside/secret.txt", 0));
  struct timespec ts[2] = {{1, 0}, {1, 0}};
  CHECK("utimensat rel_secret (follow)", utimensat(sb, "rel_secret", ts, 0));
  CHECK("utimensat abs_secret (follow)", utimensat(sb, "abs_secret", ts, 0));

  // readlink shows the target (only whether it is absolute is printed: the host path varies).
  char buf[256];
  ssize_t n = readlinkat(sb, "abs_secret", buf, sizeof buf);
  printf("readlink abs_secret: %s, absolute: %s\n", n < 0 ? errno_name(errno) : "ok", YESNO(n > 0 && buf[0] == '/'));
  n = readlinkat(sb, "rel_secret", buf, sizeof buf);
  printf("readlink rel_secret: [%.*s]\n", n < 0 ? 0 : (int)n, buf);

  // Links the guest makes itself.
  CHECK("symlink ../outside/secret.txt as g_rel", symlinkat("../outside/secret.txt", sb, "g_rel"));
  CHECK("symlink ../../../outside as deep/er/g_up", symlinkat("../../../outside", sb, "deep/er/g_up"));
  CHECK("symlink /etc/passwd as g_abs", symlinkat("/etc/passwd", sb, "g_abs"));
  try_open("g_rel", O_RDONLY);
  try_open("deep/er/g_up/secret.txt", O_RDONLY);
  try_open("g_abs", O_RDONLY);
  CHECK("symlink deep/../file.txt as g_in", symlinkat("deep/../file.txt", sb, "g_in"));
  try_open("g_in", O_RDONLY);

  // Removing a link removes only the link.
  CHECK("unlink rel_secret", unlinkat(sb, "rel_secret", 0));
  CHECK("unlink abs_outside", unlinkat(sb, "abs_outside", 0));
  try_stat("rel_secret");
  return 0;
}
