// env: environ_sizes_get / environ_get (environ listing sorted, getenv, values with '=').
// ENV: FOO=bar EMPTY= WITH_EQ=a=b=c UNICODE=été
#include "common.h"
#include <stdlib.h>

extern char **environ;

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void) {
  char *vars[256];
  int n = 0;
  for (char **e = environ; *e && n < 256; e++) vars[n++] = *e;
  qsort(vars, n, sizeof vars[0], cmp);
  printf("count: %d\n", n);
  for (int i = 0; i < n; i++) printf("env: [%s]\n", vars[i]);
  const char *names[] = {"FOO", "EMPTY", "WITH_EQ", "UNICODE", "MISSING"};
  for (int i = 0; i < 5; i++) {
    const char *v = getenv(names[i]);
    printf("getenv(%s): %s%s%s\n", names[i], v ? "[" : "", v ? v : "NULL", v ? "]" : "");
  }
  return 0;
}
