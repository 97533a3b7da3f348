// links: path_link (hard links: same content, st_nlink, survives unlinking the original),
// path_symlink, path_readlink (and a short buffer is not tested: node errors), path_open through
// relative symlinks (file, directory, chains), path_filestat_get with and without following
// (stat/lstat), dangling symlinks, path_unlink_file on a symlink, ELOOP on loops.
// Node refuses symlink targets with "..", so targets here never use it; node also ignores
// O_NOFOLLOW on the last component, so that case is in the loom-only escape_symlink test.
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *path) {
  char buf[64] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("  read %s: %s\n", path, errno_name(errno));
    return;
  }
  read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("  read %s: [%s]\n", path, buf);
}

static void show_link(const char *path) {
  char buf[64];
  ssize_t n = readlink(path, buf, sizeof buf);
  if (n < 0) printf("  readlink %s: %s\n", path, errno_name(errno));
  else printf("  readlink %s: [%.*s] (%zd bytes)\n", path, (int)n, buf, n);
}

static const char *kind(mode_t m) {
  return S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : S_ISLNK(m) ? "symlink" : "other";
}

static void show_stat(const char *path) {
  struct stat st, lst;
  int rs = stat(path, &st), rl = lstat(path, &lst);
  printf("  stat %s: %s", path, rs ? errno_name(errno) : kind(st.st_mode));
  if (!rs && S_ISREG(st.st_mode)) printf(" size %lld nlink %llu", (long long)st.st_size, (unsigned long long)st.st_nlink);
  printf(", lstat: %s\n", rl ? "error" : kind(lst.st_mode));
}

int main(void) {
  int fd = open("/sandbox/orig.txt", O_CREAT | O_WRONLY, 0644);
  write(fd, "original", 8);
  close(fd);
  mkdir("/sandbox/dir", 0755);
  fd = open("/sandbox/dir/inner.txt", O_CREAT | O_WRONLY, 0644);
  write(fd, "inner", 5);
  close(fd);

  // Hard links.
  CHECK("link orig -> hard", link("/sandbox/orig.txt", "/sandbox/hard.txt"));
  show_stat("/sandbox/hard.txt");
  CHECK("link onto existing", link("/sandbox/orig.txt", "/sandbox/hard.txt"));
  CHECK("link missing source", link("/sandbox/nope", "/sandbox/x"));
  CHECK("link directory", link("/sandbox/dir", "/sandbox/dirlink"));
  fd = open("/sandbox/hard.txt", O_WRONLY | O_APPEND);
  write(fd, "+hard", 5);
  close(fd);
  show("/sandbox/orig.txt");
  CHECK("unlink orig", unlink("/sandbox/orig.txt"));
  show("/sandbox/hard.txt");
  show_stat("/sandbox/hard.txt");

  // Symlinks with relative targets.
  CHECK("symlink file", symlink("hard.txt", "/sandbox/s_file"));
  CHECK("symlink dir", symlink("dir", "/sandbox/s_dir"));
  CHECK("symlink inside dir", symlink("inner.txt", "/sandbox/dir/s_inner"));
  CHECK("symlink via dir", symlink("s_dir/inner.txt", "/sandbox/s_via"));
  CHECK("symlink chain", symlink("s_file", "/sandbox/s_chain"));
  CHECK("symlink dangling", symlink("does-not-exist", "/sandbox/s_dangling"));
  CHECK("symlink onto existing", symlink("hard.txt", "/sandbox/s_file"));
  show_link("/sandbox/s_file");
  show_link("/sandbox/s_dir");
  show_link("/sandbox/s_dangling");
  show_link("/sandbox/hard.txt");
  show_link("/sandbox/missing");
  show("/sandbox/s_file");
  show("/sandbox/s_dir/inner.txt");
  show("/sandbox/dir/s_inner");
  show("/sandbox/s_dir/s_inner");
  show("/sandbox/s_via");
  show("/sandbox/s_chain");
  show("/sandbox/s_dangling");
  show_stat("/sandbox/s_file");
  show_stat("/sandbox/s_dir");
  show_stat("/sandbox/s_dangling");
  show_stat("/sandbox/s_chain");

  // Writing through a symlink, creating through a dangling one.
  fd = CHECK("open s_chain for append", open("/sandbox/s_chain", O_WRONLY | O_APPEND));
  write(fd, "+chain", 6);
  close(fd);
  show("/sandbox/hard.txt");
  CHECK("open s_file O_CREAT|O_EXCL", open("/sandbox/s_file", O_CREAT | O_EXCL | O_WRONLY, 0644));

  // Loops.
  symlink("loop_b", "/sandbox/loop_a");
  symlink("loop_a", "/sandbox/loop_b");
  symlink("self", "/sandbox/self");
  CHECK("open loop_a", open("/sandbox/loop_a", O_RDONLY));
  CHECK("open self", open("/sandbox/self", O_RDONLY));
  struct stat st;
  CHECK("stat self", stat("/sandbox/self", &st));
  CHECK("lstat self", lstat("/sandbox/self", &st));

  // Unlinking a symlink removes the link, not the target; rmdir on a symlink to a dir fails.
  CHECK("unlink s_chain", unlink("/sandbox/s_chain"));
  show("/sandbox/s_file");
  CHECK("rmdir s_dir", rmdir("/sandbox/s_dir"));
  CHECK("unlink s_dir", unlink("/sandbox/s_dir"));
  show_stat("/sandbox/dir");
  CHECK("rename symlink", rename("/sandbox/s_file", "/sandbox/s_file2"));
  show_link("/sandbox/s_file2");
  show("/sandbox/s_file2");
  return 0;
}
