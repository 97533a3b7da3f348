// escape_readonly (Loom only): the driver preopens a read-only directory as /ro (file.txt, sub/).
// Reads and listings work; every change is refused: open for writing, create, truncate, mkdir,
// rmdir, unlink, rename (inside /ro and into it from /sandbox), link, symlink, set times, and
// fd_write/ftruncate/fd_allocate on a descriptor from /ro.
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
  char buf[64] = {0};
  int fd = CHECK("open /ro/file.txt O_RDONLY", open("/ro/file.txt", O_RDONLY));
  read(fd, buf, sizeof buf - 1);
  printf("content: [%.*s]\n", (int)strcspn(buf, "\n"), buf);
  errno = 0;
  printf("write on it: %s\n", write(fd, "x", 1) < 0 ? errno_name(errno) : "WROTE");
  CHECK("ftruncate on it", ftruncate(fd, 0));
  printf("posix_fallocate on it: %s\n", errno_name(posix_fallocate(fd, 0, 1000)));
  struct timespec ts[2] = {{1, 0}, {1, 0}};
  CHECK("futimens on it", futimens(fd, ts));
  close(fd);

  DIR *d = opendir("/ro");
  int entries = 0;
  struct dirent *e;
  while (d && (e = readdir(d))) entries += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
  printf("opendir /ro: %s, entries: %d\n", d ? "ok" : errno_name(errno), entries);
  if (d) closedir(d);
  struct stat st;
  CHECK("stat /ro/sub", stat("/ro/sub", &st));

  CHECK("open O_WRONLY", open("/ro/file.txt", O_WRONLY));
  CHECK("open O_RDWR", open("/ro/file.txt", O_RDWR));
  CHECK("open O_APPEND", open("/ro/file.txt", O_WRONLY | O_APPEND));
  CHECK("open O_TRUNC", open("/ro/file.txt", O_RDONLY | O_TRUNC));
  CHECK("create /ro/new.txt", open("/ro/new.txt", O_CREAT | O_WRONLY, 0644));
  CHECK("mkdir /ro/newdir", mkdir("/ro/newdir", 0755));
  CHECK("rmdir /ro/sub", rmdir("/ro/sub"));
  CHECK("unlink /ro/file.txt", unlink("/ro/file.txt"));
  CHECK("rename in /ro", rename("/ro/file.txt", "/ro/renamed.txt"));
  CHECK("rename /ro -> /sandbox", rename("/ro/file.txt", "/sandbox/taken.txt"));
  CHECK("rename /sandbox -> /ro", rename("/sandbox/file.txt", "/ro/given.txt"));
  CHECK("link in /ro", link("/ro/file.txt", "/ro/link.txt"));
  CHECK("symlink in /ro", symlink("file.txt", "/ro/sym"));
  CHECK("utimensat /ro/file.txt", utimensat(AT_FDCWD, "/ro/file.txt", ts, 0));
  CHECK("stat /ro/new.txt afterwards", stat("/ro/new.txt", &st));
  return 0;
}
