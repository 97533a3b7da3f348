// dirs: path_create_directory (mkdir, EEXIST), path_remove_directory (rmdir, ENOTEMPTY, ENOTDIR),
// fd_readdir through opendir/readdir (listing sorted before printing, d_type, "." and ".." skipped, a directory of 300
// entries that needs several fd_readdir calls), telldir/seekdir cookies, rewinddir, fstat/stat on
// directories. The fixture provides tree/ with files and a subdirectory.
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *type_name(unsigned char t) {
  switch (t) {
  case DT_REG: return "file";
  case DT_DIR: return "dir";
  case DT_LNK: return "symlink";
  default: return "other";
  }
}

// Node's fd_readdir leaves out "." and ".." while wasmtime lists them: the listings skip both.
static int is_dot(const char *name) { return !strcmp(name, ".") || !strcmp(name, ".."); }

// Prints the sorted listing of a directory; returns the number of entries.
static int list(const char *path, int print) {
  DIR *d = opendir(path);
  if (!d) {
    printf("opendir %s: %s\n", path, errno_name(errno));
    return -1;
  }
  char *names[512];
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 512) {
    if (is_dot(e->d_name)) continue;
    char *s = malloc(strlen(e->d_name) + 16);
    sprintf(s, "%s (%s)", e->d_name, type_name(e->d_type));
    names[n++] = s;
  }
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  if (print) printf("list %s: %d entries\n", path, n);
  for (int i = 0; i < n; i++) {
    if (print) printf("  %s\n", names[i]);
    free(names[i]);
  }
  return n;
}

int main(void) {
  list("/sandbox/tree", 1);
  list("/sandbox/tree/sub", 1);

  CHECK("mkdir d1", mkdir("/sandbox/d1", 0755));
  CHECK("mkdir d1 again", mkdir("/sandbox/d1", 0755));
  CHECK("mkdir d1/d2", mkdir("/sandbox/d1/d2", 0755));
  CHECK("mkdir missing/x", mkdir("/sandbox/missing/x", 0755));
  CHECK("mkdir over file", mkdir("/sandbox/tree/a.txt", 0755));
  struct stat st;
  CHECK("stat d1", stat("/sandbox/d1", &st));
  printf("d1 is dir: %s\n", YESNO(S_ISDIR(st.st_mode)));
  int fd = open("/sandbox/d1/f", O_CREAT | O_WRONLY, 0644);
  close(fd);
  list("/sandbox/d1", 1);

  CHECK("rmdir nonempty d1", rmdir("/sandbox/d1"));
  CHECK("rmdir file", rmdir("/sandbox/d1/f"));
  CHECK("rmdir missing", rmdir("/sandbox/nope"));
  CHECK("rmdir d1/d2", rmdir("/sandbox/d1/d2"));
  CHECK("unlink d1/f", unlink("/sandbox/d1/f"));
  CHECK("rmdir d1", rmdir("/sandbox/d1"));
  CHECK("stat d1 after rmdir", stat("/sandbox/d1", &st));
  CHECK("unlink on dir", unlink("/sandbox/tree/sub"));

  // A directory large enough that readdir needs several fd_readdir calls.
  mkdir("/sandbox/many", 0755);
  char path[64];
  for (int i = 0; i < 300; i++) {
    snprintf(path, sizeof path, "/sandbox/many/entry-with-a-longish-name-%03d", i);
    close(open(path, O_CREAT | O_WRONLY, 0644));
  }
  printf("many entries: %d\n", list("/sandbox/many", 0));

  // telldir/seekdir: remember the cookie at every position, then come back to each one.
  DIR *d = opendir("/sandbox/many");
  long cookies[400];
  char *seen[400];
  int n = 0;
  for (;;) {
    cookies[n] = telldir(d);
    struct dirent *e = readdir(d);
    if (!e) break;
    seen[n++] = strdup(e->d_name);
  }
  int good = 0, tried = 0;
  for (int i = n - 1; i >= 0; i -= 7, tried++) {
    seekdir(d, cookies[i]);
    struct dirent *e = readdir(d);
    good += e && strcmp(e->d_name, seen[i]) == 0;
  }
  printf("seekdir to every 7th remembered cookie: %s\n", good == tried && tried > 40 ? "all match" : "MISMATCH");
  rewinddir(d);
  int again = 0;
  struct dirent *e;
  while ((e = readdir(d))) again += !is_dot(e->d_name);
  printf("after rewinddir: %d entries\n", again);
  seekdir(d, cookies[n]);
  printf("seekdir to end then readdir is NULL: %s\n", YESNO(readdir(d) == NULL));
  closedir(d);

  for (int i = 0; i < 300; i++) {
    snprintf(path, sizeof path, "/sandbox/many/entry-with-a-longish-name-%03d", i);
    if (i % 2) unlink(path);
  }
  printf("many after removing half: %d\n", list("/sandbox/many", 0));

  // fd_readdir straight from an O_DIRECTORY descriptor.
  fd = CHECK("open tree O_DIRECTORY", open("/sandbox/tree", O_RDONLY | O_DIRECTORY));
  CHECK("fstat tree", fstat(fd, &st));
  printf("tree fstat is dir: %s\n", YESNO(S_ISDIR(st.st_mode)));
  d = fdopendir(fd);
  int count = 0;
  while ((e = readdir(d))) count += !is_dot(e->d_name);
  printf("fdopendir entries: %d\n", count);
  closedir(d);
  CHECK("open file O_DIRECTORY", open("/sandbox/tree/a.txt", O_RDONLY | O_DIRECTORY));
  CHECK("opendir file", opendir("/sandbox/tree/a.txt") ? 0 : -1);
  list("/sandbox", 1);
  return 0;
}
