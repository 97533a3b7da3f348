// isatty (finding 10): what the guest sees of its three standard descriptors, written to
// /sandbox/result.txt since stdio may be /dev/null or a terminal: isatty(), the WASI file type and
// whether the descriptor has the seek and tell rights (wasi-libc's isatty() is "a character
// device without them"). host_stdio_test.py runs it with stdio on /dev/null, a pipe, a regular
// file and a pseudo-terminal, and compares isatty with the host's and with Node.js's answer.
#include "../programs/common.h"
#include <wasi/api.h>

static const char *ftype(__wasi_filetype_t t) {
  switch (t) {
  case __WASI_FILETYPE_REGULAR_FILE: return "regular";
  case __WASI_FILETYPE_CHARACTER_DEVICE: return "chardev";
  case __WASI_FILETYPE_SOCKET_STREAM: return "socket";
  case __WASI_FILETYPE_UNKNOWN: return "unknown";
  default: return "other";
  }
}

int main(void) {
  FILE *out = fopen("/sandbox/result.txt", "w");
  if (!out) return 1;
  for (int fd = 0; fd < 3; fd++) {
    __wasi_fdstat_t st;
    __wasi_errno_t e = __wasi_fd_fdstat_get(fd, &st);
    const __wasi_rights_t seek_tell = __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL;
    fprintf(out, "fd %d: isatty %d, %s, seek and tell %s\n", fd, isatty(fd),
            e ? errno_name(e) : ftype(st.fs_filetype),
            YESNO((st.fs_rights_base & seek_tell) == seek_tell));
  }
  return fclose(out) == 0 ? 0 : 1;
}
