// args: args_sizes_get / args_get (argc, argv, including empty and non-ASCII arguments).
// ARGS: one "two words" '' 'ünïcödé' --flag=x
// ARGS:
#include "common.h"

int main(int argc, char **argv) {
  printf("argc: %d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]: [%s] (%zu bytes)\n", i, argv[i], strlen(argv[i]));
  printf("argv[argc] is NULL: %s\n", YESNO(argv[argc] == NULL));
  return 0;
}
