// escape_loop (Loom only): symlink loops and long chains end in ELOOP, never a hang or a crash:
// two-link loops, a link to itself, a directory link to "." repeated in a path, chains of 30
// (must work) and 50 links (past the Linux limit of 40), O_NOFOLLOW on a symlink.
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static int sb;

static void try_open(const char *path, int flags) {
  errno = 0;
  int fd = openat(sb, path, flags);
  printf("open %.60s%s: %s\n", path, strlen(path) > 60 ? "..." : "", fd < 0 ? errno_name(errno) : "ok");
  if (fd >= 0) close(fd);
}

int main(void) {
  sb = open("/sandbox", O_RDONLY | O_DIRECTORY);
  symlinkat("loop_b", sb, "loop_a");
  symlinkat("loop_a", sb, "loop_b");
  symlinkat("self", sb, "self");
  symlinkat(".", sb, "dot");
  symlinkat("file.txt", sb, "to_file");
  try_open("loop_a", O_RDONLY);
  try_open("self", O_RDONLY);
  try_open("self/x", O_RDONLY);
  try_open("loop_a", O_RDONLY | O_CREAT);
  try_open("self", O_RDONLY | O_NOFOLLOW);
  try_open("to_file", O_RDONLY | O_NOFOLLOW);
  try_open("to_file", O_RDONLY);
  struct stat st;
  CHECK("stat loop_a", fstatat(sb, "loop_a", &st, 0));
  CHECK("lstat loop_a", fstatat(sb, "loop_a", &st, AT_SYMLINK_NOFOLLOW));
  CHECK("mkdir self/sub", mkdirat(sb, "self/sub", 0755));

  char path[512] = "";
  for (int i = 0; i < 30; i++) strcat(path, "dot/");
  strcat(path, "file.txt");
  try_open(path, O_RDONLY);
  path[0] = 0;
  for (int i = 0; i < 50; i++) strcat(path, "dot/");
  strcat(path, "file.txt");
  try_open(path, O_RDONLY);

  // chain_0 -> chain_1 -> ... -> chain_N -> file.txt
  char name[32], target[32];
  for (int i = 0; i < 50; i++) {
    snprintf(name, sizeof name, "chain_%d", i);
    snprintf(target, sizeof target, i == 49 ? "file.txt" : "chain_%d", i + 1);
    symlinkat(target, sb, name);
  }
  try_open("chain_20", O_RDONLY);
  try_open("chain_0", O_RDONLY);
  CHECK("unlink self", unlinkat(sb, "self", 0));
  CHECK("unlink loop_a", unlinkat(sb, "loop_a", 0));
  return 0;
}
