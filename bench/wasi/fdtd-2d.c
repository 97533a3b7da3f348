// fdtd-2d: 2-D finite-difference time-domain kernel (electric fields ex, ey and magnetic hz).
#include "bench.h"

#define NX BENCH_SIZE(800, 20)
#define NY BENCH_SIZE(900, 24)
#define TMAX BENCH_SIZE(50, 3)

static double ex[NX][NY], ey[NX][NY], hz[NX][NY], fict[TMAX];

static void init(void) {
  for (long t = 0; t < TMAX; ++t) fict[t] = (double)t;
  for (long i = 0; i < NX; ++i)
    for (long j = 0; j < NY; ++j) {
      ex[i][j] = frac(i * (j + 1), NX);
      ey[i][j] = frac(i * (j + 2), NY);
      hz[i][j] = frac(i * (j + 3), NX);
    }
}

NOINLINE static void fdtd_2d(void) {
  for (int t = 0; t < TMAX; ++t) {
    for (int j = 0; j < NY; ++j) ey[0][j] = fict[t];
    for (int i = 1; i < NX; ++i)
      for (int j = 0; j < NY; ++j) ey[i][j] -= 0.5 * (hz[i][j] - hz[i - 1][j]);
    for (int i = 0; i < NX; ++i)
      for (int j = 1; j < NY; ++j) ex[i][j] -= 0.5 * (hz[i][j] - hz[i][j - 1]);
    for (int i = 0; i < NX - 1; ++i)
      for (int j = 0; j < NY - 1; ++j)
        hz[i][j] -= 0.7 * (ex[i][j + 1] - ex[i][j] + ey[i + 1][j] - ey[i][j]);
  }
}

int main(void) {
  init();
  fdtd_2d();
  uint32_t h = hash_doubles(HASH_SEED, &ex[0][0], (long)NX * NY);
  h = hash_doubles(h, &ey[0][0], (long)NX * NY);
  print_checksum(hash_doubles(h, &hz[0][0], (long)NX * NY));
  return 0;
}
