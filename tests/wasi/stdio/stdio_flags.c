// stdio_flags (finding 7): fcntl(F_SETFL) on stdio. The guest makes stdin non-blocking and stdout
// appending and non-blocking. Loom must keep those flags in its own descriptor table: the host's
// open file descriptions are shared with the parent shell and must keep their flags, during the
// run and after it. host_stdio_test.py runs it with stdin an empty pipe it holds the write end
// of, stdout a regular file holding "0123456789" at offset 0, and stderr a pipe it reads: after
// "ready" it checks the host's flags, then writes "go"; after "blocking" it waits, writes "late".
#include "../programs/common.h"
#include <fcntl.h>
#include <poll.h>

static void show_read(const char *label) {
  char buf[32] = {0};
  ssize_t n = read(0, buf, sizeof buf - 1);
  if (n < 0) {
    fprintf(stderr, "%s: %s\n", label, errno_name(errno));
    return;
  }
  buf[strcspn(buf, "\n")] = 0;
  fprintf(stderr, "%s: [%s]\n", label, buf);
}

int main(void) {
  const int in = fcntl(0, F_GETFL), out = fcntl(1, F_GETFL);
  fprintf(stderr, "F_SETFL 0 O_NONBLOCK: %s\n",
          fcntl(0, F_SETFL, in | O_NONBLOCK) == 0 ? "ok" : errno_name(errno));
  fprintf(stderr, "F_SETFL 1 O_APPEND|O_NONBLOCK: %s\n",
          fcntl(1, F_SETFL, out | O_APPEND | O_NONBLOCK) == 0 ? "ok" : errno_name(errno));
  const int in_now = fcntl(0, F_GETFL), out_now = fcntl(1, F_GETFL);
  fprintf(stderr, "F_GETFL 0: O_NONBLOCK %s\n", YESNO(in_now & O_NONBLOCK));
  fprintf(stderr, "F_GETFL 1: O_APPEND %s, O_NONBLOCK %s\n", YESNO(out_now & O_APPEND),
          YESNO(out_now & O_NONBLOCK));
  show_read("read of the empty pipe");
  fprintf(stderr, "write to stdout: %zd\n", write(1, "APPENDED\n", 9));
  fprintf(stderr, "ready\n");

  struct pollfd request = {.fd = 0, .events = POLLIN};
  fprintf(stderr, "poll: %d\n", poll(&request, 1, 20000));
  show_read("read after poll");

  fprintf(stderr, "F_SETFL 0 blocking: %s\n",
          fcntl(0, F_SETFL, in & ~O_NONBLOCK) == 0 ? "ok" : errno_name(errno));
  fprintf(stderr, "blocking\n");
  show_read("blocking read");
  return 0;
}
