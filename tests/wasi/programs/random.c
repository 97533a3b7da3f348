// random: random_get through getentropy and arc4random_buf: bytes are not all zero, two calls
// differ, sizes 1..256 (getentropy's maximum) and a larger arc4random_buf; getentropy > 256 is EIO.
#include "common.h"
#include <stdlib.h>
#include <unistd.h>

static int all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

int main(void) {
  unsigned char a[256], b[256];
  CHECK("getentropy 256", getentropy(a, sizeof a));
  CHECK("getentropy 256 again", getentropy(b, sizeof b));
  printf("not all zero: %s\n", YESNO(!all_zero(a, sizeof a)));
  printf("two calls differ: %s\n", YESNO(memcmp(a, b, sizeof a) != 0));
  int ok = 1;
  for (size_t n = 1; n <= 256; n *= 2) ok &= getentropy(a, n) == 0;
  printf("sizes 1..256 ok: %s\n", YESNO(ok));
  CHECK("getentropy 257", getentropy(a, 257));
  CHECK("getentropy 0", getentropy(a, 0));

  static unsigned char big[1 << 16];
  arc4random_buf(big, sizeof big);
  int counts[256] = {0};
  for (size_t i = 0; i < sizeof big; i++) counts[big[i]]++;
  int missing = 0;
  for (int i = 0; i < 256; i++) missing += counts[i] == 0;
  printf("arc4random_buf 64 KiB: every byte value seen: %s\n", YESNO(missing == 0));
  return 0;
}
