// files: path_open (O_CREAT, O_EXCL, O_TRUNC, O_APPEND, read-only/write-only), fd_read, fd_write,
// fd_pread, fd_pwrite, fd_seek (SEEK_SET/CUR/END, past the end), fd_tell, fd_filestat_set_size
// (ftruncate), fd_filestat_get (fstat), path_filestat_get (stat), fd_close, reads spanning a
// memory.grow (a 1 MiB heap buffer). The fixture provides existing.txt.
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void show_size(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) printf("stat %s: %s\n", path, errno_name(errno));
  else printf("stat %s: size %lld regular %s\n", path, (long long)st.st_size, YESNO(S_ISREG(st.st_mode)));
}

static void show_content(const char *path) {
  char buf[256];
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("open %s: %s\n", path, errno_name(errno));
    return;
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("content %s: [%s]\n", path, buf);
  close(fd);
}

int main(void) {
  // Existing file from the fixture.
  show_content("/sandbox/existing.txt");
  show_size("/sandbox/existing.txt");

  // Create, write, seek, read.
  int fd = CHECK("open new O_CREAT|O_RDWR", open("/sandbox/a.txt", O_CREAT | O_RDWR, 0644));
  printf("write: %zd\n", write(fd, "hello world", 11));
  printf("tell after write: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("seek set 6: %lld\n", (long long)lseek(fd, 6, SEEK_SET));
  char buf[64] = {0};
  printf("read: %zd [%.5s]\n", read(fd, buf, 5), buf);
  printf("seek cur -3: %lld\n", (long long)lseek(fd, -3, SEEK_CUR));
  printf("seek end -5: %lld\n", (long long)lseek(fd, -5, SEEK_END));
  printf("seek end +4: %lld\n", (long long)lseek(fd, 4, SEEK_END));
  printf("write past end: %zd\n", write(fd, "!", 1));
  struct stat st;
  CHECK("fstat", fstat(fd, &st));
  printf("fstat size: %lld\n", (long long)st.st_size);
  printf("read at end: %zd\n", read(fd, buf, sizeof buf));

  // pread / pwrite do not move the offset.
  printf("seek set 2: %lld\n", (long long)lseek(fd, 2, SEEK_SET));
  memset(buf, 0, sizeof buf);
  printf("pread 5@0: %zd [%s]\n", pread(fd, buf, 5, 0), buf);
  printf("pwrite 5@6: %zd\n", pwrite(fd, "WORLD", 5, 6));
  printf("tell after pread/pwrite: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  memset(buf, 0, sizeof buf);
  printf("pread past end: %zd\n", pread(fd, buf, 5, 1000));

  // ftruncate shrinks and grows (zero fill).
  CHECK("ftruncate 5", ftruncate(fd, 5));
  fstat(fd, &st);
  printf("size after ftruncate 5: %lld\n", (long long)st.st_size);
  CHECK("ftruncate 8", ftruncate(fd, 8));
  memset(buf, 'z', sizeof buf);
  ssize_t n = pread(fd, buf, sizeof buf, 0);
  printf("pread after grow: %zd, bytes 5..7 zero: %s\n", n, YESNO(!buf[5] && !buf[6] && !buf[7]));
  CHECK("close", close(fd));
  show_size("/sandbox/a.txt");

  // O_EXCL.
  CHECK("open existing O_CREAT|O_EXCL", open("/sandbox/a.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
  fd = CHECK("open new O_CREAT|O_EXCL", open("/sandbox/b.txt", O_CREAT | O_EXCL | O_WRONLY, 0644));
  write(fd, "bbbb", 4);
  close(fd);

  // O_TRUNC.
  fd = CHECK("open O_TRUNC", open("/sandbox/b.txt", O_WRONLY | O_TRUNC));
  show_size("/sandbox/b.txt");
  write(fd, "new", 3);
  close(fd);
  show_content("/sandbox/b.txt");

  // O_APPEND: every write goes to the end, even after a seek.
  fd = CHECK("open O_APPEND", open("/sandbox/b.txt", O_WRONLY | O_APPEND));
  lseek(fd, 0, SEEK_SET);
  write(fd, "+1", 2);
  lseek(fd, 0, SEEK_SET);
  write(fd, "+2", 2);
  close(fd);
  show_content("/sandbox/b.txt");

  // Read-only and write-only descriptors refuse the other direction.
  fd = open("/sandbox/b.txt", O_RDONLY);
  errno = 0;
  printf("write on O_RDONLY: %zd %s\n", write(fd, "x", 1), errno_name(errno));
  close(fd);
  fd = open("/sandbox/b.txt", O_WRONLY);
  errno = 0;
  printf("read on O_WRONLY: %zd %s\n", read(fd, buf, 1), errno_name(errno));
  close(fd);

  // stdio FILE API on top of the same calls.
  FILE *f = fopen("/sandbox/c.txt", "w+");
  if (!f) {
    printf("fopen: %s\n", errno_name(errno));
    return 1;
  }
  for (int i = 0; i < 100; i++) fprintf(f, "line %d\n", i);
  rewind(f);
  int lines = 0;
  char line[32];
  while (fgets(line, sizeof line, f)) lines++;
  printf("fopen/fprintf/fgets lines: %d, ftell: %ld\n", lines, ftell(f));
  fclose(f);

  // A 1 MiB buffer from the heap (grows memory), written and read back in one call each.
  size_t big = 1 << 20;
  unsigned char *p = malloc(big), *q = malloc(big);
  for (size_t i = 0; i < big; i++) p[i] = (unsigned char)(i * 7 + (i >> 9));
  fd = open("/sandbox/big.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
  printf("big write: %zd\n", write(fd, p, big));
  size_t got = 0;
  while (got < big) {
    n = pread(fd, q + got, big - got, (off_t)got);
    if (n <= 0) break;
    got += (size_t)n;
  }
  printf("big read back: %zu, equal: %s\n", got, YESNO(memcmp(p, q, big) == 0));
  close(fd);
  show_size("/sandbox/big.bin");
  CHECK("unlink big.bin", unlink("/sandbox/big.bin"));
  return 0;
}
