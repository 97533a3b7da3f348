// seidel-2d: 9-point Gauss-Seidel stencil, updated in place (each point uses the new values of
// its upper and left neighbours: a loop-carried dependency no compiler can vectorize away).
#include "bench.h"

#define N BENCH_SIZE(800, 20)
#define TSTEPS BENCH_SIZE(24, 2)

static double A[N][N];

static void init(void) {
  for (long i = 0; i < N; ++i)
    for (long j = 0; j < N; ++j) A[i][j] = frac(i * (j + 2) + 2, N);
}

NOINLINE static void seidel_2d(void) {
  for (int t = 0; t < TSTEPS; ++t)
    for (int i = 1; i < N - 1; ++i)
      for (int j = 1; j < N - 1; ++j)
        A[i][j] = (A[i - 1][j - 1] + A[i - 1][j] + A[i - 1][j + 1] + A[i][j - 1] + A[i][j] +
                   A[i][j + 1] + A[i + 1][j - 1] + A[i + 1][j] + A[i + 1][j + 1]) /
                  9.0;
}

int main(void) {
  init();
  seidel_2d();
  print_checksum(hash_doubles(HASH_SEED, &A[0][0], (long)N * N));
  return 0;
}
