// times: fd_filestat_set_times (futimens), path_filestat_set_times (utimensat, utimes) with
// explicit times, read back through fd_filestat_get and path_filestat_get; a write moves mtime.
// Node drops the fraction of a second, so this test sets whole seconds only (the loom-only test
// semantics covers nanoseconds). This wasi-libc snapshot answers EINVAL to UTIME_NOW/UTIME_OMIT
// by itself, so "now" and "leave alone" are set with the raw calls (ATIM_NOW/MTIM_NOW flags).
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static void show(const char *label, const char *path) {
  struct stat st;
  if (stat(path, &st)) {
    printf("%s: %s\n", label, errno_name(errno));
    return;
  }
  printf("%s: atime %lld.%09ld mtime %lld.%09ld\n", label, (long long)st.st_atim.tv_sec,
         st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static int near_now(struct timespec t) {
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  long long d = (long long)now.tv_sec - (long long)t.tv_sec;
  return d >= -5 && d <= 60;
}

int main(void) {
  const char *path = "/sandbox/t.txt";
  int fd = open(path, O_CREAT | O_RDWR, 0644);
  struct stat st;
  fstat(fd, &st);
  printf("new file mtime near now: %s\n", YESNO(near_now(st.st_mtim)));

  struct timespec ts[2] = {{1000000000, 0}, {1500000000, 0}};
  CHECK("futimens", futimens(fd, ts));
  show("after futimens", path);

  struct timespec ts2[2] = {{1200000000, 0}, {1300000000, 0}};
  CHECK("utimensat", utimensat(AT_FDCWD, path, ts2, 0));
  show("after utimensat", path);
  // Only mtime to now, atime left alone; then only atime to now.
  printf("fd_filestat_set_times MTIM_NOW: %s\n", errno_name(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW)));
  fstat(fd, &st);
  printf("atime kept: %s, mtime near now: %s\n", YESNO(st.st_atim.tv_sec == 1200000000), YESNO(near_now(st.st_mtim)));
  struct timespec mtime = st.st_mtim;
  printf("path_filestat_set_times ATIM_NOW: %s\n",
         errno_name(__wasi_path_filestat_set_times(3, 0, "t.txt", 0, 0, __WASI_FSTFLAGS_ATIM_NOW)));
  fstat(fd, &st);
  printf("atime near now: %s, mtime kept: %s\n", YESNO(near_now(st.st_atim)),
         YESNO(st.st_mtim.tv_sec == mtime.tv_sec && st.st_mtim.tv_nsec == mtime.tv_nsec));
  printf("fd_filestat_set_times MTIM only: %s\n", errno_name(__wasi_fd_filestat_set_times(fd, 0, 1234000000000000000ull, __WASI_FSTFLAGS_MTIM)));
  fstat(fd, &st);
  printf("mtime %lld.%09ld, atime still near now: %s\n", (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
         YESNO(near_now(st.st_atim)));

  struct timeval tv[2] = {{1100000000, 0}, {1400000000, 0}};
  CHECK("utimes", utimes(path, tv));
  show("after utimes", path);

  // A write moves mtime forward from the old value set above.
  write(fd, "data", 4);
  fstat(fd, &st);
  printf("mtime changed by write: %s\n", YESNO(st.st_mtim.tv_sec != 1400000000 && near_now(st.st_mtim)));
  close(fd);

  // Directories take times too; a missing path gives ENOENT.
  mkdir("/sandbox/d", 0755);
  CHECK("utimensat dir", utimensat(AT_FDCWD, "/sandbox/d", ts, 0));
  show("dir", "/sandbox/d");
  CHECK("utimensat missing", utimensat(AT_FDCWD, "/sandbox/missing", ts, 0));
  return 0;
}
