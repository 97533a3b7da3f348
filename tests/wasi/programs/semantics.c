// semantics (Loom only): behaviour where node:wasi deviates from wasmtime and POSIX, so it cannot
// be in the differential tests: nanosecond file times, and keeping the nanoseconds of the time
// left alone by ATIM_NOW/MTIM_NOW (fd/path_filestat_set_times; node re-sets it in whole
// seconds), F_GETFL reporting O_APPEND (fd_fdstat_get flags), O_NOFOLLOW on a symlink (ELOOP),
// readlink into a short buffer (truncates), poll_oneoff on regular files and on stdout (ready),
// clock_nanosleep with an absolute deadline (subscription clock abstime), relative symlinks with
// ".." that stay inside the sandbox.
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

static long long now_ns(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(void) {
  int fd = open("/sandbox/t.txt", O_CREAT | O_RDWR, 0644);
  struct timespec ts[2] = {{1000000000, 123456789}, {1500000000, 987654321}};
  CHECK("futimens", futimens(fd, ts));
  struct stat st;
  fstat(fd, &st);
  printf("atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec, st.st_atim.tv_nsec,
         (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  // wasi-libc answers EINVAL to UTIME_NOW/UTIME_OMIT itself: use the raw calls.
  long long now = now_ns(CLOCK_REALTIME) / 1000000000;
  printf("MTIM_NOW: %s\n", errno_name(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW)));
  fstat(fd, &st);
  printf("atime kept: %s, mtime now: %s\n", YESNO(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789),
         YESNO(st.st_mtim.tv_sec >= now - 5 && st.st_mtim.tv_sec <= now + 1));
  struct timespec mtime_before = st.st_mtim;
  printf("ATIM_NOW: %s\n", errno_name(__wasi_path_filestat_set_times(3, 0, "t.txt", 0, 0, __WASI_FSTFLAGS_ATIM_NOW)));
  stat("/sandbox/t.txt", &st);
  printf("atime now: %s, mtime kept: %s\n", YESNO(st.st_atim.tv_sec >= now - 5 && st.st_atim.tv_sec <= now + 1),
         YESNO(st.st_mtim.tv_sec == mtime_before.tv_sec && st.st_mtim.tv_nsec == mtime_before.tv_nsec));

  CHECK("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
  printf("F_GETFL has O_APPEND: %s\n", YESNO(fcntl(fd, F_GETFL) & O_APPEND));
  CHECK("F_SETFL 0", fcntl(fd, F_SETFL, 0));
  printf("F_GETFL has O_APPEND: %s\n", YESNO(fcntl(fd, F_GETFL) & O_APPEND));

  struct pollfd fds[3] = {{.fd = fd, .events = POLLIN}, {.fd = fd, .events = POLLOUT}, {.fd = 1, .events = POLLOUT}};
  int n = poll(fds, 3, 1000);
  printf("poll file+stdout: %d ready, file POLLIN %s, file POLLOUT %s, stdout POLLOUT %s\n", n,
         YESNO(fds[0].revents & POLLIN), YESNO(fds[1].revents & POLLOUT), YESNO(fds[2].revents & POLLOUT));
  close(fd);

  symlink("t.txt", "/sandbox/link");
  CHECK("open link O_NOFOLLOW", open("/sandbox/link", O_RDONLY | O_NOFOLLOW));
  char buf[8] = {0};
  ssize_t len = readlink("/sandbox/link", buf, 3);
  printf("readlink into 3 bytes: %zd [%.3s]\n", len, buf);

  mkdir("/sandbox/a", 0755);
  mkdir("/sandbox/a/b", 0755);
  CHECK("symlink ../t.txt as a/up", symlink("../t.txt", "/sandbox/a/up"));
  CHECK("symlink ../../a as a/b/aa", symlink("../../a", "/sandbox/a/b/aa"));
  CHECK("open a/up", open("/sandbox/a/up", O_RDONLY));
  CHECK("open a/b/aa/up", open("/sandbox/a/b/aa/up", O_RDONLY));

  long long t0 = now_ns(CLOCK_MONOTONIC);
  struct timespec deadline = {0, 0};
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_nsec += 20000000;
  if (deadline.tv_nsec >= 1000000000) deadline.tv_sec++, deadline.tv_nsec -= 1000000000;
  printf("clock_nanosleep abstime: %s\n", errno_name(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL)));
  long long ms = (now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
  printf("slept >= 20 ms: %s, < 2 s: %s\n", YESNO(ms >= 20), YESNO(ms < 2000));
  return 0;
}
