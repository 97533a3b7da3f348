// fdops: fd_prestat_get / fd_prestat_dir_name (the preopen list), fd_fdstat_get (file types of
// a preopen, a file, a directory), fd_fdstat_set_flags (fcntl F_SETFL O_APPEND; node does not
// report the flag back, so only its effect is checked), fd_renumber (direct WASI call),
// fd_advise (posix_fadvise), fd_allocate (posix_fallocate), fd_sync, fd_datasync, and
// path_open/path_create_directory/path_unlink_file relative to a directory descriptor.
// fd_renumber onto a closed target is EBADF in node, wasmtime and Loom (finding 9a).
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static const char *ftype(__wasi_filetype_t t) {
  switch (t) {
  case __WASI_FILETYPE_REGULAR_FILE: return "regular";
  case __WASI_FILETYPE_DIRECTORY: return "directory";
  case __WASI_FILETYPE_CHARACTER_DEVICE: return "chardev";
  case __WASI_FILETYPE_SYMBOLIC_LINK: return "symlink";
  case __WASI_FILETYPE_UNKNOWN: return "unknown";
  default: return "other";
  }
}

static void content(const char *path) {
  char buf[64] = {0};
  int fd = open(path, O_RDONLY);
  read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("  %s: [%s]\n", path, buf);
}

int main(void) {
  // Preopens start at fd 3.
  for (int fd = 3; fd < 8; fd++) {
    __wasi_prestat_t ps;
    __wasi_errno_t e = __wasi_fd_prestat_get(fd, &ps);
    if (e) {
      printf("prestat %d: %s\n", fd, errno_name(e));
      break;
    }
    char name[64] = {0};
    e = __wasi_fd_prestat_dir_name(fd, (uint8_t *)name, ps.u.dir.pr_name_len);
    printf("prestat %d: dir [%s] (%s)\n", fd, name, errno_name(e));
  }
  __wasi_fdstat_t st;
  __wasi_errno_t e = __wasi_fd_fdstat_get(3, &st);
  printf("fdstat preopen: %s %s\n", errno_name(e), ftype(st.fs_filetype));

  int fd = open("/sandbox/f.txt", O_CREAT | O_RDWR, 0644);
  e = __wasi_fd_fdstat_get(fd, &st);
  printf("fdstat file: %s %s, append flag: %s\n", errno_name(e), ftype(st.fs_filetype),
         YESNO(st.fs_flags & __WASI_FDFLAGS_APPEND));
  write(fd, "0123456789", 10);
  int fl = fcntl(fd, F_GETFL);
  printf("F_GETFL: O_RDWR %s, O_APPEND %s\n", YESNO((fl & O_ACCMODE) == O_RDWR), YESNO(fl & O_APPEND));
  CHECK("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
  lseek(fd, 0, SEEK_SET);
  write(fd, "AB", 2);
  content("/sandbox/f.txt");
  CHECK("F_SETFL 0", fcntl(fd, F_SETFL, 0));
  lseek(fd, 0, SEEK_SET);
  write(fd, "CD", 2);
  content("/sandbox/f.txt");

  printf("posix_fadvise: %s\n", errno_name(posix_fadvise(fd, 0, 10, POSIX_FADV_SEQUENTIAL)));
  printf("posix_fadvise bad advice: %s\n", errno_name(posix_fadvise(fd, 0, 10, 99)));
  printf("posix_fallocate to 100: %s\n", errno_name(posix_fallocate(fd, 0, 100)));
  struct stat s;
  fstat(fd, &s);
  printf("size after fallocate: %lld\n", (long long)s.st_size);
  printf("posix_fallocate inside: %s\n", errno_name(posix_fallocate(fd, 0, 10)));
  fstat(fd, &s);
  printf("size after fallocate inside: %lld\n", (long long)s.st_size);
  CHECK("fsync", fsync(fd));
  CHECK("fdatasync", fdatasync(fd));

  // fd_renumber: move fd onto a second open file; the old number is closed afterwards.
  int other = open("/sandbox/g.txt", O_CREAT | O_RDWR, 0644);
  e = __wasi_fd_renumber(fd, other);
  printf("fd_renumber: %s\n", errno_name(e));
  char buf[4] = {0};
  printf("read via new number: %zd [%.3s]\n", pread(other, buf, 3, 0), buf);
  CHECK("close old number", close(fd));
  printf("fd_renumber bad source: %s\n", errno_name(__wasi_fd_renumber(99, other)));
  printf("fd_renumber onto a closed target: %s\n", errno_name(__wasi_fd_renumber(other, 99)));
  printf("still open after: %zd\n", pread(other, buf, 3, 0));
  close(other);

  // Descriptor-relative opens from a directory fd.
  mkdir("/sandbox/sub", 0755);
  int dfd = open("/sandbox/sub", O_RDONLY | O_DIRECTORY);
  e = __wasi_fd_fdstat_get(dfd, &st);
  printf("fdstat dir: %s %s\n", errno_name(e), ftype(st.fs_filetype));
  int rel = CHECK("openat create", openat(dfd, "rel.txt", O_CREAT | O_WRONLY, 0644));
  write(rel, "relative", 8);
  close(rel);
  CHECK("mkdirat", mkdirat(dfd, "deeper", 0755));
  CHECK("unlinkat", unlinkat(dfd, "rel.txt", 0));
  CHECK("unlinkat AT_REMOVEDIR", unlinkat(dfd, "deeper", AT_REMOVEDIR));
  close(dfd);
  content("/sandbox/f.txt");
  return 0;
}
