// exit: proc_exit with several codes through exit(), _Exit() and returning from main; stdio
// buffers are flushed by exit() but not by _Exit(); atexit handlers run on exit().
// ARGS: exit 0
// ARGS: exit 1
// ARGS: exit 42
// ARGS: exit 255
// ARGS: exit 256
// ARGS: _Exit 7
// ARGS: return 0
// ARGS: return 3
// ARGS: return 200
#include "common.h"
#include <stdlib.h>
#include <unistd.h>

static void at_exit(void) { printf("atexit handler ran\n"); }

int main(int argc, char **argv) {
  if (argc != 3) return 99;
  int code = atoi(argv[2]);
  atexit(at_exit);
  printf("mode %s code %d (buffered)", argv[1], code);
  if (!strcmp(argv[1], "exit")) exit(code);
  if (!strcmp(argv[1], "_Exit")) _Exit(code);
  printf("\n");
  return code;
}
