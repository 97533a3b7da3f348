// jacobi-2d: 5-point Jacobi stencil on a 2-D grid, two sweeps (A -> B -> A) per time step.
#include "bench.h"

#define N BENCH_SIZE(900, 24)
#define TSTEPS BENCH_SIZE(70, 3)

static double A[N][N], B[N][N];

static void init(void) {
  for (long i = 0; i < N; ++i)
    for (long j = 0; j < N; ++j) {
      A[i][j] = frac(i * (j + 2) + 2, N);
      B[i][j] = frac(i * (j + 3) + 3, N);
    }
}

NOINLINE static void jacobi_2d(void) {
  for (int t = 0; t < TSTEPS; ++t) {
    for (int i = 1; i < N - 1; ++i)
      for (int j = 1; j < N - 1; ++j)
        B[i][j] = 0.2 * (A[i][j] + A[i][j - 1] + A[i][j + 1] + A[i + 1][j] + A[i - 1][j]);
    for (int i = 1; i < N - 1; ++i)
      for (int j = 1; j < N - 1; ++j)
        A[i][j] = 0.2 * (B[i][j] + B[i][j - 1] + B[i][j + 1] + B[i + 1][j] + B[i - 1][j]);
  }
}

int main(void) {
  init();
  jacobi_2d();
  print_checksum(hash_doubles(HASH_SEED, &A[0][0], (long)N * N));
  return 0;
}
