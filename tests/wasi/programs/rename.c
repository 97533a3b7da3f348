// rename: path_rename for files and directories: plain move, into a subdirectory, over an
// existing file, directory over an empty directory, directory over a non-empty directory
// (ENOTEMPTY), file over a directory (EISDIR), directory over a file (ENOTDIR), missing source
// (ENOENT), directory into itself (EINVAL), rename to the same name.
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(const char *path, const char *text) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  write(fd, text, strlen(text));
  close(fd);
}

static void show(const char *path) {
  char buf[64] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("  %s: %s\n", path, errno_name(errno));
    return;
  }
  read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("  %s: [%s]\n", path, buf);
}

int main(void) {
  put("/sandbox/a", "A");
  put("/sandbox/b", "B");
  mkdir("/sandbox/d", 0755);
  mkdir("/sandbox/empty", 0755);
  mkdir("/sandbox/full", 0755);
  put("/sandbox/full/inner", "I");

  CHECK("rename a -> a2", rename("/sandbox/a", "/sandbox/a2"));
  show("/sandbox/a");
  show("/sandbox/a2");
  CHECK("rename a2 -> d/a3", rename("/sandbox/a2", "/sandbox/d/a3"));
  show("/sandbox/d/a3");
  CHECK("rename b over d/a3", rename("/sandbox/b", "/sandbox/d/a3"));
  show("/sandbox/b");
  show("/sandbox/d/a3");
  CHECK("rename same name", rename("/sandbox/d/a3", "/sandbox/d/a3"));
  show("/sandbox/d/a3");
  CHECK("rename missing", rename("/sandbox/nope", "/sandbox/x"));
  CHECK("rename into missing dir", rename("/sandbox/d/a3", "/sandbox/nodir/x"));

  CHECK("rename dir d -> d2", rename("/sandbox/d", "/sandbox/d2"));
  show("/sandbox/d2/a3");
  CHECK("rename dir over empty dir", rename("/sandbox/d2", "/sandbox/empty"));
  show("/sandbox/empty/a3");
  struct stat st;
  CHECK("stat d2 after", stat("/sandbox/d2", &st));
  CHECK("rename dir over non-empty dir", rename("/sandbox/empty", "/sandbox/full"));
  CHECK("rename file over dir", rename("/sandbox/empty/a3", "/sandbox/full"));
  CHECK("rename dir over file", rename("/sandbox/full", "/sandbox/empty/a3"));
  CHECK("rename dir into itself", rename("/sandbox/full", "/sandbox/full/sub"));
  CHECK("rename with trailing slash", rename("/sandbox/full/", "/sandbox/full2/"));
  show("/sandbox/full2/inner");
  return 0;
}
