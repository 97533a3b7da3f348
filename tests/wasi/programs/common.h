// Shared helpers for the WASI test programs: errno names (independent of strerror wording) and
// one-line checks that print what they observe.
#ifndef LOOM_WASI_TEST_COMMON_H
#define LOOM_WASI_TEST_COMMON_H
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline const char *errno_name(int e) {
  switch (e) {
  case 0: return "OK";
  case E2BIG: return "E2BIG";
  case EACCES: return "EACCES";
  case EADDRINUSE: return "EADDRINUSE";
  case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
  case EAFNOSUPPORT: return "EAFNOSUPPORT";
  case EAGAIN: return "EAGAIN";
  case EALREADY: return "EALREADY";
  case EBADF: return "EBADF";
  case EBADMSG: return "EBADMSG";
  case EBUSY: return "EBUSY";
  case ECANCELED: return "ECANCELED";
  case ECHILD: return "ECHILD";
  case ECONNABORTED: return "ECONNABORTED";
  case ECONNREFUSED: return "ECONNREFUSED";
  case ECONNRESET: return "ECONNRESET";
  case EDEADLK: return "EDEADLK";
  case EDESTADDRREQ: return "EDESTADDRREQ";
  case EDOM: return "EDOM";
  case EDQUOT: return "EDQUOT";
  case EEXIST: return "EEXIST";
  case EFAULT: return "EFAULT";
  case EFBIG: return "EFBIG";
  case EHOSTUNREACH: return "EHOSTUNREACH";
  case EIDRM: return "EIDRM";
  case EILSEQ: return "EILSEQ";
  case EINPROGRESS: return "EINPROGRESS";
  case EINTR: return "EINTR";
  case EINVAL: return "EINVAL";
  case EIO: return "EIO";
  case EISCONN: return "EISCONN";
  case EISDIR: return "EISDIR";
  case ELOOP: return "ELOOP";
  case EMFILE: return "EMFILE";
  case EMLINK: return "EMLINK";
  case EMSGSIZE: return "EMSGSIZE";
  case EMULTIHOP: return "EMULTIHOP";
  case ENAMETOOLONG: return "ENAMETOOLONG";
  case ENETDOWN: return "ENETDOWN";
  case ENETRESET: return "ENETRESET";
  case ENETUNREACH: return "ENETUNREACH";
  case ENFILE: return "ENFILE";
  case ENOBUFS: return "ENOBUFS";
  case ENODEV: return "ENODEV";
  case ENOENT: return "ENOENT";
  case ENOEXEC: return "ENOEXEC";
  case ENOLCK: return "ENOLCK";
  case ENOLINK: return "ENOLINK";
  case ENOMEM: return "ENOMEM";
  case ENOMSG: return "ENOMSG";
  case ENOPROTOOPT: return "ENOPROTOOPT";
  case ENOSPC: return "ENOSPC";
  case ENOSYS: return "ENOSYS";
  case ENOTCONN: return "ENOTCONN";
  case ENOTDIR: return "ENOTDIR";
  case ENOTEMPTY: return "ENOTEMPTY";
  case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
  case ENOTSOCK: return "ENOTSOCK";
  case ENOTSUP: return "ENOTSUP";
  case ENOTTY: return "ENOTTY";
  case ENXIO: return "ENXIO";
  case EOVERFLOW: return "EOVERFLOW";
  case EOWNERDEAD: return "EOWNERDEAD";
  case EPERM: return "EPERM";
  case EPIPE: return "EPIPE";
  case EPROTO: return "EPROTO";
  case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
  case EPROTOTYPE: return "EPROTOTYPE";
  case ERANGE: return "ERANGE";
  case EROFS: return "EROFS";
  case ESPIPE: return "ESPIPE";
  case ESRCH: return "ESRCH";
  case ESTALE: return "ESTALE";
  case ETIMEDOUT: return "ETIMEDOUT";
  case ETXTBSY: return "ETXTBSY";
  case EXDEV: return "EXDEV";
  case ENOTCAPABLE: return "ENOTCAPABLE";
  default: return "E?";
  }
}

// "a directory", or the first line of what the descriptor reads.
static inline const char *first_line(int fd) {
  static char buf[80];
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) return "a directory";
  memset(buf, 0, sizeof buf);
  strcpy(buf, "read: ");
  ssize_t n = read(fd, buf + 6, sizeof buf - 7);
  if (n < 0) return errno_name(errno);
  buf[strcspn(buf, "\n")] = 0;
  return buf;
}

// Prints "label: ok" when rc >= 0, else "label: ERRNAME".
static inline int report(const char *label, int rc) {
  printf("%s: %s\n", label, rc >= 0 ? "ok" : errno_name(errno));
  return rc;
}

// Same for calls that return a pointer.
static inline void *report_ptr(const char *label, void *p) {
  printf("%s: %s\n", label, p ? "ok" : errno_name(errno));
  return p;
}

#define CHECK(label, expr) report(label, (errno = 0, (int)(expr)))
#define YESNO(b) ((b) ? "yes" : "no")

#endif
