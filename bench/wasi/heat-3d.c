// heat-3d: explicit heat equation on a 3-D grid, 7-point stencil, two sweeps per time step.
#include "bench.h"

#define N BENCH_SIZE(100, 10)
#define TSTEPS BENCH_SIZE(30, 2)

static double A[N][N][N], B[N][N][N];

static void init(void) {
  for (long i = 0; i < N; ++i)
    for (long j = 0; j < N; ++j)
      for (long k = 0; k < N; ++k) A[i][j][k] = B[i][j][k] = frac(i + j + (N - k), N) * 10.0;
}

static void sweep(double (*dst)[N][N], double (*src)[N][N]) {
  for (int i = 1; i < N - 1; ++i)
    for (int j = 1; j < N - 1; ++j)
      for (int k = 1; k < N - 1; ++k)
        dst[i][j][k] = 0.125 * (src[i + 1][j][k] - 2.0 * src[i][j][k] + src[i - 1][j][k]) +
                       0.125 * (src[i][j + 1][k] - 2.0 * src[i][j][k] + src[i][j - 1][k]) +
                       0.125 * (src[i][j][k + 1] - 2.0 * src[i][j][k] + src[i][j][k - 1]) +
                       src[i][j][k];
}

NOINLINE static void heat_3d(void) {
  for (int t = 0; t < TSTEPS; ++t) {
    sweep(B, A);
    sweep(A, B);
  }
}

int main(void) {
  init();
  heat_3d();
  print_checksum(hash_doubles(HASH_SEED, &A[0][0][0], (long)N * N * N));
  return 0;
}
