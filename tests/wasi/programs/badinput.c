// badinput (Loom only): WASI calls with pointers and lengths outside linear memory, invalid fds
// and invalid flags get an errno (EFAULT, EBADF, EINVAL) and never crash the host or touch memory
// outside the guest's. Pointer arguments go through raw imports declared here, so that libc never
// looks at them (wasi/api.h would strlen() a path).
// ENV: A=1
#include "common.h"
#include <fcntl.h>
#include <stdint.h>
#include <wasi/api.h>

#define IMPORT(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))
IMPORT(fd_write) int32_t raw_fd_write(int32_t fd, uint32_t iovs, uint32_t n, uint32_t nwritten);
IMPORT(fd_read) int32_t raw_fd_read(int32_t fd, uint32_t iovs, uint32_t n, uint32_t nread);
IMPORT(fd_seek) int32_t raw_fd_seek(int32_t fd, int64_t off, int32_t whence, uint32_t result);
IMPORT(fd_filestat_get) int32_t raw_fd_filestat_get(int32_t fd, uint32_t buf);
IMPORT(fd_fdstat_get) int32_t raw_fd_fdstat_get(int32_t fd, uint32_t buf);
IMPORT(fd_readdir) int32_t raw_fd_readdir(int32_t fd, uint32_t buf, uint32_t len, uint64_t cookie, uint32_t used);
IMPORT(fd_prestat_dir_name) int32_t raw_fd_prestat_dir_name(int32_t fd, uint32_t buf, uint32_t len);
IMPORT(path_open) int32_t raw_path_open(int32_t fd, int32_t dirflags, uint32_t path, uint32_t len, int32_t oflags,
                                        uint64_t base, uint64_t inheriting, int32_t fdflags, uint32_t out);
IMPORT(path_filestat_get) int32_t raw_path_filestat_get(int32_t fd, int32_t flags, uint32_t path, uint32_t len, uint32_t buf);
IMPORT(path_readlink) int32_t raw_path_readlink(int32_t fd, uint32_t path, uint32_t len, uint32_t buf, uint32_t buf_len, uint32_t used);
IMPORT(path_create_directory) int32_t raw_path_create_directory(int32_t fd, uint32_t path, uint32_t len);
IMPORT(args_sizes_get) int32_t raw_args_sizes_get(uint32_t argc, uint32_t size);
IMPORT(args_get) int32_t raw_args_get(uint32_t argv, uint32_t buf);
IMPORT(environ_get) int32_t raw_environ_get(uint32_t env, uint32_t buf);
IMPORT(random_get) int32_t raw_random_get(uint32_t buf, uint32_t len);
IMPORT(clock_time_get) int32_t raw_clock_time_get(int32_t id, uint64_t precision, uint32_t result);
IMPORT(clock_res_get) int32_t raw_clock_res_get(int32_t id, uint32_t result);
IMPORT(poll_oneoff) int32_t raw_poll_oneoff(uint32_t in, uint32_t out, uint32_t n, uint32_t nevents);

#define SHOW(label, call) printf("%s: %s\n", label, errno_name(call))
#define P(x) ((uint32_t)(uintptr_t)(x))
#define R __WASI_RIGHTS_FD_READ

int main(void) {
  uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
  uint32_t edge = end - 4, top = 0xfffffff0u;
  static char path[] = "file.txt", link[] = "rel_secret", nul_path[] = "file.txt\0junk";
  static uint64_t scratch[16];
  uint32_t n = P(&scratch[0]), big = P(&scratch[2]);
  int wfd = open("/sandbox/out.txt", O_CREAT | O_WRONLY, 0644);
  int rfd = open("/sandbox/file.txt", O_RDONLY);
  int dirfd = open("/sandbox", O_RDONLY | O_DIRECTORY);
  __wasi_ciovec_t good = {(const uint8_t *)"hi\n", 3};
  __wasi_ciovec_t crossing = {(const uint8_t *)(uintptr_t)edge, 16};
  __wasi_ciovec_t huge = {(const uint8_t *)"x", 0xffffffffu};
  __wasi_iovec_t into_edge = {(uint8_t *)(uintptr_t)edge, 64};
  __wasi_iovec_t into_top = {(uint8_t *)(uintptr_t)top, 64};

  SHOW("fd_write iovs past memory", raw_fd_write(wfd, end, 1, n));
  SHOW("fd_write iovs near 4 GiB", raw_fd_write(wfd, top, 4, n));
  SHOW("fd_write iov buffer crossing the end", raw_fd_write(wfd, P(&crossing), 1, n));
  SHOW("fd_write iov length 4 GiB", raw_fd_write(wfd, P(&huge), 1, n));
  SHOW("fd_write iovs count 2^30", raw_fd_write(wfd, P(&good), 1u << 30, n));
  SHOW("fd_write nwritten past memory", raw_fd_write(wfd, P(&good), 1, end));
  SHOW("fd_write bad fd", raw_fd_write(1234, P(&good), 1, n));
  SHOW("fd_read into buffer crossing the end", raw_fd_read(rfd, P(&into_edge), 1, n));
  SHOW("fd_read into buffer near 4 GiB", raw_fd_read(rfd, P(&into_top), 1, n));
  SHOW("fd_seek whence 7", raw_fd_seek(rfd, 0, 7, big));
  SHOW("fd_seek result past memory", raw_fd_seek(rfd, 0, __WASI_WHENCE_SET, end));
  SHOW("fd_filestat_get buf crossing the end", raw_fd_filestat_get(rfd, edge));
  SHOW("fd_fdstat_get buf crossing the end", raw_fd_fdstat_get(rfd, edge));
  SHOW("fd_readdir buf crossing the end", raw_fd_readdir(dirfd, edge, 1024, 0, n));
  SHOW("fd_prestat_dir_name buf crossing the end", raw_fd_prestat_dir_name(3, edge, 64));
  SHOW("fd_advise bad advice", __wasi_fd_advise(rfd, 0, 0, 99));
  SHOW("fd_fdstat_set_flags bad flags", __wasi_fd_fdstat_set_flags(wfd, 0xff00));
  SHOW("fd_filestat_set_times bad flags", __wasi_fd_filestat_set_times(wfd, 0, 0, 0xff00));
  SHOW("fd_filestat_set_times ATIM|ATIM_NOW",
       __wasi_fd_filestat_set_times(wfd, 0, 0, __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_ATIM_NOW));

  SHOW("path_open path past memory", raw_path_open(dirfd, 0, end, 8, 0, R, 0, 0, n));
  SHOW("path_open path crossing the end", raw_path_open(dirfd, 0, edge, 8, 0, R, 0, 0, n));
  SHOW("path_open path length 4 GiB", raw_path_open(dirfd, 0, P(path), 0xffffffffu, 0, R, 0, 0, n));
  SHOW("path_open undefined rights bits", raw_path_open(dirfd, 0, P(path), 8, 0, ~0ull, 0, 0, n));
  SHOW("path_open bad oflags", raw_path_open(dirfd, 0, P(path), 8, 0xff00, R, 0, 0, n));
  SHOW("path_open bad fdflags", raw_path_open(dirfd, 0, P(path), 8, 0, R, 0, 0xff00, n));
  SHOW("path_open bad fd", raw_path_open(9999, 0, P(path), 8, 0, R, 0, 0, n));
  SHOW("path_open on a file fd", raw_path_open(rfd, 0, P(path), 8, 0, R, 0, 0, n));
  SHOW("path_open path with NUL", raw_path_open(dirfd, 0, P(nul_path), 13, 0, R, 0, 0, n));
  SHOW("path_open fd result past memory", raw_path_open(dirfd, 0, P(path), 8, 0, R, 0, 0, end));
  SHOW("path_filestat_get path past memory", raw_path_filestat_get(dirfd, 0, end, 8, big));
  SHOW("path_filestat_get buf crossing the end", raw_path_filestat_get(dirfd, 0, P(path), 8, edge));
  SHOW("path_readlink buf past memory", raw_path_readlink(dirfd, P(link), 10, end, 10, n));
  SHOW("path_create_directory path past memory", raw_path_create_directory(dirfd, end, 3));
  SHOW("path_create_directory empty path", raw_path_create_directory(dirfd, P(path), 0));

  SHOW("args_sizes_get result past memory", raw_args_sizes_get(end, n));
  SHOW("args_get argv past memory", raw_args_get(end, big));
  SHOW("environ_get buffer past memory", raw_environ_get(big, end));
  SHOW("random_get buffer crossing the end", raw_random_get(edge, 64));
  SHOW("random_get length 4 GiB", raw_random_get(big, 0xffffffffu));
  SHOW("clock_time_get clock 99", raw_clock_time_get(99, 0, big));
  SHOW("clock_time_get result past memory", raw_clock_time_get(__WASI_CLOCKID_MONOTONIC, 0, end));
  SHOW("clock_res_get clock 99", raw_clock_res_get(99, big));

  static __wasi_subscription_t sub;
  static __wasi_event_t ev[2];
  SHOW("poll_oneoff zero subscriptions", raw_poll_oneoff(P(&sub), P(ev), 0, n));
  SHOW("poll_oneoff subscriptions past memory", raw_poll_oneoff(end, P(ev), 1, n));
  SHOW("poll_oneoff events past memory", raw_poll_oneoff(P(&sub), end, 1, n));
  sub.u.tag = 7;
  SHOW("poll_oneoff bad event tag", raw_poll_oneoff(P(&sub), P(ev), 1, n));
  sub.u.tag = __WASI_EVENTTYPE_FD_READ;
  sub.u.u.fd_read.file_descriptor = 9999;
  SHOW("poll_oneoff fd_read on bad fd", raw_poll_oneoff(P(&sub), P(ev), 1, n));
  printf("  event error: %s\n", errno_name(ev[0].error));
  printf("still running: yes\n");
  return 0;
}
