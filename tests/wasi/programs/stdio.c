// stdio: fd_write to stdout and stderr (stdio and raw write), fd_read of all of stdin,
// fd_fdstat_get on the three standard descriptors.
// STDIN: first line\nsecond line\nno newline at end
#include "common.h"
#include <unistd.h>

int main(void) {
  printf("hello from printf\n");
  fflush(stdout);
  write(1, "hello from write(1)\n", 20);
  fprintf(stderr, "hello from stderr\n");
  write(2, "hello from write(2)\n", 20);

  char buf[4096];
  size_t total = 0;
  for (;;) {
    ssize_t n = read(0, buf + total, sizeof buf - 1 - total);
    if (n < 0) {
      printf("read stdin: %s\n", errno_name(errno));
      return 1;
    }
    if (n == 0) break;
    total += (size_t)n;
  }
  buf[total] = 0;
  printf("stdin bytes: %zu\n", total);
  printf("stdin text: [%s]\n", buf);
  printf("read at EOF again: %zd\n", read(0, buf, sizeof buf));

  // Lines through stdio on stdout interleaved with raw writes keep their order after fflush.
  for (int i = 0; i < 3; i++) {
    printf("line %d\n", i);
    fflush(stdout);
    write(1, "raw\n", 4);
  }
  // A large write in one call.
  static char big[70000];
  memset(big, 'x', sizeof big);
  big[sizeof big - 1] = '\n';
  ssize_t w = write(1, big, sizeof big);
  printf("big write: %zd\n", w);
  return 0;
}
