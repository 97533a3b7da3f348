// Native driver for the benchmark kernels: links with one kernel file, calls run() once and
// prints the checksum as an unsigned decimal (run.sh compares it with what each engine prints).
#include <stdint.h>
#include <stdio.h>

uint32_t run(void);

int main(void) {
  printf("%u\n", (unsigned)run());
  return 0;
}
